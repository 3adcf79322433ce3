"""The pytest adapter: every snippet file, inline ``python exec`` block and notebook is a test item.

Items run through the same engine, options and cache as the site build: all selected items run
together in the worker pool the first time one of them is reached, and each then reports its own
result. A cached success passes without running again unless ``--site-tools-rerun`` is given.
"""

from __future__ import annotations

import fnmatch
from pathlib import Path

import pytest

from site_tools.engine import Engine, RunReport, RunResult, Snippet
from site_tools.engine.discover import is_inline_exec, iter_fences
from site_tools.project import ProjectSettings, find_root, load_settings

_STATE = pytest.StashKey["_SessionState"]()


class _SessionState:
    """The session's engine and the results of its one batch run."""

    def __init__(self, settings: ProjectSettings, rerun: bool) -> None:
        self.settings = settings
        self.engine = Engine(settings.engine)
        self.rerun = rerun
        self.report: RunReport | None = None

    def result(self, item: SnippetItem) -> RunResult:
        if self.report is None:
            batch = [i.snippet for i in item.session.items if isinstance(i, SnippetItem)]
            self.report = self.engine.run(batch, force=self.rerun)
        result = self.engine.result(item.snippet)
        assert result is not None
        return result


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("site-tools")
    group.addoption(
        "--site-tools-rerun",
        action="store_true",
        help="run every snippet again, even when the cache holds a success for it",
    )


def pytest_configure(config: pytest.Config) -> None:
    try:
        root = find_root(config.rootpath)
    except FileNotFoundError:
        return
    config.stash[_STATE] = _SessionState(load_settings(root), config.getoption("site_tools_rerun"))


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    state = parent.config.stash.get(_STATE, None)
    if state is None:
        return None
    settings = state.settings
    if file_path.suffix == ".py" and file_path.parent == settings.engine.snippets_dir:
        if file_path in {Path(settings.root / s.path) for s in state.engine.snippet_files()}:
            return SnippetFile.from_parent(parent, path=file_path)
    elif file_path.is_relative_to(settings.docs_dir):
        relative = file_path.relative_to(settings.docs_dir).as_posix()
        if any(fnmatch.fnmatch(relative, glob) for glob in settings.notebooks):
            return NotebookFile.from_parent(parent, path=file_path)
        if file_path.suffix == ".md":
            return MarkdownFile.from_parent(parent, path=file_path)
    return None


class SnippetFile(pytest.File):
    def collect(self):
        engine = self.config.stash[_STATE].engine
        yield SnippetItem.from_parent(
            self, name=self.path.stem, snippet=engine.file_snippet(self.path)
        )


class NotebookFile(pytest.File):
    def collect(self):
        engine = self.config.stash[_STATE].engine
        yield SnippetItem.from_parent(self, name="notebook", snippet=engine.notebook(self.path))


class MarkdownFile(pytest.File):
    """One item per inline ``python exec`` block of a page (embeds of snippet files are items already)."""

    def collect(self):
        engine = self.config.stash[_STATE].engine
        text = self.path.read_text(encoding="utf-8", errors="replace")
        if not any(is_inline_exec(fence.info) for fence in iter_fences(text)):
            return
        page = self.path.resolve().relative_to(engine.config.root.resolve()).as_posix()
        scan = engine.scan({page: text})
        for problem in scan.problems:
            raise self.CollectError(str(problem))
        for embed in scan.embeds:
            if embed.snippet.kind == "inline":
                yield SnippetItem.from_parent(self, name=f"L{embed.start}", snippet=embed.snippet)


class SnippetFailed(Exception):
    def __init__(self, result: RunResult) -> None:
        super().__init__(result.error)
        self.result = result


class SnippetItem(pytest.Item):
    def __init__(self, *, snippet: Snippet, **kwargs) -> None:
        super().__init__(**kwargs)
        self.snippet = snippet

    def runtest(self) -> None:
        result = self.config.stash[_STATE].result(self)
        if result.status == "not-run":
            pytest.skip("execution is off (SITE_TOOLS_EXECUTE=0) and nothing is cached")
        self.user_properties.append(("cached", result.cached))
        if not result.ok:
            raise SnippetFailed(result)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, SnippetFailed):
            result = excinfo.value.result
            where = f" at {result.error_location}" if result.error_location else ""
            return f"{self.snippet.name} failed ({result.status}){where}\n\n{(result.error or '').rstrip()}"
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return self.path, 0, f"snippet {self.snippet.name}"
