"""What one build of the site knows, on any host: every page's embeds, the problems found, the files
it generates (downloads, the execution report, executed notebooks) and the themed figures."""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from site_tools.engine import Embed, Engine, Inventory, Snippet, build_inventory
from site_tools.engine.collect.deps import local_dependencies
from site_tools.engine.collect.source import read_source
from site_tools.engine.store.derived import DerivedStore, code_version
from site_tools.posts.recent import MARKER, recent_posts
from site_tools.problems import Problem
from site_tools.render.html import figure_id
from site_tools.render.report import report_markdown, report_table_html
from site_tools.render.snippet_notes import log_lines
from site_tools.render.values import Source, page_sources
from site_tools.site.checks import citation_problems, embed_error, failure_message
from site_tools.site.figures import FigureMarkers

DOWNLOADS_DIR = "downloads"


@dataclass
class SiteState:
    engine: Engine
    inventory: Inventory
    docs_prefix: str  # the docs folder, relative to the repository root
    texts: dict[str, str] = field(default_factory=dict)  # page -> its Markdown as read
    problems: list[Problem] = field(default_factory=list)
    downloads: dict[str, tuple[tuple[str, str], ...]] = field(
        default_factory=dict
    )  # snippet -> (label, docs-relative uri)
    markers: FigureMarkers = field(default_factory=FigureMarkers)
    budget_problems: dict[str, None] = field(default_factory=dict)  # figures and pages over budget
    variant_files: dict[str, str] = field(default_factory=dict)  # site uri -> a scrubbable figure's variant
    figure_files: dict[str, str] = field(default_factory=dict)  # site uri -> a figure's drawing (SVG)
    page_drawing_bytes: dict[str, int] = field(default_factory=dict)  # page -> its figures' files

    @classmethod
    def collect(
        cls, engine: Engine, pages: dict[str, str], notebook_files: dict[str, Path], *, docs_prefix: str
    ) -> SiteState:
        """``pages``: repository-relative page -> Markdown; ``notebook_files``: docs-relative -> file."""
        inventory = build_inventory(engine, pages, notebook_files)
        return cls(engine, inventory, docs_prefix, pages, list(inventory.problems))

    @functools.cached_property
    def snippets_prefix(self) -> str:
        """The snippets folder, relative to the repository root (``snippets``); resolved once, as
        every embed of the site asks for it."""
        config = self.engine.config
        return config.snippets_dir.resolve().relative_to(config.root.resolve()).as_posix()

    @property
    def figures(self) -> dict[str, str]:
        return self.markers.figures

    @property
    def notebooks(self) -> dict[str, Snippet]:
        return self.inventory.notebooks

    def snippets(self) -> list[Snippet]:
        return self.inventory.site_snippets()

    def add_problems(self, problems: list) -> None:
        self.problems.extend(problems)

    def page_path(self, src_uri: str) -> str:
        return posixpath.join(self.docs_prefix, src_uri)

    def src_uri(self, where: str) -> str:
        """The docs-relative page of ``docs/x.md:40``."""
        return where.rsplit(":", 1)[0].removeprefix(self.docs_prefix + "/")

    def sources(self, page: str) -> dict[str, Source]:
        """The snippets ``page`` (a repository path) embeds, with their results, for its citations."""
        scan = self.inventory.pages.get(page)
        return page_sources(scan.embeds if scan else (), self.engine.result, self.snippets_prefix)

    def with_recent_posts(self, markdown: str, page_file: Path) -> tuple[str, list[Problem]]:
        """``markdown`` with the recent-posts marker replaced by the listing (links relative to the
        page), and the descriptions' citations that cannot be shown there (the host reports them)."""
        if MARKER not in markdown:
            return markdown, []
        docs_dir = self.engine.config.root / self.docs_prefix
        listing = recent_posts(
            docs_dir / "blog" / "posts",
            project_root=self.engine.config.root,
            page_dir=page_file.parent,
            sources=self.sources,  # a description cites its own post's snippets
        )
        return markdown.replace(MARKER, listing.markdown), listing.problems

    def citation_problems(self) -> list[Problem]:
        return citation_problems(self.texts, self.inventory, self.engine.result, self.snippets_prefix)

    def figure_ids(self) -> dict[str, list[str]]:
        """Each embed's figure anchors (by ``embed.where``), numbered as its page numbers them."""
        ids: dict[str, list[str]] = {}
        for scan in self.inventory.pages.values():
            taken: set[str] = set()
            for embed in scan.embeds:
                result = self.engine.result(embed.snippet)
                if result is not None and result.ok and embed_error(embed, result) is None:
                    ids[embed.where] = [figure_id(embed, n, taken) for n in range(len(result.figures))]
        return ids

    def runs(self) -> list[tuple[Embed, Snippet]]:
        """Every run of every embed: each variant of a scrubbable figure, or its one snippet."""
        return [(embed, snippet) for embed in self.inventory.embeds for snippet in embed.runs]

    def errors(self) -> list[str]:
        """Every problem and every failed snippet, each naming the file and line to fix."""
        # A post's description is checked on the post and again where a list shows it: once is enough.
        messages = [str(problem) for problem in dict.fromkeys(self.problems + self.citation_problems())]
        reported: set[str] = set()
        for embed, snippet in self.runs():
            result = self.engine.result(snippet)
            message = embed_error(embed, result, snippet)
            if message is None or (result is not None and not result.ok and result.key in reported):
                continue
            if result is not None:
                reported.add(result.key)  # a snippet embedded twice fails once
            messages.append(message)
        for snippet in self.notebooks.values():
            result = self.engine.result(snippet)
            if result is not None and not result.ok and result.status != "not-run":
                messages.append(failure_message(snippet.path, snippet.name, result))
        return messages

    def note_lines(self) -> list[str]:
        """Every snippet's warnings and stderr for the build log, once per snippet."""
        lines: list[str] = []
        seen: set[str] = set()
        places = [(embed.where, snippet) for embed, snippet in self.runs()]
        places += [(snippet.path, snippet) for snippet in self.notebooks.values()]
        for where, snippet in places:
            result = self.engine.result(snippet)
            if result is None or result.key in seen:
                continue
            seen.add(result.key)
            lines.extend(log_lines(where, snippet.name, result))
        return lines

    def mismatched(self) -> int:
        """Snippets that ran but made fewer figures than their embed's captions: they count as failed."""
        keys = {
            result.key
            for embed, snippet in self.runs()
            if (result := self.engine.result(snippet)) is not None
            and result.ok
            and embed_error(embed, result, snippet)
        }
        return len(keys)

    def download_files(self, exists: Callable[[str], bool]) -> Iterator[tuple[str, Callable[[], str]]]:
        """The ``.py`` and ``.ipynb`` download of each embedded snippet file, as (docs-relative uri,
        its content made on demand); ``exists(uri)`` skips what the host already has. Each link is
        recorded in ``downloads`` for the pages. Asked again, it yields the same files."""
        seen: set[str] = set()
        for embed in self.inventory.embeds:
            snippet = embed.snippet
            if snippet.kind != "file" or snippet.path in seen:
                continue
            seen.add(snippet.path)
            code = snippet.cells[0].code
            folder = self.engine.config.snippets_dir
            helpers = {
                module.relative_to(folder).as_posix(): read_source(module)
                for module in local_dependencies(code, folder)
            }
            stem = posixpath.splitext(posixpath.basename(snippet.path))[0]
            inputs = (snippet.path, code, *(part for item in sorted(helpers.items()) for part in item))
            links = []
            for suffix, make in ((".py", _bundled_script), (".ipynb", _script_notebook)):
                name = f"{stem}{suffix}"
                uri = f"{DOWNLOADS_DIR}/{name}"
                if not exists(uri):
                    # Stored once per content: a warm build neither imports nbformat nor writes anything.
                    store = self._downloads(snippet, suffix)
                    made = functools.partial(make, code, helpers, source=snippet.path)
                    yield uri, functools.partial(store.text, inputs, made)
                links.append((name, uri))
            self.downloads[snippet.path] = tuple(links)

    def report_content(self, report_uri: str, url_of: Callable[[str], str | None] | None = None) -> str:
        """The execution report's Markdown, for a page at docs-relative ``report_uri``; needs every result.

        A host that knows each page's URL already (``url_of``: docs-relative page -> its URL relative
        to the report, or None) gets the table as a marker for its HTML, which it inserts with the
        figures; otherwise the table is Markdown, and the host resolves and checks its links."""
        rows = [(embed.where, snippet, self.engine.result(snippet)) for embed, snippet in self.runs()]
        rows += [(s.path, s, self.engine.result(s)) for s in self.notebooks.values()]
        notices = tuple(self.engine.cache.notices)
        figure_ids = self.figure_ids()
        if url_of is not None:
            urls = {where: url_of(self.src_uri(where)) for where in figure_ids}
            if None not in urls.values():  # a page it cannot find: Markdown links, which the host reports
                links = {where: [f"{urls[where]}#{i}" for i in ids] for where, ids in figure_ids.items()}
                marker = self.markers.add(report_table_html(rows, links))
                return report_markdown(rows, notices, table_marker=marker)
        folder = posixpath.dirname(report_uri) or "."
        links = {
            where: [f"{posixpath.relpath(self.src_uri(where), folder)}#{i}" for i in ids]
            for where, ids in figure_ids.items()
        }
        return report_markdown(rows, notices, links)

    def figure_marker(self, key: str, svg: str, figure_id: str, alt: str) -> str:
        return self.markers.marker(self.engine.cache, key, svg, figure_id, alt)

    def insert_figures(self, output: str) -> str:
        return self.markers.insert(output)

    def _downloads(self, snippet: Snippet, suffix: str) -> DerivedStore:
        folder = self.engine.cache.derived_dir(self.engine.known_key(snippet), "downloads")
        return DerivedStore(folder, code_version("site_tools.render.downloads"), suffix)


def _bundled_script(code: str, helpers: dict[str, str], *, source: str) -> str:
    from site_tools.render.downloads import bundled_script

    return bundled_script(code, helpers, source=source)


def _script_notebook(code: str, helpers: dict[str, str], *, source: str) -> str:
    from site_tools.render.downloads import script_notebook  # imports nbformat: only when one is made

    return script_notebook(code, helpers, source=source)
