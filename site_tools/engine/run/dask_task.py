"""What a Dask worker does with one snippet: rebuild its files, run it as a local run would, report.

The task carries everything (``Bundle``): the run's ``RunSpec`` as the engine made it, and the helper
modules and data files it reads, named by their contents' digests; the contents come as the task's
arguments, from the copy each worker was sent once (``DaskExecutor._sent``). The worker writes them
into a temporary root laid out like the site (``snippets/...``), re-roots the spec there, and runs
the snippet through this worker's own ``LocalExecutor``: a forkserver that imported torch once for
the worker, a fresh forked process per snippet, the same seeds, threads, memory cap, write guard and
timeout (with the line it hung on, and its process group killed). Paths in messages are relative to
that root, so they read exactly as a local run's do.

Dask cannot stop a task that is running, so the task watches a distributed ``Event``: when the build
is cancelled (Ctrl-C) the client sets it, and the task kills its snippet's process group.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
import threading
from concurrent.futures import CancelledError
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, replace
from pathlib import Path

from distributed import Event, get_client, get_worker

from site_tools.engine.model import RunResult
from site_tools.engine.run.jobs import new_job
from site_tools.engine.run.pool import LocalExecutor, default_settings
from site_tools.engine.run.spec import RunSpec
from site_tools.engine.store.key import runtime_versions

_executors: dict[str, LocalExecutor] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class Bundle:
    """One snippet run, self-contained: a worker needs no checkout of the site."""

    spec: RunSpec  # its root and snippets folder are the client's: the worker puts its own in
    files: tuple[tuple[str, str], ...]  # repository-relative path -> content digest: helpers, data, the code
    versions: tuple[tuple[str, str], ...]  # the client's keyed versions
    cancel_event: str  # the distributed Event that says "stop"


def worker_versions() -> dict[str, str]:
    """The keyed versions of the worker it runs on (``Client.run`` calls it on every worker)."""
    return dict(runtime_versions())


def version_mismatch(worker: str, theirs: dict[str, str], ours: dict[str, str]) -> str | None:
    """Why results of ``worker`` may not be stored under this build's keys, or None when they may."""
    for package, version in ours.items():
        if theirs.get(package) != version:
            return (
                f"Dask worker {worker} has {package} {theirs.get(package, 'absent')}, but this build has "
                f"{package} {version}: its results would be stored under keys that do not describe "
                "them, so it is refused. Install the same versions on the worker (or stop it)."
            )
    return None


def run_bundle(bundle: Bundle, *contents: bytes) -> RunResult:
    """The Dask task: run one snippet on this worker and return its result. ``contents`` are its
    files' contents, one per digest in the order the bundle first names them (Dask hands them over
    from the copy the worker keeps)."""
    worker = get_worker()
    name = str(worker.name)
    spec, path = bundle.spec, bundle.spec.snippet.path
    problem = version_mismatch(name, worker_versions(), dict(bundle.versions))
    if problem:
        return RunResult(spec.key, "error", error=f"{path}: {problem}\n", worker=name)
    cancel = Event(bundle.cancel_event, client=get_client())
    if cancel.is_set():
        raise CancelledError(f"{path}: the build was cancelled")
    root = Path(tempfile.mkdtemp(prefix="site-tools-root-")).resolve()
    try:
        by_digest = dict(zip(dict.fromkeys(digest for _, digest in bundle.files), contents, strict=True))
        for relative, digest in bundle.files:
            content = by_digest[digest]
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        snippets_dir = root / spec.snippets_dir.relative_to(spec.root)
        snippets_dir.mkdir(parents=True, exist_ok=True)
        here = replace(spec, root=root, snippets_dir=snippets_dir)  # the same run, on this copy
        job = new_job(here, where=f"Dask worker {name}")
        running = _local_executor(worker).submit_job(job, spec.snippet.timeout)
        while True:
            try:
                return running.result(timeout=0.5)
            except FutureTimeout:
                if cancel.is_set():
                    running.cancel()  # the local executor kills its process group
                    raise CancelledError(f"{path}: the build was cancelled") from None
    finally:
        shutil.rmtree(root, ignore_errors=True)


def file_content(content: bytes) -> bytes:
    """A file's content as a task's result, kept by the worker for the tasks that need it."""
    return content


def start_pool(dask_worker) -> None:
    """Start this worker's pool (``Client.run`` calls it on every worker as a build starts), so that
    its preload runs while the build collects, as the local pool's does."""
    _local_executor(dask_worker).warm_up()


def _local_executor(worker) -> LocalExecutor:
    """This worker's forked pool, one slot per Dask thread, made on its first snippet and kept."""
    with _lock:
        executor = _executors.get(worker.address)
        if executor is None:
            _drop_nanny_environment()
            # A worker under a nanny is a daemonic process, which multiprocessing forbids to start
            # children. Ours are managed (killed with their group, and with the forkserver when
            # the worker dies), so the worker may have them.
            multiprocessing.current_process().daemon = False
            settings = default_settings(worker.state.nthreads)
            executor = _executors[worker.address] = LocalExecutor(settings, worker_name=str(worker.name))
        return executor


def _drop_nanny_environment() -> None:
    """Take out of this worker's environment what Dask's nanny set for the worker's own memory
    (``distributed.nanny.pre-spawn-environ``: ``MALLOC_TRIM_THRESHOLD_=65536``, one OpenMP thread),
    before the pool's forkserver starts from it: every snippet would inherit them, and with that
    malloc setting the real site's snippets cost ~30 % more CPU than on this machine's local pool
    (glibc hands memory back to the system after each large free). Snippets run as they do locally."""
    import dask

    for name, value in (dask.config.get("distributed.nanny.pre-spawn-environ", default=None) or {}).items():
        if os.environ.get(name) == str(value):
            del os.environ[name]
