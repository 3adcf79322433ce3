"""The worker daemon, for real: started by the engine, reached over its Unix socket, and its faults.

Each test's daemon runs for its own checkout folder (its own socket) and is stopped by its pid at
the end; tests/conftest.py fails the session if one is left running.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from site_tools.engine import Engine, EngineConfig
from site_tools.engine.collect.grid import variant
from site_tools.engine.run import daemon_client
from site_tools.engine.run.daemon import socket_path

pytestmark = pytest.mark.slow

FIGURE = """
import matplotlib.pyplot as plt
plt.plot([0, 1], [1, 0])
print("drawn")
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by init) counts as gone.
    with contextlib.suppress(FileNotFoundError):
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    return False


def _wait_dead(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def checkout(tmp_path: Path):
    """A factory of checkout folders (mkdocs.yml + snippets/); their daemons stopped afterwards."""
    made: list[Path] = []

    def make(name: str = "site", files: dict[str, str] | None = None) -> Path:
        root = tmp_path / name
        (root / "snippets").mkdir(parents=True)
        (root / "mkdocs.yml").write_text("site_name: t\n", encoding="utf-8")
        for file, code in (files or {"figure.py": FIGURE}).items():
            (root / "snippets" / file).write_text(code, encoding="utf-8")
        made.append(root)
        return root

    yield make
    for root in made:
        found = daemon_client.ask(root, {"op": "hello"})
        if found is not None:
            os.kill(found["pid"], signal.SIGTERM)
            _wait_dead(found["pid"], 10)


def _engine(root: Path, **options) -> Engine:
    folders = {"snippets_dir": root / "snippets", "cache_dir": root / ".cache"}
    return Engine(EngineConfig(root=root, **folders, executor="daemon", timeout=60, **options))


def test_a_build_starts_the_daemon_and_the_next_one_reuses_it(checkout) -> None:
    root = checkout()
    first = _engine(root)
    report = first.run(first.snippet_files())
    assert (report.executed, report.failed) == (1, 0), report
    (snippet,) = first.snippet_files()
    assert first.result(snippet).stdout == "drawn\n" and len(first.result(snippet).figures) == 1
    running = daemon_client.ask(root, {"op": "hello"})
    assert running is not None and running["runs"] == 1 and running["root"] == str(root.resolve())
    (root / "snippets" / "figure.py").write_text(FIGURE + "# edited\n", encoding="utf-8")
    second = _engine(root)  # a new command of the same checkout
    assert second.run(second.snippet_files()).executed == 1
    again = daemon_client.ask(root, {"op": "hello"})
    assert again["pid"] == running["pid"] and again["runs"] == 2


def test_socket_is_short_private_and_only_a_socket(checkout, tmp_path: Path) -> None:
    deep = tmp_path.joinpath(*["a-rather-long-folder-name"] * 12)
    root = checkout(str(deep.relative_to(tmp_path)))
    assert len(str(root)) > 300
    daemon_client.ensure_daemon(root, idle=60)
    path = socket_path(root)
    assert len(os.fsencode(path)) <= 107
    assert stat.S_ISSOCK(path.stat().st_mode) and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    found = daemon_client.ask(root, {"op": "hello"})
    listening = Path(f"/proc/{found['pid']}/net/tcp").read_text().splitlines()[1:]
    inodes = {line.split()[9] for line in listening if line.split()[3] == "0A"}  # LISTEN
    fds = {str(fd.readlink()) for fd in Path(f"/proc/{found['pid']}/fd").iterdir()}
    assert not {f"socket:[{inode}]" for inode in inodes} & fds  # no TCP port of its own


def test_a_stale_socket_file_is_replaced(checkout) -> None:
    root = checkout()
    path = socket_path(root)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(str(path))  # a socket file nobody listens on, as a killed daemon leaves it
    stale.close()
    assert path.exists() and daemon_client.ask(root, {"op": "hello"}) is None
    engine = _engine(root)
    report = engine.run(engine.snippet_files())
    assert report.executed == 1 and report.failed == 0 and not report.notices, report
    assert daemon_client.ask(root, {"op": "hello"}) is not None


def test_two_checkouts_side_by_side_get_a_daemon_each(checkout) -> None:
    one, two = checkout("one"), checkout("two")
    for root in (one, two):
        engine = _engine(root)
        assert engine.run(engine.snippet_files()).executed == 1
    first, second = daemon_client.ask(one, {"op": "hello"}), daemon_client.ask(two, {"op": "hello"})
    assert first["pid"] != second["pid"]
    assert (first["root"], second["root"]) == (str(one.resolve()), str(two.resolve()))
    assert socket_path(one) != socket_path(two)


def test_a_client_of_another_uid_is_refused(checkout) -> None:
    if os.getuid() != 0:
        pytest.skip("dropping to another uid needs root")
    root = checkout()
    daemon_client.ensure_daemon(root, idle=60)
    path = socket_path(root)
    path.parent.chmod(0o755)  # let the other uid reach the socket: only the uid check stands
    path.chmod(0o666)
    try:
        pid = os.fork()
        if pid == 0:  # the child becomes nobody, then asks the daemon to run code
            code = 3
            try:
                os.setgid(65534)
                os.setuid(65534)
                sock = socket.socket(socket.AF_UNIX)
                sock.settimeout(10)
                sock.connect(str(path))
                try:
                    sock.sendall(b'{"op": "hello"}\n')
                    answer = sock.recv(100)
                except (ConnectionResetError, BrokenPipeError):
                    answer = b""
                code = 0 if answer == b"" else 1  # hung up on: refused
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
    finally:
        path.parent.chmod(0o700)
        path.chmod(0o600)
    assert os.waitstatus_to_exitcode(status) == 0
    assert daemon_client.ask(root, {"op": "hello"}) is not None  # the owner still gets in


def test_an_environment_change_restarts_the_daemon(checkout) -> None:
    root = checkout()
    path = socket_path(root)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # A daemon of another environment (an older site-tools, another torch) for this checkout.
    old = subprocess.Popen(
        [
            *(
                sys.executable,
                "-m",
                "site_tools.engine.run.daemon",
                "--socket",
                str(path),
                "--root",
                str(root),
            ),
            *("--stamp", "an-older-environment", "--idle", "60"),
        ],
        cwd=root,
        start_new_session=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])},
    )
    try:
        deadline = time.monotonic() + 120
        while daemon_client.status(root) is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert daemon_client.status(root)["stamp"] == "an-older-environment"
        current = daemon_client.ensure_daemon(root, idle=60)
        assert current["pid"] != old.pid and current["stamp"] != "an-older-environment"
        assert old.wait(timeout=10) == 0
    finally:
        if old.poll() is None:
            old.kill()
            old.wait()


