"""Faults on a real Dask cluster: a snippet that hangs on a worker, a worker killed mid-snippet (once:
retried elsewhere; twice: reported as crashed), Ctrl-C during a distributed build, a lost scheduler.

The scheduler runs with `allowed-failures: 1` (see cluster.py). The scheduler test comes last: it
kills this module's scheduler.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import psutil
import pytest
from distributed import Client

from site_tools.engine import Engine, EngineConfig
from site_tools.engine.collect.grid import variant
from site_tools.engine.run.executor import ExecutorError
from tests.dask.cluster import Cluster, wait_for_workers

pytestmark = [pytest.mark.dask, pytest.mark.slow]

SPAWNS = """
import subprocess, time
subprocess.Popen(["sleep", "{marker}"])
time.sleep({seconds})
print("done")
"""


def _engine(root: Path, cluster: Cluster, files: dict[str, str], timeout: float = 120) -> Engine:
    snippets = root / "snippets"
    snippets.mkdir(parents=True, exist_ok=True)
    for name, code in files.items():
        (snippets / name).write_text(textwrap.dedent(code), encoding="utf-8")
    config = EngineConfig(
        root, snippets, root / ".cache", executor="dask", dask_address=cluster.address, timeout=timeout
    )
    return Engine(config)


def _processes(marker: str) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["cmdline"]):
        if process.info["cmdline"] == ["sleep", marker]:
            found.append(process)
    return found


def _gone(marker: str, within: float = 30) -> bool:
    """True once no `sleep <marker>` process is left (waiting up to ``within`` seconds)."""
    deadline = time.monotonic() + within
    while _processes(marker) and time.monotonic() < deadline:
        time.sleep(0.2)
    return not _processes(marker)


def _in_thread(engine: Engine) -> tuple[threading.Thread, dict]:
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["report"] = engine.run(engine.snippet_files())
        except BaseException as error:
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


@pytest.fixture
def ready(cluster: Cluster) -> Cluster:
    """The cluster with both workers back (a test before may have killed one; the nanny restarts it)."""
    wait_for_workers(cluster, 2)
    return cluster


def test_a_hung_snippet_on_a_worker_is_stopped_with_its_line(ready: Cluster, tmp_path: Path) -> None:
    marker = "7771.25"
    engine = _engine(tmp_path, ready, {"hang.py": SPAWNS.format(marker=marker, seconds=600)}, timeout=4)
    [snippet] = engine.snippet_files()
    report = engine.run([snippet])
    result = engine.result(snippet)
    assert report.failed == 1 and result.status == "timeout"
    assert result.worker in ready.workers
    assert result.error.startswith("snippets/hang.py: timed out after 4 s")
    assert 'File "snippets/hang.py", line 4' in result.error  # the line it hung on
    assert "/tmp" not in result.error and str(tmp_path) not in result.error  # no worker paths
    assert _gone(marker)  # its process group was killed on the worker


def test_a_worker_killed_mid_snippet_is_retried_elsewhere(ready: Cluster, tmp_path: Path) -> None:
    engine = _engine(tmp_path, ready, {"slow.py": "import time\ntime.sleep(6)\nprint('done')\n"})
    thread, outcome = _in_thread(engine)
    [(killed, worker, _)] = ready.wait_for_snippets()
    worker.kill()
    thread.join(timeout=300)
    assert "error" not in outcome, outcome
    [snippet] = engine.snippet_files()
    result = engine.result(snippet)
    assert result.ok and result.stdout == "done\n"
    assert result.worker != killed  # the other worker ran it (the killed one restarts, slowly)
    assert outcome["report"].failed == 0


def test_a_snippet_whose_workers_keep_dying_is_reported_crashed(ready: Cluster, tmp_path: Path) -> None:
    engine = _engine(tmp_path, ready, {"doomed.py": "import time\ntime.sleep(600)\n"})
    thread, outcome = _in_thread(engine)
    orphans = []
    for _ in range(2):  # the first death is retried (allowed-failures: 1), the second is final
        [(_, worker, snippets)] = ready.wait_for_snippets()
        worker.kill()
        psutil.wait_procs([worker], timeout=30)
        orphans += snippets
    thread.join(timeout=300)
    # Each snippet (asleep for 600 s) died with its worker: the forkserver left, then its children.
    _, alive = psutil.wait_procs(orphans, timeout=30)
    assert not alive
    assert "error" not in outcome, outcome
    [snippet] = engine.snippet_files()
    result = engine.result(snippet)
    assert result.status == "crashed"
    assert result.error.startswith("snippets/doomed.py: the Dask workers running it died")
    assert engine.cache.get(result.key) is None


def test_ctrl_c_cancels_the_tasks_and_kills_running_snippets(ready: Cluster, tmp_path: Path) -> None:
    markers = [f"7772.{n}5" for n in range(3)]  # three snippets, two workers: one stays queued
    files = {f"s{n}.py": SPAWNS.format(marker=m, seconds=600) for n, m in enumerate(markers)}
    _engine(tmp_path, ready, files)
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from site_tools.engine import Engine, EngineConfig
        root = Path({str(tmp_path)!r})
        engine = Engine(EngineConfig(root, root / "snippets", root / ".cache", executor="dask",
                                     dask_address={ready.address!r}))
        engine.run(engine.snippet_files())
        """
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("SITE_TOOLS_")}
    build = subprocess.Popen(
        [sys.executable, "-c", script], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        ready.wait_for_snippets(2)
        build.send_signal(signal.SIGINT)  # what Ctrl-C sends
        output, _ = build.communicate(timeout=60)
    finally:
        with contextlib.suppress(ProcessLookupError):
            build.kill()
    assert build.returncode != 0 and b"KeyboardInterrupt" in output
    assert all(_gone(marker) for marker in markers)  # running ones killed, the queued one never ran
    with Client(ready.address, timeout=30, set_as_default=False) as client:
        deadline = time.monotonic() + 30
        while any(client.processing().values()) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(client.processing().values())


def test_a_grid_point_reaches_the_snippet_on_a_worker(ready: Cluster, tmp_path: Path) -> None:
    vary = (Path(__file__).parents[2] / "snippets" / "vary.py").read_text(encoding="utf-8")
    engine = _engine(
        tmp_path, ready, {"knob.py": "import vary\nprint(vary.params(k=1).k)\n", "vary.py": vary}
    )
    plain = engine.file_snippet(tmp_path / "snippets" / "knob.py")
    points = [variant(plain, (("k", k),)) for k in (2, 3)]
    try:
        report = engine.run([plain, *points])
    finally:
        engine.close()
    assert (report.executed, report.failed) == (3, 0), report
    assert [engine.result(s).stdout for s in (plain, *points)] == ["1\n", "2\n", "3\n"]
    assert {engine.result(s).worker for s in points} != {"local"}


def test_a_lost_scheduler_stops_the_build_and_caches_nothing(ready: Cluster, tmp_path: Path) -> None:
    """Last in this module: it kills the module's scheduler."""
    engine = _engine(tmp_path, ready, {"long.py": "import time\ntime.sleep(30)\nprint('done')\n"})
    thread, outcome = _in_thread(engine)
    ready.wait_for_snippets()
    ready.scheduler.kill()
    thread.join(timeout=120)
    error = outcome.get("error")
    assert isinstance(error, ExecutorError), outcome
    assert f"lost the connection to the Dask scheduler at {ready.address}" in str(error)
    assert "snippets/long.py" in str(error)
    assert engine.cache.keys() == []
