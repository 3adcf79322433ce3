"""The engine's front door: collect snippets, key them, serve hits from the cache, run the misses.

Adapters (MkDocs, pytest, the CLI) make one ``Engine``, hand it every snippet of the site at once and
then only look results up. An ``Engine`` lives as long as its adapter: under ``mkdocs serve`` the
worker server stays loaded between rebuilds.
"""

from __future__ import annotations

import math
import queue
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from site_tools.engine.collect.deps import folder_names, imported_names, keep_parsed_imports, local_module
from site_tools.engine.collect.source import read_source
from site_tools.engine.config import EngineConfig
from site_tools.engine.model import CodeCell, RunResult, Snippet
from site_tools.engine.run.executor import (
    Executor,
    ExecutorContext,
    ExecutorUnavailable,
    sigterm_as_interrupt,
)
from site_tools.engine.run.pool_settings import default_settings, for_batch
from site_tools.engine.run.registry import make_executor
from site_tools.engine.run.spec import RunSpec
from site_tools.engine.run_report import RunReport
from site_tools.engine.store.cache import ResultCache
from site_tools.engine.store.key import snippet_device, snippet_key
from site_tools.engine.store.keycache import KeyCache
from site_tools.engine.store.lastrun import read_last_run, write_last_run

if TYPE_CHECKING:
    from site_tools.engine.store.remote import RemoteCache

RUN_SECONDS = "run_seconds"  # in the last build's record: each snippet's run time, by name
IMPORTS_DIR = "imports"  # under the cache folder: what each parsed text imports (collect/deps.py)
Progress = Callable[[int, int, Snippet, RunResult], None]
Plan = Callable[[str], None]  # told once, before anything runs, what the run will do


def _nothing() -> None:
    return None


@dataclass
class _RunState:
    """One run's counts and its runs still under way (key -> future)."""

    started: float = 0.0
    total: int = 0
    cached: int = 0
    executed: int = 0
    failed: int = 0
    not_run: int = 0
    remote: int | None = None
    pending: dict[str, Future] = field(default_factory=dict)
    snippets: dict[str, Snippet] = field(default_factory=dict)
    finished: queue.SimpleQueue = field(default_factory=queue.SimpleQueue)  # futures, as they end
    progress: Progress | None = None
    batch: int = 0
    restore_sigterm: Callable[[], None] = _nothing


