"""Where snippets run: the executor interface, which every executor implements.

An executor takes one run at a time and hands back a ``concurrent.futures.Future`` of its
``RunResult`` at once; it never blocks the caller. ``cancel_all`` stops everything it holds (queued
runs are dropped, running snippets are killed, their futures end cancelled) and ``close`` also lets go
of its workers. ``executor: local`` (the forked pool of this machine, ``pool.py``) is the default;
``daemon`` is the same forks reached through the checkout's worker daemon (``daemon_client.py``),
``dask`` a Dask cluster (``dask_executor.py``); ``registry.py`` makes the one an option names, a third
party's too (a factory taking an ``ExecutorContext``, under the entry-point group
``site_tools.executors``). An executor that cannot start raises ``ExecutorUnavailable``; the engine
alone decides what replaces it and says so, once (``Engine._fall_back``). Keys never depend on the
executor. Nothing here imports MkDocs or Dask, nor the executors themselves.

A future raises ``ExecutorError`` when the executor itself fails (its scheduler went away): that
stops the build with the message; a snippet that fails is an ordinary ``RunResult``.
"""

from __future__ import annotations

import abc
import signal
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TYPE_CHECKING

from site_tools.engine.model import RunResult
from site_tools.engine.run.spec import RunSpec

if TYPE_CHECKING:
    from site_tools.engine.config import EngineConfig
    from site_tools.engine.run.pool_settings import PoolSettings


class ExecutorError(Exception):
    """The executor cannot go on (unreachable or lost scheduler); the message says what to do."""


class Executor(abc.ABC):
    """Runs snippets somewhere. Thread-safe: ``submit`` may be called from any thread."""

    @abc.abstractmethod
    def submit(self, spec: RunSpec) -> Future[RunResult]:
        """Queue the run ``spec``; the future ends with its result (or ``ExecutorError``)."""

    @abc.abstractmethod
    def cancel_all(self) -> None:
        """Drop queued runs and kill running snippets; returns once they are stopped."""

    def close(self) -> None:
        """Cancel everything and release the workers. The executor is not used afterwards."""
        self.cancel_all()

    def describe(self, runs: int, threads: int) -> str:
        """How ``runs`` runs will go, for the build's plan line ("in 2 worker(s), ...")."""
        return f"with {threads} torch thread(s) each"

    def warm_up(self) -> None:
        """Start loading the workers now, without waiting (the build still collects its pages)."""
        return None  # an executor whose workers are always ready


class ExecutorUnavailable(ExecutorError):
    """An executor cannot start here. ``why`` says what failed, ``advice`` what the author can do;
    ``replaceable``: the engine may run the snippets on this machine instead (with a notice)."""

    def __init__(self, why: str, advice: str = "", *, replaceable: bool = False) -> None:
        super().__init__(f"{why}. {advice}" if advice else why)
        self.why, self.replaceable = why, replaceable


@dataclass(frozen=True)
class ExecutorContext:
    """What an executor factory is given: the engine's options and its pool size, and the fallback."""

    config: EngineConfig
    pool_settings: PoolSettings  # workers and torch threads: not the site options (settings.py)
    notice: Callable[[str], None]  # a line for the build's notices
    fall_back: Callable[[str], Executor]  # the replacement for an executor that cannot go on, told why


def sigterm_as_interrupt() -> Callable[[], None]:
    """Make SIGTERM stop the build as Ctrl-C does; return what puts the previous handler back.

    A cancelled CI job or ``timeout`` sends SIGTERM. Raised as an interrupt in the thread that waits
    for results, it goes through ``Engine.cancel``, which kills the running snippets; otherwise they
    would outlive the build (and keep the worker server alive with them).
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
