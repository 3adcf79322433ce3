"""The pytest adapter: every snippet file, inline ``python exec`` block and notebook is a test item.

Active only in a project whose config (``mkdocs.yml``, ``properdocs.yml``, ``zensical.toml``, or the
file named by ``--site-tools-config`` or ``SITE_TOOLS_CONFIG``) enables the site-tools plugin or the
``site_tools.markdown`` extension, or when asked with ``--site-tools``. Items come from the same site
inventory as the build, so each has exactly the key
the build gives it (its embed's data files and timeout included), and run through the same engine
and cache: all selected items run together in the worker pool the first time one is reached, and
each then reports its own result. A cached success passes without running again unless
``--site-tools-rerun`` is given. ``pytest snippets/x.py`` runs that snippet through the engine too,
never by importing it into the pytest process.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import pytest

from site_tools.configfile import AmbiguousConfigError, ConfigFileError, open_config
from site_tools.engine import Engine, Inventory, RunReport, RunResult, Snippet
from site_tools.engine.collect.grid import variant_label
from site_tools.engine.collect.inventory import is_notebook
from site_tools.project import Project, project_from, read_inventory
from site_tools.settings import OptionsError, describe

_STATE = pytest.StashKey["_SessionState"]()


class _SessionState:
    """The session's engine, the site's inventory and the results of its one batch run."""

    def __init__(self, project: Project, rerun: bool) -> None:
        self.project = project
        self.engine = Engine(project.engine)
        self.rerun = rerun
        self.report: RunReport | None = None

    @cached_property
    def inventory(self) -> Inventory:
        return read_inventory(self.project, self.engine)

    def relative(self, path: Path) -> str:
        return path.resolve().relative_to(self.project.root.resolve()).as_posix()

    def is_snippet_file(self, path: Path) -> bool:
        return path.suffix == ".py" and path.parent.resolve() == self.project.engine.snippets_dir.resolve()

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
    group.addoption(
        "--site-tools",
        action="store_true",
        help="collect snippets even where the site's config does not enable site-tools",
    )
    group.addoption(
        "--site-tools-config",
        default=None,
        help="the site's config file (also SITE_TOOLS_CONFIG); default: the only one in the project",
    )


def pytest_configure(config: pytest.Config) -> None:
    explicit = config.getoption("site_tools")
    named = config.getoption("site_tools_config")
    try:
        site_config = open_config(config.rootpath, config_file=named)
    except ConfigFileError as error:
        if explicit or named or isinstance(error, AmbiguousConfigError):
            raise pytest.UsageError(f"site-tools: {error}") from None
        return
    if not site_config.uses_site_tools() and not explicit:
        return  # not a site-tools project: leave its files (markdown-exec's blocks too) alone
    try:
        project = project_from(site_config)
    except OptionsError as error:
        raise pytest.UsageError(str(error)) from None
    config.stash[_STATE] = _SessionState(project, config.getoption("site_tools_rerun"))


def pytest_report_header(config: pytest.Config) -> list[str]:
    state = config.stash.get(_STATE, None)
    if state is None:
        return []
    return [f"site-tools options: {', '.join(describe(state.project.options))}"]


def _state(node: pytest.Collector) -> _SessionState | None:
    return node.config.stash.get(_STATE, None)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    state = _state(parent)
    if state is None:
        return None
    if state.is_snippet_file(file_path):
        if parent.session.isinitpath(file_path):
            return None  # named on the command line: pytest_pycollect_makemodule takes it
        return SnippetFile.from_parent(parent, path=file_path)
    docs_dir = state.project.docs_dir
    if file_path.is_relative_to(docs_dir):
        if is_notebook(file_path.relative_to(docs_dir).as_posix(), state.project.options.notebooks):
            return NotebookFile.from_parent(parent, path=file_path)
        if file_path.suffix == ".md":
            return MarkdownFile.from_parent(parent, path=file_path)
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makemodule(module_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """``pytest snippets/x.py``: the snippet runs through the engine, not imported into this process."""
    state = _state(parent)
    if state is not None and state.is_snippet_file(module_path):
        return SnippetFile.from_parent(parent, path=module_path)
    return None


class SnippetFile(pytest.File):
    """A snippet file: one item per distinct way the site runs it (most have one); helpers have none."""

    def collect(self):
        state = self.config.stash[_STATE]
        path = state.relative(self.path)
        snippets = state.inventory.file_snippets(path)
        where = {}
        for embed in state.inventory.embeds:
            where.setdefault(embed.snippet, embed.where)
            for run in embed.variants:
                where.setdefault(run, embed.where)
        places = {where.get(snippet) for snippet in snippets}
        for snippet in snippets:
            # One item per variant of a scrubbable figure: ``x[lr=0.1-activation=relu]``; the page
            # line leads only when the file is embedded in more than one place.
            parts = [where.get(snippet, "")] if len(places) > 1 else []
            parts += [variant_label(snippet.params)] if snippet.params else []
            name = f"{self.path.stem}[{'-'.join(parts)}]" if len(snippets) > 1 else self.path.stem
            yield SnippetItem.from_parent(self, name=name, snippet=snippet)


class NotebookFile(pytest.File):
    def collect(self):
        state = self.config.stash[_STATE]
        docs_relative = self.path.relative_to(state.project.docs_dir).as_posix()
        snippet = state.inventory.notebooks.get(docs_relative)
        if snippet is not None:
            yield SnippetItem.from_parent(self, name="notebook", snippet=snippet)


class MarkdownFile(pytest.File):
    """One item per inline ``python exec`` block of a page (embeds of snippet files are items already)."""

    def collect(self):
        state = self.config.stash[_STATE]
        scan = state.inventory.pages.get(state.relative(self.path))
        if scan is None:
            return
        if scan.problems:
            raise self.CollectError("\n".join(str(problem) for problem in scan.problems))
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


def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config) -> None:
    state = config.stash.get(_STATE, None)
    if state is not None and state.report is not None:
        terminalreporter.write_line(f"site_tools: {state.report.summary()}")
