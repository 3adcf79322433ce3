"""Run snippets in parallel, each in a fresh fork of a process that has torch and matplotlib loaded.

multiprocessing's forkserver imports ``site_tools.engine.run.preload`` once; each job is a new process
forked from it, so a snippet starts in well under a second with clean interpreter state. A background
thread (the slot loop of ``slots.py``) keeps at most ``workers`` running, kills a job's whole process
group when it times out or is cancelled, and reads a missing result as a crash. A dead job never takes
the pool down: the next job simply gets a new process.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import sys
import types
from multiprocessing import forkserver

from site_tools.engine.run.child import run_job
from site_tools.engine.run.pool_settings import PoolSettings, default_settings, for_batch
from site_tools.engine.run.slots import Launched, Launcher, SlotExecutor
from site_tools.engine.run.spec import Job

__all__ = ["LocalExecutor", "PoolSettings", "default_settings", "for_batch"]

PRELOAD = ["site_tools.engine.run.preload"]


class ForkserverLauncher(Launcher):
    """Starts each job as a fork of this machine's forkserver, which imported the preload once."""

    def __init__(self) -> None:
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(PRELOAD)

    def prepare(self) -> None:
        forkserver.ensure_running()  # the preload starts now, while the build still collects

    def start(self, job: Job) -> Launched:
        process = self._context.Process(target=run_job, args=(job,), daemon=False)
        with _main_module_hidden():
            process.start()
        return Launched(process.sentinel, process.pid, process)

    def ended(self, launched: Launched) -> bool:
        process = launched.handle
        process.join()
        launched.exitcode = process.exitcode
        process.close()
        return True

    def release(self, launched: Launched) -> None:
        """Nothing to let go: ``ended`` closed the process."""


class LocalExecutor(SlotExecutor):
    """This machine's cores. Starts the preloading server on first use and keeps it for later builds."""

    def __init__(self, settings: PoolSettings, worker_name: str = "local") -> None:
        super().__init__(settings.workers, ForkserverLauncher(), worker_name=worker_name)
        self.pool_settings = settings

    def describe(self, runs: int, threads: int) -> str:
        return f"in {min(self.pool_settings.workers, runs)} worker(s), {threads} torch thread(s) each"


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
