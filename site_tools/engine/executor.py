"""Where snippets run: the executor interface, and the loop that waits for a batch of runs.

An executor takes one run at a time and hands back a ``concurrent.futures.Future`` of its
``RunResult`` at once; it never blocks the caller. ``cancel_all`` stops everything it holds (queued
runs are dropped, running snippets are killed, their futures end cancelled) and ``close`` also lets go
of its workers. The forked pool of this machine (``site_tools.engine.pool.LocalExecutor``) is the
default; a Dask cluster (``site_tools.engine.dask_executor``) is another. Nothing here imports MkDocs
or Dask.

A future raises ``ExecutorError`` when the executor itself fails (its scheduler went away): that
stops the build with the message; a snippet that fails is an ordinary ``RunResult``.
"""

from __future__ import annotations

import abc
import signal
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass
from pathlib import Path

from site_tools.engine.model import RunResult, Snippet


@dataclass(frozen=True)
class RunRequest:
    """One snippet to run, with everything the run needs to know besides the snippet's files."""

    key: str
    snippet: Snippet
    root: Path
    snippets_dir: Path
    threads: int = 1  # torch threads
    memory_limit: int | None = None  # bytes the snippet may add
    device: str = "cpu"  # as keyed (``snippet_device``): "cuda" runs only where a GPU is
    figure_budget_kb: int = 0  # as keyed: a figure over it is saved with its dense artists as pixels


class ExecutorError(Exception):
    """The executor cannot go on (unreachable or lost scheduler); the message says what to do."""


class Executor(abc.ABC):
    """Runs snippets somewhere. Thread-safe: ``submit`` may be called from any thread."""

    name = "executor"

    @abc.abstractmethod
    def submit(self, request: RunRequest) -> Future[RunResult]:
        """Queue ``request``; the future ends with its result (or ``ExecutorError``)."""

    @abc.abstractmethod
    def cancel_all(self) -> None:
        """Drop queued runs and kill running snippets; returns once they are stopped."""

    def close(self) -> None:
        """Cancel everything and release the workers. The executor is not used afterwards."""
        self.cancel_all()

    def describe(self, runs: int, threads: int) -> str:
        """How ``runs`` runs will go, for the build's plan line ("in 2 worker(s), ...")."""
        return f"with {threads} torch thread(s) each"


def run_all(
    executor: Executor,
    requests: Iterable[RunRequest],
    on_done: Callable[[RunRequest, RunResult], None],
) -> None:
    """Submit every request and call ``on_done`` in this thread as each result arrives.

    Ctrl-C, SIGTERM (a cancelled CI job) or an ``ExecutorError`` cancels the rest, killing the
    snippets that are running, then propagates.
    """
    restore_sigterm = sigterm_as_interrupt()
    futures: dict[Future[RunResult], RunRequest] = {}
    try:
        for request in requests:
            futures[executor.submit(request)] = request
        pending = set(futures)
        while pending:
            # A timeout, so that a signal is seen promptly while waiting.
            done, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
            for future in done:
                on_done(futures[future], future.result())
    except BaseException:
        executor.cancel_all()
        raise
    finally:
        restore_sigterm()


def sigterm_as_interrupt() -> Callable[[], None]:
    """Make SIGTERM stop the build as Ctrl-C does; return what puts the previous handler back.

    A cancelled CI job or ``timeout`` sends SIGTERM. Raised as an interrupt, it goes through
    ``run_all``'s cancel, which kills the running snippets; otherwise they would outlive the build
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
