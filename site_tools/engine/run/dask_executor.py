"""Run snippets on a Dask cluster (``executor: dask``; needs the ``site-tools[dask]`` extra).

Each run becomes one Dask task carrying everything it needs (see ``dask_task.Bundle``), its files
sent to every worker once per content rather than with each task; a snippet
that asks for resources (``resources: {GPU: 1}``, or keyed "cuda") is placed only on workers that
offer them. Before the first run the workers' keyed versions (Python, torch, numpy, matplotlib) are
compared with this machine's: a worker that differs is refused, so no result is stored under a key
that does not describe it.

Faults: a worker that dies mid-snippet makes the scheduler run the task again elsewhere (as often as
its ``distributed.scheduler.allowed-failures`` says); past that the snippet is reported as crashed.
A lost scheduler stops the build with an ``ExecutorError``. ``cancel_all`` cancels the tasks and sets
the build's cancel ``Event``, on which running tasks kill their snippets' process groups.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future, InvalidStateError
from pathlib import Path

from distributed import Client, Event
from distributed.scheduler import KilledWorker

from site_tools.engine.collect.deps import local_dependencies
from site_tools.engine.model import RunResult
from site_tools.engine.run.dask_task import (
    Bundle,
    file_content,
    run_bundle,
    start_pool,
    version_mismatch,
    worker_versions,
)
from site_tools.engine.run.executor import Executor, ExecutorError, ExecutorUnavailable
from site_tools.engine.run.spec import RunSpec
from site_tools.engine.store.key import runtime_versions

CONNECT_TIMEOUT = 10.0  # seconds; an unreachable scheduler is reported well within 30 s
NO_WORKER_TIMEOUT = 60.0  # seconds without a worker that can take the queued tasks: stop, not hang


def connect(
    address: str | None,
    *,
    fallback: bool = False,
    notice: Callable[[str], None] = print,
    timeout: float = CONNECT_TIMEOUT,
) -> DaskExecutor:
    """An executor on the scheduler at ``address``; ``ExecutorUnavailable`` when it cannot be reached
    (``replaceable`` with ``fallback``: the engine then runs the snippets on this machine)."""
    if not address:
        raise ExecutorError(
            "`executor: dask` needs the scheduler's address: set `dask_address: tcp://host:8786` in "
            "the site-tools options of mkdocs.yml, or SITE_TOOLS_DASK_ADDRESS"
        )
    try:
        client = Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as error:
        raise ExecutorUnavailable(
            f"cannot reach the Dask scheduler at {address} within {timeout:g} s ({error})",
            "Start it, correct `dask_address` (or SITE_TOOLS_DASK_ADDRESS), or set "
            "`dask_fallback: true` to run snippets locally when it is down.",
            replaceable=fallback,
        ) from None
    try:
        return DaskExecutor(client, address, notice=notice)
    except ExecutorError:
        client.close()
        raise
    except Exception as error:  # a worker without site-tools cannot even say its versions
        client.close()
        raise ExecutorError(
            f"the Dask workers of {address} could not report their versions ({type(error).__name__}: "
            f"{error}); install site-tools[dask] on them, with the same versions as this machine"
        ) from None


class DaskExecutor(Executor):
    def __init__(self, client: Client, address: str, *, notice: Callable[[str], None] = print) -> None:
        self.client = client
        self.address = address
        self._lock = threading.Lock()
        self._futures: dict[object, Future[RunResult]] = {}
        self._files: dict[str, object] = {}  # content digest -> the future a worker keeps it in
        self._event = _event_name()
        self._versions = runtime_versions()
        self._allowed = self._check_workers(notice)
        self.no_worker_timeout = NO_WORKER_TIMEOUT
        self._watch: threading.Thread | None = None

    # -- the interface ---------------------------------------------------------------------------
    def submit(self, spec: RunSpec) -> Future[RunResult]:
        outcome: Future[RunResult] = Future()
        resources = dict(spec.snippet.resources)
        if spec.device == "cuda":
            resources.setdefault("GPU", 1)
        missing = self._unoffered(resources)
        if missing:
            outcome.set_result(
                RunResult(spec.key, "refused", error=missing)  # no place in the code to point at
            )
            return outcome
        with self._lock:
            bundle, contents = make_bundle(spec, self._event, self._versions)
            task = self.client.submit(
                run_bundle,
                bundle,
                *(self._sent(digest, content) for digest, content in contents.items()),
                key=f"site-tools-{Path(spec.snippet.path).stem}-{spec.key[:10]}-{uuid.uuid4().hex[:8]}",
                pure=False,
                resources=resources or None,
                workers=self._allowed,
                allow_other_workers=False,
            )
            self._futures[task] = outcome
            if self._watch is None:
                self._watch = threading.Thread(
                    target=self._watch_workers, name="site-tools-dask", daemon=True
                )
                self._watch.start()
        task.add_done_callback(lambda done: self._settle(done, outcome, spec))
        return outcome

    def _sent(self, digest: str, content: bytes):
        """The future of one file's content, made once per content by a task of its own whose result
        the worker keeps: Dask moves it to each worker that runs a snippet needing it once, instead of
        sending the file with every task. A task rather than ``scatter``: it waits for workers as
        the snippets do, and the scheduler makes it again if the worker holding it dies."""
        if digest not in self._files:
            self._files[digest] = self.client.submit(
                file_content,
                content,
                key=f"site-tools-file-{digest}",
                workers=self._allowed,
                allow_other_workers=False,
            )
        return self._files[digest]

    def cancel_all(self) -> None:
        with self._lock:
            futures, self._futures = dict(self._futures), {}
            event, self._event = self._event, _event_name()
        for outcome in futures.values():
            outcome.cancel()
        if not futures:
            return
        with contextlib.suppress(Exception):  # the scheduler may be gone: then so are its tasks
            Event(event, client=self.client).set()  # running tasks kill their snippets
            self.client.cancel(list(futures), force=True)

    def close(self) -> None:
        self.cancel_all()
        with contextlib.suppress(Exception):
            self.client.close(timeout=10)

    def warm_up(self) -> None:
        """Each worker starts its pool now (its forkserver's preload), while the build collects."""
        with contextlib.suppress(Exception):  # a worker that cannot: its first task starts it
            self.client.run(start_pool, wait=False)

    def describe(self, runs: int, threads: int) -> str:
        workers = len(self._workers())
        return f"on the Dask cluster at {self.address} ({workers} worker(s)), {threads} torch thread(s) each"

    # -- results ---------------------------------------------------------------------------------
    def _settle(self, task, outcome: Future[RunResult], spec: RunSpec) -> None:
        """Called by Dask (in a thread of its own) when ``task`` ends: pass its end to ``outcome``."""
        with self._lock:
            self._futures.pop(task, None)
        if outcome.done():
            return  # cancelled by this build
        try:
            if task.status == "finished":
                value: RunResult | BaseException = task.result()
            elif task.status == "cancelled":
                value = ExecutorError(
                    f"lost the connection to the Dask scheduler at {self.address} while running "
                    f"{spec.snippet.name}; the build stops (results already stored are sound)"
                )
            else:
                value = self._failure(task.exception(), spec)
        except Exception as error:  # fetching the result itself failed: the cluster is in trouble
            value = ExecutorError(f"the Dask cluster at {self.address} failed: {error}")
        with contextlib.suppress(InvalidStateError):
            if isinstance(value, BaseException):
                outcome.set_exception(value)
            else:
                outcome.set_result(value)

    def _failure(self, error: BaseException, spec: RunSpec) -> RunResult | BaseException:
        if isinstance(error, KilledWorker):
            return RunResult(
                spec.key,
                "crashed",
                error=(
                    f"{spec.snippet.path}: the Dask workers running it died, more often than the "
                    f"scheduler retries a task ({error}). Does it use more memory than a worker has?"
                ),
                error_location=spec.snippet.path,
            )
        return ExecutorError(
            f"a Dask worker could not run {spec.snippet.name}: {type(error).__name__}: {error}. "
            "Is site-tools installed on the workers?"
        )

    def _watch_workers(self) -> None:
        """While tasks wait, stop the build if the cluster has had no worker for a while.

        Dask would keep the tasks queued until a worker comes (for ever, on a cluster whose workers
        have all gone); a build should rather say so.
        """
        since: float | None = None
        while True:
            time.sleep(2.0)
            with self._lock:
                outcomes = list(self._futures.values())
                if not outcomes:
                    self._watch = None  # the next submit starts another
                    return
            try:
                workers = self._workers()
            except Exception:  # the scheduler is gone: the tasks' own failure says so
                with self._lock:
                    self._watch = None
                return
            if workers:
                since = None
                continue
            since = since or time.monotonic()
            if time.monotonic() - since < self.no_worker_timeout:
                continue
            error = ExecutorError(
                f"the Dask cluster at {self.address} has had no worker for "
                f"{self.no_worker_timeout:g} s; the build stops. Start workers "
                "(`dask worker ADDRESS`), or build without SITE_TOOLS_EXECUTOR=dask."
            )
            for outcome in outcomes:
                with contextlib.suppress(InvalidStateError):
                    outcome.set_exception(error)
            since = None

    # -- the cluster -----------------------------------------------------------------------------
    def _workers(self) -> dict[str, dict]:
        return self.client.scheduler_info(n_workers=-1).get("workers", {})

    def _check_workers(self, notice: Callable[[str], None]) -> list[str] | None:
        """Refuse workers whose keyed versions differ; None when all may be used."""
        workers = self._workers()
        if not workers:
            return None  # workers may join later; each task checks its worker's versions again
        versions = self.client.run(worker_versions)
        refused = {}
        for address, theirs in versions.items():
            name = str(workers.get(address, {}).get("name", address))
            problem = version_mismatch(name, theirs, self._versions)
            if problem:
                refused[address] = problem
        if not refused:
            return None
        if len(refused) == len(versions):
            raise ExecutorError("\n".join(refused.values()))
        for problem in refused.values():
            notice(problem)
        return sorted(set(versions) - set(refused))

    def _unoffered(self, resources: dict[str, float]) -> str | None:
        """Why no worker can take a task needing ``resources`` (Dask would wait for one forever)."""
        if not resources:
            return None
        for address, info in self._workers().items():
            offered = info.get("resources", {})
            allowed = self._allowed is None or address in self._allowed
            if allowed and all(offered.get(name, 0) >= amount for name, amount in resources.items()):
                return None
        wanted = ", ".join(f"{name}={amount:g}" for name, amount in sorted(resources.items()))
        return (
            f"no worker of the Dask cluster at {self.address} offers {wanted}, which this snippet "
            f"asks for. Ways out: start a worker with `--resources {wanted.replace(', ', ',')}` (on a "
            "GPU machine for GPU), or build with the shared result cache (`cache_url`) where such a "
            "worker has stored its result.\n"
        )


def make_bundle(
    spec: RunSpec, cancel_event: str, versions: dict[str, str]
) -> tuple[Bundle, dict[str, bytes]]:
    """Everything a worker needs to run ``spec`` without a checkout of the site: the bundle, which
    names each file by the digest of its content, and those contents (digest -> bytes), sent apart."""
    root, snippets_dir = spec.root, spec.snippets_dir
    files: dict[str, str] = {}
    contents: dict[str, bytes] = {}

    def add(path: Path) -> None:
        content = path.read_bytes()
        digest = hashlib.sha256(content).hexdigest()
        files[path.resolve().relative_to(root).as_posix()] = digest
        contents[digest] = content

    snippet = spec.snippet
    for cell in snippet.cells:
        for module in local_dependencies(cell.code, snippets_dir):
            if module.name == "__init__.py":  # a package: all of its modules
                for source in module.parent.rglob("*.py"):
                    add(source)
            else:
                add(module)
    for name in snippet.data:
        add(root / name)
    if (root / snippet.path).is_file():
        add(root / snippet.path)  # for a snippet that reads its own file or its folder
    bundle = Bundle(spec, tuple(sorted(files.items())), tuple(sorted(versions.items())), cancel_event)
    return bundle, {digest: contents[digest] for digest in dict.fromkeys(dict(bundle.files).values())}


def _event_name() -> str:
    return f"site-tools-cancel-{uuid.uuid4().hex}"


def wait_for_workers(client: Client, count: int, timeout: float = 60.0) -> None:
    """Block until ``count`` workers are connected (for scripts and tests that start a cluster)."""
    deadline = time.monotonic() + timeout
    while len(client.scheduler_info(n_workers=-1).get("workers", {})) < count:
        if time.monotonic() > deadline:
            raise ExecutorError(f"fewer than {count} Dask workers joined within {timeout:g} s")
        time.sleep(0.2)