class Engine:
    def __init__(self, config: EngineConfig) -> None:
        self.config = config
        self.cache = ResultCache(config.cache_dir)
        keep_parsed_imports(config.cache_dir / IMPORTS_DIR)  # a no-change build parses no source
        self.keys = KeyCache(config.cache_dir, root=config.root, snippets_dir=config.snippets_dir)
        self.remote: RemoteCache | None = None
        if config.cache_url:
            # Imported here: the HTTP client costs a warm build ~0.1 s that only a shared cache needs.
            from site_tools.engine.store.remote import RemoteCache

            self.remote = RemoteCache.from_environment(config.cache_url, write=config.cache_write)
        self.pool_settings = default_settings(config.workers, config.memory_limit)
        self._executor: Executor | None = None
        self._notices: list[str] = []  # said once per run, with the cache's notices
        self._results: dict[str, RunResult] = {}
        self._keys: dict[Snippet, str] = {}
        self._run = _RunState()

    # -- collect -------------------------------------------------------------------------------
    def snippet_files(self) -> list[Snippet]:
        """Every runnable file in ``snippets/``: the ``.py`` files no other snippet imports."""
        folder = self.config.snippets_dir
        files = sorted(p for p in folder.glob("*.py") if not p.name.startswith("_"))
        present = folder_names(folder)
        helpers = {
            module
            for path in files
            for name in imported_names(read_source(path))  # parsed once per text (keep_parsed_imports)
            if (module := local_module(folder, name, present)) is not None
        }
        return [self.file_snippet(path) for path in files if path not in helpers]

    def file_snippet(self, path: Path) -> Snippet:
        name = path.resolve().relative_to(self.config.root.resolve()).as_posix()
        code = read_source(path)
        return Snippet("file", name, name, (CodeCell(code, 1),), timeout=self.config.timeout)

    def notebook(self, path: Path) -> Snippet:
        """A jupytext notebook as a snippet whose cells run in order in one process."""
        from site_tools.engine.collect.notebook_source import notebook_snippet

        # Its cells kept in the cache: a build whose notebook did not change never imports jupytext.
        return notebook_snippet(
            path, root=self.config.root, timeout=self.config.timeout, cache_dir=self.config.cache_dir
        )

    # -- run -----------------------------------------------------------------------------------
    def key(self, snippet: Snippet) -> str:
        """The snippet's cache key as its files are now (remembered while a stat says they did not change)."""
        device, budget = self.device(snippet), self.config.figure_budget_kb
        compute = partial(
            snippet_key,
            snippet,
            root=self.config.root,
            snippets_dir=self.config.snippets_dir,
            device=device,
            figure_budget_kb=budget,
        )
        return self.keys.key(snippet, (device, budget), compute)

    def device(self, snippet: Snippet) -> str:
        """ "cuda" for a snippet that asks for a GPU, else "cpu", whatever the machine has."""
        return snippet_device(snippet)

    def known_key(self, snippet: Snippet) -> str:
        """The key the last ``start`` gave ``snippet``, without hashing its files again."""
        return self._keys.get(snippet) or self.key(snippet)

    def result(self, snippet: Snippet) -> RunResult | None:
        """The result the last ``run`` gave ``snippet`` (keyed as the files were then).

        While a run started by ``start`` is under way, waits for this snippet's run alone."""
        key = self._keys.get(snippet) or self.key(snippet)
        if key in self._run.pending:
            self._wait(key)
        return self._results.get(key)

    def run(
        self,
        snippets: Iterable[Snippet],
        *,
        force: bool = False,
        progress: Progress | None = None,
        plan: Plan | None = None,
    ) -> RunReport:
        """Make a result available for every snippet: from the cache, by running it, or as ``not-run``."""
        self.start(snippets, force=force, progress=progress, plan=plan)
        return self.finish()

    def start(
        self,
        snippets: Iterable[Snippet],
        *,
        force: bool = False,
        progress: Progress | None = None,
        plan: Plan | None = None,
    ) -> None:
        """Look every snippet up and queue the misses, in the order given; return at once.

        ``result`` then waits for one snippet's run only, so a host can render the pages whose
        snippets are done while the others run; ``finish`` waits for the rest and reports.
        """
        self._run = _RunState(started=time.monotonic())
        self._keys = {snippet: self.key(snippet) for snippet in snippets}  # files may have changed
        self.cache.notices.clear()
        self._notices.clear()
        unique: dict[str, Snippet] = {}
        for snippet, key in self._keys.items():
            unique.setdefault(key, snippet)
        misses: list[tuple[str, Snippet]] = []
        for key, snippet in unique.items():
            hit = None if force else self.cache.get(key)
            if hit is not None:
                self._results[key] = hit
                self._run.cached += 1
            else:
                misses.append((key, snippet))
        misses, remote_hits = self._from_remote(misses, force=force)
        misses = self._longest_first(misses)
        self._run.cached += remote_hits
        self._run.remote = None if self.remote is None else remote_hits
        self._run.total = len(unique)
        if plan:
            plan(self._plan_text(len(unique), self._run.cached, len(misses)))
        if misses and not self.config.execute:
            for key, _ in misses:
                self._results[key] = RunResult(key, "not-run")
            self._run.not_run = len(misses)
        elif misses:
            self._submit(misses, progress)

    def _longest_first(self, misses: list[tuple[str, Snippet]]) -> list[tuple[str, Snippet]]:
        """Longest last run first, so that short snippets fill the gaps at the end; a snippet with no
        recorded run (new, or a cold cache) counts as long, and those keep their page order."""
        last = (read_last_run(self.config.cache_dir) or {}).get(RUN_SECONDS) or {}
        return sorted(misses, key=lambda miss: -last.get(miss[1].name, math.inf))

    def _submit(self, misses: list[tuple[str, Snippet]], progress: Progress | None) -> None:
        run = self._run
        batch = for_batch(self.pool_settings, len(misses))  # workers x threads <= cores
        executor = self.executor()
        run.restore_sigterm = sigterm_as_interrupt()
        root, snippets_dir = self.config.root.resolve(), self.config.snippets_dir.resolve()
        for key, snippet in misses:
            spec = RunSpec(
                key,
                snippet,
                root=root,
                snippets_dir=snippets_dir,
                threads=batch.threads,
                memory_limit=batch.memory_limit,
                device=self.device(snippet),
                figure_budget_kb=self.config.figure_budget_kb,
            )
            try:
                future = executor.submit(spec)
            except BaseException:
                self.cancel()
                raise
            run.pending[key] = future
            run.snippets[key] = snippet
            future.add_done_callback(lambda done, run=run: self._finished(run, done))
        run.progress, run.batch = progress, len(misses)

    def _finished(self, run: _RunState, future: Future) -> None:
        """In the executor's thread, as each run ends: cache and upload it, queue it for the host."""
        if not future.cancelled() and future.exception() is None and future.result().ok:
            self.cache.put(future.result())  # stored at once, whatever the host is doing
            if self.remote is not None:
                self.remote.submit_upload(future.result())
        run.finished.put(future)

    def _take(self, run: _RunState, future: Future) -> None:
        """In the host's thread: count a finished run, tell the host, make its result visible."""
        result = future.result()  # raises the executor's error (ExecutorError), or CancelledError
        run.executed += result.status != "refused"  # never started where it was placed
        run.failed += not result.ok
        try:
            if run.progress:
                run.progress(run.executed, run.batch, run.snippets[result.key], result)
        finally:
            self._results[result.key] = result
            run.pending.pop(result.key, None)

    def finish(self) -> RunReport:
        """Wait for every queued run; the report of the whole run."""
        run = self._run
        try:
            for key in list(run.pending):
                self._wait(key)
        except BaseException:
            self.cancel()
            raise
        finally:
            run.restore_sigterm()
            run.restore_sigterm = _nothing
        notices = [*self._notices, *self.cache.notices]
        if self.remote is not None:
            self.remote.finish_build()  # waits for the uploads
            notices += self.remote.notices
        counts = {
            "total": run.total,
            "executed": run.executed,
            "cached": run.cached,
            "failed": run.failed,
            "remote": run.remote,
        }
        self.keys.save()
        record = {**counts, "remote_url": self.remote and self.remote.url, RUN_SECONDS: self._run_seconds()}
        write_last_run(self.config.cache_dir, record)
        return RunReport(
            **counts, not_run=run.not_run, seconds=time.monotonic() - run.started, notices=tuple(notices)
        )

    def _run_seconds(self) -> dict[str, float]:
        """How long each snippet's result took to make (cached ones: when they ran), by snippet name;
        the next build starts the longest first. Names this build did not see keep their time."""
        seconds = dict((read_last_run(self.config.cache_dir) or {}).get(RUN_SECONDS) or {})
        for snippet, key in self._keys.items():
            result = self._results.get(key)
            if result is not None and result.duration:
                seconds[snippet.name] = round(result.duration, 3)
        return seconds

    def _from_remote(
        self, misses: list[tuple[str, Snippet]], *, force: bool
    ) -> tuple[list[tuple[str, Snippet]], int]:
        """Local misses the remote cache holds: kept as results and backfilled; (still missing, found)."""
        if self.remote is None:
            return misses, 0
        self.remote.begin_build()
        if not misses or force:
            return misses, 0
        found = self.remote.fetch_many({key: snippet.name for key, snippet in misses})
        for key, result in found.items():
            self._results[key] = result
            self.backfill(result)
        return [(key, snippet) for key, snippet in misses if key not in found], len(found)

    def backfill(self, result: RunResult) -> bool:
        """Keep a result fetched from the remote cache in the local one: the next build needs no request."""
        return self.cache.put(replace(result, cached=False, from_remote=False))

    def cancel(self) -> None:
        """Stop the runs still queued or running (a build that stops early)."""
        if self._run.pending and self._executor is not None:
            self._executor.cancel_all()
        self._run.restore_sigterm()
        self._run.restore_sigterm = _nothing

    def _wait(self, key: str) -> None:
        """Take finished runs, in the order they end, until ``key``'s is among them."""
        run = self._run
        while key in run.pending:
            try:
                future = run.finished.get(timeout=0.5)  # a timeout: Ctrl-C is seen while waiting
            except queue.Empty:
                continue
            self._take(run, future)

    def _plan_text(self, total: int, cached: int, misses: int) -> str:
        text = f"{total} snippets: {cached} cached, "
        if not misses:
            return text + "nothing to run"
        if not self.config.execute:
            return text + f"{misses} not run (execution is off)"
        batch = for_batch(self.pool_settings, misses)
        return text + f"running {misses} " + self.executor().describe(misses, batch.threads)

    def executor(self) -> Executor:
        """Where snippets run; made on first use and kept (under ``mkdocs serve``, between rebuilds)."""
        if self._executor is None:
            self._executor = self._make_executor()
        return self._executor

    def _make_executor(self) -> Executor:
        context = ExecutorContext(self.config, self.pool_settings, self._notices.append, self._fall_back)
        try:
            return make_executor(self.config.executor, context)
        except ExecutorUnavailable as error:
            if not error.replaceable:
                raise
            return self._fall_back(error.why)

    def _fall_back(self, why: str) -> Executor:
        """The one fallback: an executor that cannot start, or cannot go on, gives way to the local pool;
        the build says so once."""
        self._notices.append(f"{why}; running the snippets in a local pool on this machine instead")
        from site_tools.engine.run.pool import LocalExecutor  # not imported when everything is cached

        return LocalExecutor(self.pool_settings)

    def warm_up(self) -> None:
        """Start loading the workers while the host still collects, when this build will surely run
        snippets: the local cache is empty (a fresh clone, a cleared cache) and no remote one may
        serve them. Otherwise they load at the first miss: a warm build must not pay the preload."""
        if self.config.execute and self.remote is None and not self.cache.has_entries():
            self.executor().warm_up()

    def close(self) -> None:
        """Stop whatever still runs and let the workers go."""
        if self._executor is not None:
            self._executor.close()
            self._executor = None
