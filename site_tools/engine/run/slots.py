"""The job-slot loop: one thread that keeps at most ``workers`` jobs running, whoever starts them.

The local pool (``pool.py``: forks of a preloaded forkserver) and the daemon client
(``daemon_client.py``: forks of the checkout's daemon) differ only in how a job is started and how its
end is learnt; that is their ``Launcher``. Everything else is here, once: the pending queue, the
running jobs and their deadlines, the wake pipe, cancel and close, and recording where each result
ran; a job's folders, and reading them into a ``RunResult``, are ``jobs.py``. A launcher that
breaks (the daemon went away) hands every unfinished job to a replacement executor, once, and the
build says so (``executor.fall_back``).
"""

from __future__ import annotations

import abc
import contextlib
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, InvalidStateError
from dataclasses import dataclass, field, replace
from multiprocessing.connection import wait

from site_tools.engine.model import RunResult
from site_tools.engine.run.executor import Executor, ExecutorError
from site_tools.engine.run.jobs import cleanup, collect, fresh_folders, new_job
from site_tools.engine.run.postmortem import request_stack
from site_tools.engine.run.spec import Job, RunSpec


class LauncherLost(OSError):
    """The launcher cannot start or follow jobs any more (its daemon went away); the text says why."""


@dataclass
class Launched:
    """A started job: ``fd`` becomes readable when it ends (or when its launcher has news of it)."""

    fd: int
    pid: int
    handle: object = None  # the launcher's own: a Process, a socket
    exitcode: int | None = None  # set by ``Launcher.ended``


class Launcher(abc.ABC):
    """Starts jobs and tells when they end; called from the loop's thread only."""

    @abc.abstractmethod
    def prepare(self) -> None:
        """Before the first job (start a server, say); raises OSError when that cannot be done."""

    @abc.abstractmethod
    def start(self, job: Job) -> Launched:
        """Start ``job`` in a new process group; OSError when it cannot be."""

    @abc.abstractmethod
    def ended(self, launched: Launched) -> bool:
        """Read the news on ``launched.fd``: True (with ``exitcode`` set) once the job has ended.

        Raises ``LauncherLost`` when nobody will ever say (the daemon hung up)."""

    @abc.abstractmethod
    def release(self, launched: Launched) -> None:
        """Let go of what ``start`` opened for the job."""


@dataclass
class _Entry:
    job: Job
    timeout: float
    future: Future
    launched: Launched | None = None
    start: float = 0.0
    killed: bool = False  # timed out or cancelled: its end is awaited
    timed_out: bool = False


@dataclass
class _Slots:
    pending: deque[_Entry] = field(default_factory=deque)
    running: dict[int, _Entry] = field(default_factory=dict)  # fd -> entry


