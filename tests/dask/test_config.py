"""Choosing the executor: the local one unless Dask is asked for; an unreachable scheduler is a clear
error naming its address, or a notice and a local run with `dask_fallback`."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
import warnings

import pytest
from distributed.versions import VersionMismatchWarning

from site_tools.engine import Engine, EngineConfig
from site_tools.engine.run.dask_executor import connect
from site_tools.engine.run.dask_task import version_mismatch
from site_tools.engine.run.executor import ExecutorError
from site_tools.engine.run.pool import LocalExecutor
from site_tools.settings import OptionsError, load_options
from tests.dask.cluster import ROOT, start_cluster, start_scheduler


def _closed_port() -> str:
    """An address on 127.0.0.1 where nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"tcp://127.0.0.1:{port}"


def test_options_and_environment_choose_the_executor(tmp_path) -> None:
    assert load_options({}, environ={}).engine_config(tmp_path).executor == "local"
    raw = {"executor": "dask", "dask_address": "tcp://a:1", "dask_fallback": True}
    config = load_options(raw, environ={}).engine_config(tmp_path)
    assert (config.executor, config.dask_address, config.dask_fallback) == ("dask", "tcp://a:1", True)
    environ = {"SITE_TOOLS_EXECUTOR": "dask", "SITE_TOOLS_DASK_ADDRESS": "tcp://b:2"}
    config = load_options({"dask_address": "tcp://a:1"}, environ=environ).engine_config(tmp_path)
    assert (config.executor, config.dask_address) == ("dask", "tcp://b:2")  # environment first
    with pytest.raises(OptionsError, match="executor"):
        load_options({"executor": "ray"}, environ={})


def test_unreachable_scheduler_is_an_error_naming_it() -> None:
    address = _closed_port()
    with pytest.raises(ExecutorError) as error:
        connect(address, timeout=2)
    assert address in str(error.value) and "dask_fallback" in str(error.value)
    with pytest.raises(ExecutorError, match="dask_address"):
        connect(None)


def test_unreachable_scheduler_with_fallback_runs_locally(project) -> None:
    address = _closed_port()
    engine = project({"a.py": "print('here')\n"}, executor="dask", dask_address=address, dask_fallback=True)
    snippet = engine.file_snippet(engine.config.snippets_dir / "a.py")
    report = engine.run([snippet])
    assert engine.result(snippet).stdout == "here\n"
    assert isinstance(engine.executor(), LocalExecutor)
    assert any(address in w and "on this machine instead" in w for w in report.notices), report.notices


def test_unknown_executor_is_named(tmp_path) -> None:
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "a.py").write_text("print(1)\n")
    engine = Engine(EngineConfig(tmp_path, tmp_path / "snippets", tmp_path / ".c", executor="ray"))
    with pytest.raises(ExecutorError, match="executor `ray` is not known"):
        engine.run(engine.snippet_files())


def test_local_executor_unchanged_without_dask(tmp_path) -> None:
    """Without `executor: dask` snippets run in the local pool and Dask is never imported."""
    code = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from site_tools.engine import Engine, EngineConfig
        from site_tools.engine.run.pool import LocalExecutor
        root = Path(sys.argv[1])
        engine = Engine(EngineConfig(root, root / "snippets", root / ".cache"))
        report = engine.run(engine.snippet_files())
        assert report.executed == 1 and report.failed == 0, report
        assert isinstance(engine.executor(), LocalExecutor)
        print(sorted(m for m in sys.modules if m.split(".")[0] in ("dask", "distributed")))
        """
    )
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "a.py").write_text("print(1)\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SITE_TOOLS_")}
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_worker_with_other_versions_is_refused_by_name() -> None:
    ours = {"python": "CPython 3.11", "torch": "2.13.0+cpu", "numpy": "2.4.6", "matplotlib": "3.11.2"}
    assert version_mismatch("w1", dict(ours), ours) is None
    message = version_mismatch("w1", {**ours, "numpy": "2.3.0"}, ours)
    assert message and "Dask worker w1 has numpy 2.3.0" in message and "numpy 2.4.6" in message


def test_a_real_worker_with_another_numpy_is_refused(tmp_path) -> None:
    """The worker's environment really holds another numpy distribution (found first on its path)."""
    other = tmp_path / "other-numpy"
    info = other / "numpy-1.0.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: numpy\nVersion: 1.0.0\n")
    env = {"PYTHONPATH": os.pathsep.join((str(ROOT), str(other)))}
    cluster = start_cluster(tmp_path / "cluster", {"w-old": None}, worker_env=env)
    try:
        assert cluster.sockets_elsewhere() == []
        with pytest.raises(ExecutorError) as error, warnings.catch_warnings():
            warnings.simplefilter("ignore", VersionMismatchWarning)  # Dask's own notice, before ours
            connect(cluster.address)
        assert "Dask worker w-old has numpy 1.0.0, but this build has numpy" in str(error.value)
    finally:
        cluster.stop()


def test_a_cluster_without_workers_stops_the_build_instead_of_hanging(project, tmp_path) -> None:
    address, scheduler = start_scheduler(tmp_path / "lonely")
    try:
        engine = project({"a.py": "print(1)\n"}, executor="dask", dask_address=address)
        engine.executor().no_worker_timeout = 3  # 60 s in real builds
        with pytest.raises(ExecutorError, match=f"the Dask cluster at {address} has had no worker"):
            engine.run(engine.snippet_files())
        assert engine.cache.keys() == []
    finally:
        engine.close()
        scheduler.kill()
        scheduler.wait(timeout=30)
