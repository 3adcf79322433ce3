"""Run snippets in parallel, each in a fresh fork of a process that has torch and matplotlib loaded.

multiprocessing's forkserver imports ``site_tools.engine.preload`` once; each job is a new process
forked from it, so a snippet starts in well under a second with clean interpreter state. A background
thread keeps at most ``workers`` running, kills a job's whole process group when it times out or is
cancelled, and reads a missing result as a crash (segfault, ``os._exit``, the OOM killer). A dead job
never takes the pool down: the next job simply gets a new process.
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
from collections import deque
from concurrent.futures import Future, InvalidStateError
from dataclasses import dataclass, replace
from multiprocessing.connection import wait
from pathlib import Path

from site_tools.engine.child import MEMORY_NOTE, Job, run_job
from site_tools.engine.executor import Executor, RunRequest
from site_tools.engine.grid import params_json
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


@dataclass
class _Running:
    process: multiprocessing.Process
    job: Job
    future: Future
    start: float
    timeout: float


class LocalExecutor(Executor):
    """This machine's cores. Starts the preloading server on first use and keeps it for later builds."""

    name = "local"

    def __init__(self, settings: PoolSettings, worker_name: str = "local") -> None:
        self.settings = settings
        self.worker_name = worker_name  # recorded in each result: where it ran
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(PRELOAD)
        self._lock = threading.Lock()
        self._pending: deque[tuple[Job, float, Future]] = deque()
        self._running: dict[int, _Running] = {}
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_w, False)
        self._thread: threading.Thread | None = None
        self._closed = False

    # -- the interface ---------------------------------------------------------------------------
    def submit(self, request: RunRequest) -> Future[RunResult]:
        return self.submit_job(job_for(request), request.snippet.timeout)

    def submit_job(self, job: Job, timeout: float) -> Future[RunResult]:
        """Run a prepared ``job`` (its folders made by ``new_job``); the future ends with its result."""
        future: Future[RunResult] = Future()
        with self._lock:
            if self._closed:
                raise RuntimeError("the local executor is closed")
            self._pending.append((job, timeout, future))
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="site-tools-pool", daemon=True)
                self._thread.start()
        future.add_done_callback(self._on_cancelled)
        self._wake()
        return future

    def cancel_all(self, wait_s: float = 10.0) -> None:
        with self._lock:
            pending, self._pending = list(self._pending), deque()
            running = list(self._running.values())
        for job, _, future in pending:
            future.cancel()
            _cleanup(job)
        for entry in running:
            entry.future.cancel()
            _kill_group(entry.process.pid)
        self._wake()
        deadline = time.monotonic() + wait_s
        while self._running and time.monotonic() < deadline:
            time.sleep(0.02)  # the loop reaps the killed processes and removes their folders

    def close(self) -> None:
        self.cancel_all()
        with self._lock:
            self._closed = True
        self._wake()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def describe(self, runs: int, threads: int) -> str:
        return f"in {min(self.settings.workers, runs)} worker(s), {threads} torch thread(s) each"

    # -- the loop, in its own thread -------------------------------------------------------------
    def _wake(self) -> None:
        with contextlib.suppress(BlockingIOError, OSError):
            os.write(self._wake_w, b"x")

    def _on_cancelled(self, future: Future) -> None:
        if future.cancelled():
            self._wake()  # the loop kills it if it runs

    def _loop(self) -> None:
        while True:
            with self._lock:
                if self._closed and not self._running:
                    return
                self._start_pending()
                running = dict(self._running)
            sentinels = [*running, self._wake_r]
            if running:
                deadline = min(entry.start + entry.timeout for entry in running.values())
                ready = wait(sentinels, timeout=max(0.0, deadline - time.monotonic()))
            else:
                ready = wait(sentinels)
            if self._wake_r in ready:
                os.read(self._wake_r, 4096)
            now = time.monotonic()
            for sentinel, entry in running.items():
                if entry.future.cancelled() and sentinel not in ready:
                    _kill_group(entry.process.pid)  # cancelled while running: its sentinel fires next
                    continue
                timed_out = sentinel not in ready and now >= entry.start + entry.timeout
                if sentinel in ready or timed_out:
                    self._finish(sentinel, entry, now, timed_out)

    def _start_pending(self) -> None:
        while self._pending and len(self._running) < self.settings.workers:
            job, timeout, future = self._pending.popleft()
            if future.cancelled():
                _cleanup(job)
                continue
            process = self._context.Process(target=run_job, args=(job,), daemon=False)
            with _main_module_hidden():
                process.start()
            self._running[process.sentinel] = _Running(process, job, future, time.monotonic(), timeout)

    def _finish(self, sentinel: int, entry: _Running, now: float, timed_out: bool) -> None:
        process, job = entry.process, entry.job
        if timed_out:
            request_stack(process.pid, job)  # where it hung, for the message
            _kill_group(process.pid)
        process.join()
        _kill_group(process.pid)  # children the snippet left behind
        if entry.future.cancelled():
            _cleanup(job)
        else:
            result = _collect(job, process.exitcode, now - entry.start, timed_out, entry.timeout)
            result = replace(result, worker=self.worker_name)
            with contextlib.suppress(InvalidStateError):  # cancelled meanwhile: nobody wants it
                entry.future.set_result(result)
        process.close()
        with self._lock:
            del self._running[sentinel]


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


def job_for(request: RunRequest) -> Job:
    """The job that carries out ``request``, with its own working and output folders."""
    return new_job(
        request.key,
        request.snippet.path,
        request.snippet.cells,
        root=request.root,
        snippets_dir=request.snippets_dir,
        threads=request.threads,
        memory_limit=request.memory_limit,
        device=request.device,
        params=params_json(request.snippet.params),
    )


def new_job(
    key: str,
    path: str,
    cells,
    *,
    root: Path,
    snippets_dir: Path,
    threads: int,
    memory_limit: int | None,
    device: str = "cpu",
    where: str = "this machine",
    params: str = "",
) -> Job:
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
        threads=threads,
        memory_limit=memory_limit,
        device=device,
        where=where,
        memory_cap="resident" if device == "cuda" else "address",
        params=params,
    )


def _collect(job: Job, exitcode: int | None, duration: float, timed_out: bool, timeout: float) -> RunResult:
    out = Path(job.out_dir)
    try:
        result_file = out / "result.json"
        if timed_out or not result_file.is_file():
            if timed_out:
                status, error = "timeout", _timeout_message(job, timeout)
            elif (out / MEMORY_NOTE).is_file():
                status, error = "memory", _resident_message(job, out / MEMORY_NOTE)
            else:
                status, error = "crashed", _crash_message(job, exitcode)
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


def _resident_message(job: Job, note: Path) -> str:
    resident = int(note.read_text(encoding="utf-8") or 0)
    stack = worker_output(job)
    where = f"\nIt was stopped here:\n{stack}" if stack else ""
    return (
        f"{job.path}: went over its memory limit ({(job.memory_limit or 0) >> 20} MiB more than its"
        f" worker, resident: {resident >> 20} MiB) and was stopped{where}"
    )


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