def test_the_daemon_stops_itself_when_idle(checkout) -> None:
    root = checkout()
    found = daemon_client.ensure_daemon(root, idle=1.0)
    assert _wait_dead(found["pid"], 30)
    assert not socket_path(root).exists()


def test_a_daemon_killed_mid_build_falls_back_to_a_local_pool(checkout) -> None:
    slow = "import time\ntime.sleep(4)\nprint('slept')\n"
    root = checkout(files={"slow.py": slow, "figure.py": FIGURE})
    found = daemon_client.ensure_daemon(root, idle=60)
    engine = _engine(root, workers=1)
    engine.start(engine.snippet_files())
    deadline = time.monotonic() + 60
    while daemon_client.ask(root, {"op": "hello"})["running"] == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(found["pid"], signal.SIGKILL)  # mid-build
    report = engine.finish()
    engine.close()
    assert (report.executed, report.failed) == (2, 0), report
    assert any("went away mid-build" in notice and "local pool" in notice for notice in report.notices)
    assert all(result.ok for result in map(engine.result, engine.snippet_files()))


def test_workers_status_and_stop_commands(checkout) -> None:
    from click.testing import CliRunner

    from site_tools.hosts.cli import main

    root = checkout()
    runner = CliRunner()
    assert "no worker daemon" in runner.invoke(main, ["workers", "status", "--root", str(root)]).output
    found = daemon_client.ensure_daemon(root, idle=60)
    shown = runner.invoke(main, ["workers", "status", "--root", str(root)])
    assert shown.exit_code == 0 and f"pid {found['pid']}" in shown.output, shown.output
    stopped = runner.invoke(main, ["workers", "stop", "--root", str(root)])
    assert stopped.exit_code == 0 and f"stopped worker daemon pid {found['pid']}" in stopped.output
    assert _wait_dead(found["pid"], 10) and not socket_path(root).exists()


ENVIRON = "import os\nprint(os.environ.get('FOO'), os.environ.get('SITE_TOOLS_CACHE_TOKEN'))\n"


def test_a_snippet_sees_the_builds_environment_with_or_without_the_daemon(checkout, monkeypatch) -> None:
    root = checkout(files={"environ.py": ENVIRON})
    daemon_client.ensure_daemon(root, idle=60)  # started with another environment than the build's
    monkeypatch.setenv("FOO", "3")
    monkeypatch.setenv("SITE_TOOLS_CACHE_TOKEN", "secret")  # the engine's: never a snippet's
    seen = {}
    for executor in ("local", "daemon"):
        folders = {"snippets_dir": root / "snippets", "cache_dir": root / f".cache-{executor}"}
        engine = Engine(EngineConfig(root=root, **folders, executor=executor, timeout=60))
        (snippet,) = engine.snippet_files()
        engine.run([snippet])
        result = engine.result(snippet)
        engine.close()
        seen[executor] = (result.stdout, result.worker, engine.key(snippet))
    assert seen["local"][0] == seen["daemon"][0] == "3 None\n", seen
    assert (seen["local"][1], seen["daemon"][1]) == ("local", "daemon")  # each result says where it ran
    assert seen["local"][2] == seen["daemon"][2]  # keys never depend on the executor


def test_a_daemon_that_cannot_start_gives_way_to_the_local_pool_once(checkout, monkeypatch) -> None:
    root = checkout(files={"a.py": "print('a')\n", "b.py": "print('b')\n"})
    monkeypatch.setenv("SITE_TOOLS_RUNTIME_DIR", "/tmp/" + "x" * 120)  # no socket can live there
    engine = _engine(root)
    report = engine.run(engine.snippet_files())
    engine.close()
    assert (report.executed, report.failed) == (2, 0), report
    fallbacks = [notice for notice in report.notices if "instead" in notice]
    assert len(fallbacks) == 1 and "could not be started" in fallbacks[0], report.notices
    assert "local pool" in fallbacks[0]
    assert {engine.result(s).worker for s in engine.snippet_files()} == {"local"}


def test_a_grid_point_reaches_the_snippet_through_the_daemon(checkout) -> None:
    vary = (Path(__file__).parents[2] / "snippets" / "vary.py").read_text(encoding="utf-8")
    root = checkout(files={"knob.py": "import vary\nprint(vary.params(k=1).k)\n", "vary.py": vary})
    engine = _engine(root)
    plain = engine.file_snippet(root / "snippets" / "knob.py")
    points = [variant(plain, (("k", k),)) for k in (2, 3)]
    report = engine.run([plain, *points])
    assert (report.executed, report.failed) == (3, 0), report
    assert [engine.result(s).stdout for s in (plain, *points)] == ["1\n", "2\n", "3\n"]