class SlotExecutor(Executor):
    """An executor made of the slot loop and a ``Launcher``; results name ``worker_name`` as their worker."""

    def __init__(
        self,
        workers: int,
        launcher: Launcher,
        *,
        worker_name: str,
        replacement: Callable[[str], Executor] | None = None,
    ) -> None:
        self.workers = workers
        self.launcher = launcher
        self.worker_name = worker_name  # recorded in each result: where it ran
        self._replacement_factory = replacement  # called once, with why, if the launcher breaks
        self._replacement: Executor | None = None
        self._lock = threading.Lock()
        self._slots = _Slots()
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_w, False)
        self._thread: threading.Thread | None = None
        self._closed = False

    # -- the interface ---------------------------------------------------------------------------
    def submit(self, spec: RunSpec) -> Future[RunResult]:
        return self.submit_job(new_job(spec), spec.snippet.timeout)

    def submit_job(self, job: Job, timeout: float) -> Future[RunResult]:
        """Run a prepared ``job`` (its folders made by ``new_job``); the future ends with its result."""
        entry = _Entry(job, timeout, Future())
        with self._lock:
            if self._closed:
                raise RuntimeError(f"the {self.worker_name} executor is closed")
            if self._replacement is not None:
                return self._replacement.submit_job(job, timeout)  # type: ignore[attr-defined]
            self._slots.pending.append(entry)
            self._start_thread()
        entry.future.add_done_callback(self._on_done)
        self._wake()
        return entry.future

    def warm_up(self) -> None:
        """Start the loop now: its launcher prepares (the preload, the daemon) while the build collects."""
        with self._lock:
            self._start_thread()

    def _start_thread(self) -> None:
        if self._thread is None and not self._closed:
            self._thread = threading.Thread(target=self._loop, name="site-tools-slots", daemon=True)
            self._thread.start()

    def cancel_all(self, wait_s: float = 10.0) -> None:
        with self._lock:
            pending, self._slots.pending = list(self._slots.pending), deque()
            running = list(self._slots.running.values())
            replacement = self._replacement
        for entry in pending:
            entry.future.cancel()
            cleanup(entry.job)
        for entry in running:
            entry.future.cancel()  # the loop kills it and reaps it
        self._wake()
        deadline = time.monotonic() + wait_s
        while self._slots.running and time.monotonic() < deadline:
            time.sleep(0.02)
        if replacement is not None:
            replacement.cancel_all()

    def close(self) -> None:
        self.cancel_all()
        with self._lock:
            self._closed = True
        self._wake()
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._replacement is not None:
            self._replacement.close()

    # -- the loop, in its own thread -------------------------------------------------------------
    def _wake(self) -> None:
        with contextlib.suppress(BlockingIOError, OSError):
            os.write(self._wake_w, b"x")

    def _on_done(self, future: Future) -> None:
        if future.cancelled():
            self._wake()  # the loop kills it if it runs

    def _loop(self) -> None:
        try:
            self.launcher.prepare()
        except OSError as error:
            self._fall_back(str(error))
            return
        while True:
            with self._lock:
                if self._closed and not self._slots.running:
                    return
            try:
                self._start_pending()
            except OSError as error:
                self._fall_back(str(error))
                return
            running = dict(self._slots.running)
            deadlines = [e.start + e.timeout for e in running.values() if not e.killed]
            timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
            ready = set(wait([*running, self._wake_r], timeout=timeout))
            if self._wake_r in ready:
                os.read(self._wake_r, 4096)
            now = time.monotonic()
            for fd, entry in running.items():
                if fd in ready:
                    try:
                        if self.launcher.ended(entry.launched):
                            self._finish(fd, entry, now)
                    except LauncherLost as error:
                        self._fall_back(str(error))
                        return
                elif not entry.killed and (entry.future.cancelled() or now >= entry.start + entry.timeout):
                    entry.killed, entry.timed_out = True, not entry.future.cancelled()
                    if entry.timed_out:
                        request_stack(entry.launched.pid, entry.job)  # where it hung, for the message
                    kill_group(entry.launched.pid)  # its fd fires next

    def _start_pending(self) -> None:
        while True:
            with self._lock:
                if not self._slots.pending or len(self._slots.running) >= self.workers:
                    return
                entry = self._slots.pending.popleft()
            if entry.future.cancelled():
                cleanup(entry.job)
                continue
            try:
                entry.launched = self.launcher.start(entry.job)
            except OSError:
                with self._lock:
                    self._slots.pending.appendleft(entry)
                raise
            entry.start = time.monotonic()
            with self._lock:
                self._slots.running[entry.launched.fd] = entry

    def _finish(self, fd: int, entry: _Entry, now: float) -> None:
        kill_group(entry.launched.pid)  # children the snippet left behind
        self.launcher.release(entry.launched)
        if entry.future.cancelled():
            cleanup(entry.job)
        else:
            duration = now - entry.start
            result = collect(entry.job, entry.launched.exitcode, duration, entry.timed_out, entry.timeout)
            result = replace(result, worker=self.worker_name)
            with contextlib.suppress(InvalidStateError):  # cancelled meanwhile: nobody wants it
                entry.future.set_result(result)
        with self._lock:
            del self._slots.running[fd]

    def _fall_back(self, why: str) -> None:
        """Hand every job not finished to the replacement executor (made once); the build is told."""
        with self._lock:
            running, self._slots.running = list(self._slots.running.values()), {}
            pending, self._slots.pending = list(self._slots.pending), deque()
        for entry in running:
            kill_group(entry.launched.pid)  # its process outlives its launcher otherwise
            self.launcher.release(entry.launched)
            fresh_folders(entry.job)
        if self._replacement_factory is None:
            for entry in [*running, *pending]:
                with contextlib.suppress(InvalidStateError):
                    entry.future.set_exception(ExecutorError(why))  # the build stops with why
            return
        replacement = self._replacement_factory(why)
        with self._lock:
            self._replacement = replacement
        for entry in [*running, *pending]:
            if entry.future.cancelled():
                cleanup(entry.job)
            else:
                _chain(replacement.submit_job(entry.job, entry.timeout), entry.future)  # type: ignore[attr-defined]


def kill_group(pid: int | None) -> None:
    """SIGKILL the process group ``pid`` leads (a snippet and whatever it started)."""
    if pid:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)


def _chain(source: Future, target: Future) -> None:
    def copy(done: Future) -> None:
        with contextlib.suppress(InvalidStateError):
            if done.cancelled():
                target.cancel()
            elif done.exception() is not None:
                target.set_exception(done.exception())
            else:
                target.set_result(done.result())

    source.add_done_callback(copy)
