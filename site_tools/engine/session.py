"""The engine's front door: collect snippets, key them, serve hits from the cache, run the misses.

Adapters (MkDocs, pytest, the CLI) make one ``Engine``, hand it every snippet of the site at once and
then only look results up. An ``Engine`` lives as long as its adapter: under ``mkdocs serve`` the
worker server stays loaded between rebuilds.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from site_tools.engine.cache import ResultCache
from site_tools.engine.deps import imported_names, local_module
from site_tools.engine.key import snippet_key
from site_tools.engine.lastrun import write_last_run
from site_tools.engine.model import CodeCell, RunResult, Snippet
from site_tools.engine.pool import WorkerPool, default_settings, for_batch, new_job
from site_tools.engine.remote import RemoteCache

Progress = Callable[[int, int, Snippet, RunResult], None]
Plan = Callable[[str], None]  # told once, before anything runs, what the run will do


@dataclass(frozen=True)
class EngineConfig:
    root: Path
    snippets_dir: Path
    cache_dir: Path
    workers: int | None = None
    execute: bool = True
    timeout: float = 120.0
    memory_limit: int | None = 4 << 30
    # A shared result cache (Bazel's HTTP cache protocol), read after the local one; it may hold a
    # password, so it stays out of the repr.
    cache_url: str | None = field(default=None, repr=False)
    cache_write: bool = False  # upload what this build runs to ``cache_url``


@dataclass(frozen=True)
class RunReport:
    total: int
    executed: int
    cached: int
    failed: int
    not_run: int
    seconds: float
    notices: tuple[str, ...] = ()  # what the run recovered from by itself (a damaged entry run again)
    remote: int | None = None  # results taken from the remote cache; None: no remote configured

    def summary(self) -> str:
        """The build's last log line, after the adapter's ``site_tools:`` prefix; tools read these words."""
        text = (
            f"{self.total} snippets, {self.executed} executed, {self.cached} cached, "
            f"{self.failed} failed in {self.seconds:.1f} s"
        )
        if self.remote is not None:
            text += f" ({self.remote} from the remote cache)"
        if self.notices:
            count = len(self.notices)
            text += f"; {count} notice{'s' if count != 1 else ''}, see the execution report"
        return text


class Engine:
    def __init__(self, config: EngineConfig) -> None:
        self.config = config
        self.cache = ResultCache(config.cache_dir)
        self.remote = (
            RemoteCache.from_environment(config.cache_url, write=config.cache_write)
            if config.cache_url
            else None
        )
        self.settings = default_settings(config.workers, config.memory_limit)
        self._pool: WorkerPool | None = None
        self._results: dict[str, RunResult] = {}
        self._keys: dict[Snippet, str] = {}

    # -- collect -------------------------------------------------------------------------------
    def snippet_files(self) -> list[Snippet]:
        """Every runnable file in ``snippets/``: the ``.py`` files no other snippet imports."""
        folder = self.config.snippets_dir
        files = sorted(p for p in folder.glob("*.py") if not p.name.startswith("_"))
        helpers = {
            module
            for path in files
            for name in imported_names(path.read_text(encoding="utf-8"))
            if (module := local_module(folder, name)) is not None
        }
        return [self.file_snippet(path) for path in files if path not in helpers]

    def file_snippet(self, path: Path) -> Snippet:
        name = path.resolve().relative_to(self.config.root.resolve()).as_posix()
        code = path.read_text(encoding="utf-8")
        return Snippet("file", name, name, (CodeCell(code, 1),), timeout=self.config.timeout)

    def notebook(self, path: Path) -> Snippet:
        """A jupytext notebook as a snippet whose cells run in order in one process."""
        # Imported here: jupytext costs ~0.15 s per build, which only sites with notebooks should pay.
        from site_tools.engine.notebook import notebook_snippet

        return notebook_snippet(path, root=self.config.root, timeout=self.config.timeout)

    # -- run -----------------------------------------------------------------------------------
    def key(self, snippet: Snippet) -> str:
        """The snippet's cache key as its files are now."""
        return snippet_key(snippet, root=self.config.root, snippets_dir=self.config.snippets_dir)

    def result(self, snippet: Snippet) -> RunResult | None:
        """The result the last ``run`` gave ``snippet`` (keyed as the files were then)."""
        key = self._keys.get(snippet) or self.key(snippet)
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
        started = time.monotonic()
        self._keys = {snippet: self.key(snippet) for snippet in snippets}  # files may have changed
        self.cache.notices.clear()
        unique: dict[str, Snippet] = {}
        for snippet, key in self._keys.items():
            unique.setdefault(key, snippet)
        misses: list[tuple[str, Snippet]] = []
        cached = 0
        for key, snippet in unique.items():
            hit = None if force else self.cache.get(key)
            if hit is not None:
                self._results[key] = hit
                cached += 1
            else:
                misses.append((key, snippet))
        misses, remote_hits = self._from_remote(misses, force=force)
        cached += remote_hits
        executed = failed = not_run = 0
        if plan:
            plan(self._plan_text(len(unique), cached, len(misses)))
        if misses and not self.config.execute:
            for key, _ in misses:
                self._results[key] = RunResult(key, "not-run")
            not_run = len(misses)
        elif misses:
            done = 0

            def finished(result: RunResult) -> None:
                nonlocal done, failed
                done += 1
                self._results[result.key] = result
                failed += not result.ok
                if result.ok:
                    self.cache.put(result)
                    if self.remote is not None:
                        self.remote.submit_upload(result)
                if progress:
                    progress(done, len(misses), by_key[result.key], result)

            by_key = dict(misses)
            batch = for_batch(self.settings, len(misses))  # workers x threads <= cores
            jobs = [
                (
                    new_job(
                        key,
                        snippet.path,
                        snippet.cells,
                        root=self.config.root,
                        snippets_dir=self.config.snippets_dir,
                        settings=batch,
                    ),
                    snippet.timeout,
                )
                for key, snippet in misses
            ]
            self._worker_pool().run(jobs, finished)
            executed = len(misses)
        return self._report(
            started,
            total=len(unique),
            executed=executed,
            cached=cached,
            failed=failed,
            not_run=not_run,
            remote=None if self.remote is None else remote_hits,
        )

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

    def _report(self, started: float, **counts) -> RunReport:
        """The run's report once its uploads are done, also kept as the last build's record."""
        notices = list(self.cache.notices)
        if self.remote is not None:
            self.remote.finish_build()
            notices += self.remote.notices
        report = RunReport(seconds=time.monotonic() - started, notices=tuple(notices), **counts)
        record = {name: counts[name] for name in ("total", "executed", "cached", "failed", "remote")}
        write_last_run(self.config.cache_dir, {**record, "remote_url": self.remote and self.remote.url})
        return report

    def backfill(self, result: RunResult) -> bool:
        """Keep a result fetched from the remote cache in the local one: the next build needs no request."""
        return self.cache.put(replace(result, cached=False, from_remote=False))

    def _plan_text(self, total: int, cached: int, misses: int) -> str:
        text = f"{total} snippets: {cached} cached, "
        if not misses:
            return text + "nothing to run"
        if not self.config.execute:
            return text + f"{misses} not run (execution is off)"
        batch = for_batch(self.settings, misses)
        workers, threads = min(batch.workers, misses), batch.threads
        return text + f"running {misses} in {workers} worker(s), {threads} torch thread(s) each"

    def _worker_pool(self) -> WorkerPool:
        if self._pool is None:
            self._pool = WorkerPool(self.settings)
        return self._pool
