"""Run jobs in parallel, each in a fresh fork of a process that has torch and matplotlib loaded.

multiprocessing's forkserver imports ``site_tools.engine.preload`` once; each job is a new process
forked from it, so a snippet starts in well under a second with clean interpreter state. The parent
keeps at most ``workers`` running, kills a job's whole process group when it times out, and reads a
missing result as a crash (segfault, ``os._exit``, the OOM killer). A dead job never takes the pool
down: the next job simply gets a new process.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
import types
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from multiprocessing.connection import wait
from pathlib import Path

from site_tools.engine.child import Job, run_job
from site_tools.engine.model import RunResult
from site_tools.engine.postmortem import request_stack, snippet_location, worker_output
from site_tools.engine.record import from_record

PRELOAD = ["site_tools.engine.preload"]


@dataclass(frozen=True)
class PoolSettings:
    workers: int
    threads: int  # torch threads per worker; workers x threads <= cores
    memory_limit: int | None = None


def for_batch(settings: PoolSettings, jobs: int) -> PoolSettings:
    """Settings for ``jobs`` jobs: fewer jobs than workers leave cores free, so each gets more threads."""
    cores = os.cpu_count() or 1
    busy = max(1, min(settings.workers, jobs))
    return replace(settings, threads=max(settings.threads, cores // busy))


def default_settings(workers: int | None = None, memory_limit: int | None = None) -> PoolSettings:
    cores = os.cpu_count() or 1
    workers = max(1, workers or cores)
    return PoolSettings(workers=workers, threads=max(1, cores // workers), memory_limit=memory_limit)


class WorkerPool:
    """Starts the preloading server on first use (or ``warm_up``) and keeps it for later builds."""

    def __init__(self, settings: PoolSettings) -> None:
        self.settings = settings
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(PRELOAD)

    def run(
        self,
        jobs: Iterable[tuple[Job, float]],
        on_done: Callable[[RunResult], None],
    ) -> None:
        """Run ``(job, timeout)`` pairs, calling ``on_done`` with each result as it finishes."""
        pending = list(jobs)
        running: dict[int, tuple[multiprocessing.Process, Job, float, float]] = {}
        restore_sigterm = _sigterm_as_interrupt()
        try:
            while pending or running:
                while pending and len(running) < self.settings.workers:
                    job, timeout = pending.pop(0)
                    process = self._context.Process(target=run_job, args=(job,), daemon=False)
                    with _main_module_hidden():
                        process.start()
                    running[process.sentinel] = (process, job, time.monotonic(), timeout)
                deadline = min(start + timeout for _, _, start, timeout in running.values())
                ready = wait(list(running), timeout=max(0.0, deadline - time.monotonic()))
                now = time.monotonic()
                for sentinel, (process, job, start, timeout) in list(running.items()):
                    timed_out = sentinel not in ready and now >= start + timeout
                    if sentinel in ready or timed_out:
                        del running[sentinel]
                        if timed_out:
                            request_stack(process.pid, job)  # where it hung, for the message
                            _kill_group(process.pid)
                        process.join()
                        _kill_group(process.pid)  # children the snippet left behind
                        on_done(_collect(job, process.exitcode, now - start, timed_out, timeout))
                        process.close()
        finally:
            for process, job, _, _ in running.values():
                _kill_group(process.pid)
                process.join()
                _cleanup(job)
            for job, _ in pending:  # never started (Ctrl-C): their folders go too
                _cleanup(job)
            restore_sigterm()


def _sigterm_as_interrupt() -> Callable[[], None]:
    """Make SIGTERM stop the build as Ctrl-C does; return what puts the previous handler back.

    A cancelled CI job or ``timeout`` sends SIGTERM. Raised as an interrupt, it goes through the
    ``finally`` of ``run``, which kills the running snippets; otherwise they would outlive the build
    (and keep the worker server alive with them).
    """
    if threading.current_thread() is not threading.main_thread():
        return lambda: None  # only the main thread may set handlers
    previous = signal.getsignal(signal.SIGTERM)
    if previous is not signal.SIG_DFL:
        return lambda: None  # the host handles SIGTERM itself

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(f"stopped by signal {signal.Signals(signum).name}")

    signal.signal(signal.SIGTERM, interrupt)
    return lambda: signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def _main_module_hidden():
    """Start processes without multiprocessing re-running the parent's ``__main__`` script in them.

    The parent is ``mkdocs`` or ``pytest``; re-importing their entry script in every worker would cost time
    and, for a script without a ``__name__`` guard, run it again. Workers need only ``site_tools``.
    """
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


def _kill_group(pid: int | None) -> None:
    if pid:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)


def new_job(key: str, path: str, cells, *, root: Path, snippets_dir: Path, settings: PoolSettings) -> Job:
    """A job with its own empty working folder and output folder."""
    base = Path(tempfile.mkdtemp(prefix="site-tools-"))
    (base / "work").mkdir()
    (base / "out").mkdir()
    return Job(
        key=key,
        path=path,
        cells=tuple(cells),
        root=str(root.resolve()),
        snippets_dir=str(snippets_dir.resolve()),
        workdir=str(base / "work"),
        out_dir=str(base / "out"),
        threads=settings.threads,
        memory_limit=settings.memory_limit,
    )


def _collect(job: Job, exitcode: int | None, duration: float, timed_out: bool, timeout: float) -> RunResult:
    out = Path(job.out_dir)
    try:
        result_file = out / "result.json"
        if timed_out or not result_file.is_file():
            status, error = (
                ("timeout", _timeout_message(job, timeout))
                if timed_out
                else ("crashed", _crash_message(job, exitcode))
            )
            location = snippet_location(job) or job.path
            return RunResult(job.key, status, error=error, error_location=location, duration=duration)
        record = json.loads(result_file.read_text(encoding="utf-8"))
        record.update(key=job.key, duration=duration)
        return from_record(record, lambda name: (out / name).read_text(encoding="utf-8"))
    finally:
        _cleanup(job)


def _timeout_message(job: Job, timeout: float) -> str:
    stack = worker_output(job)
    where = f"\nIt was stopped here:\n{stack}" if stack else ""
    advice = "raise `timeout:` in the embed if it needs longer"
    return f"{job.path}: timed out after {timeout:g} s ({advice}){where}"


def _crash_message(job: Job, exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            how = f"was killed by signal {signal.Signals(-exitcode).name}"
        except ValueError:
            how = f"was killed by signal {-exitcode}"
    else:
        # sys.exit in a snippet is an exception, reported as an error with its line; only os._exit
        # (or native code ending the process) gets here.
        how = f"exited with status {exitcode} before finishing (os._exit, or native code ending the process)"
    text = worker_output(job)
    tail = f"\nLast output:\n{text}" if text else ""
    return f"{job.path}: the worker running it {how}{tail}"


def _cleanup(job: Job) -> None:
    shutil.rmtree(Path(job.workdir).parent, ignore_errors=True)
