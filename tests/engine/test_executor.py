"""The executor interface on the local pool: submit returns at once, cancel kills what runs."""

from __future__ import annotations

import time

import psutil

from site_tools.engine.run.pool import LocalExecutor, default_settings
from site_tools.engine.run.spec import RunSpec

SLEEPER = """
import subprocess, time
subprocess.Popen(["sleep", "{marker}"])
print("started", flush=True)
time.sleep(600)
"""


def _sleepers(marker: str) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["cmdline"]):
        if process.info["cmdline"] == ["sleep", marker]:
            found.append(process)
    return found


def _spec(engine, name: str) -> RunSpec:
    snippet = engine.file_snippet(engine.config.snippets_dir / name)
    config = engine.config
    return RunSpec(engine.key(snippet), snippet, config.root.resolve(), config.snippets_dir.resolve())


def test_submit_returns_a_future_at_once_and_results_arrive(project) -> None:
    engine = project({"a.py": "print('a')\n", "b.py": "print('b')\n"})
    executor = LocalExecutor(default_settings(2))
    try:
        futures = [executor.submit(_spec(engine, name)) for name in ("a.py", "b.py")]
        assert [f.result(timeout=60).stdout for f in futures] == ["a\n", "b\n"]
    finally:
        executor.close()


def test_cancel_all_kills_running_snippets_and_drops_queued_ones(project) -> None:
    marker = "4321.5"
    engine = project({"slow.py": SLEEPER.format(marker=marker), "queued.py": "print('never')\n"})
    executor = LocalExecutor(default_settings(1))  # one worker: queued.py waits behind slow.py
    try:
        slow = executor.submit(_spec(engine, "slow.py"))
        queued = executor.submit(_spec(engine, "queued.py"))
        assert not slow.done()
        deadline = time.monotonic() + 60
        while not _sleepers(marker) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _sleepers(marker), "the snippet never started its child"
        executor.cancel_all()
        assert slow.cancelled() and queued.cancelled()
        psutil.wait_procs(_sleepers(marker), timeout=5)
        assert not _sleepers(marker)  # its whole process group is gone
        again = executor.submit(_spec(engine, "queued.py"))  # still usable afterwards
        assert again.result(timeout=60).stdout == "never\n"
    finally:
        executor.close()
