"""What one build knows: every page's embeds, the problems found, and the files it generates."""

from __future__ import annotations

import functools
import os
import posixpath
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from site_tools.engine import Embed, Engine, Inventory, RunResult, Snippet, build_inventory
from site_tools.engine.cache import ResultCache
from site_tools.engine.deps import local_dependencies
from site_tools.engine.derived import DerivedStore, code_version
from site_tools.engine.inventory import is_notebook
from site_tools.engine.options import empty_output_problem, figure_count_problem
from site_tools.engine.source import read_source
from site_tools.problems import Problem
from site_tools.render.html import figure_id
from site_tools.render.report import report_markdown
from site_tools.render.snippet_notes import log_lines
from site_tools.render.values import ROLE, check_page, page_sources

DOWNLOADS_DIR = "downloads"
FIGURE_PREFIX = "<!-- site-tools:figure:"
FIGURE_MARKER = FIGURE_PREFIX + "{} -->"
FIGURE_MARKER_RE = re.compile(re.escape(FIGURE_PREFIX) + r"\d+ -->")


@dataclass
class BuildState:
    engine: Engine
    inventory: Inventory
    docs_prefix: str  # the docs folder, relative to the repository root
    texts: dict[str, str] = field(default_factory=dict)  # page -> its Markdown as read
    problems: list[Problem] = field(default_factory=list)
    downloads: dict[str, tuple[tuple[str, str], ...]] = field(
        default_factory=dict
    )  # snippet -> (label, src_uri)
    figures: dict[str, str] = field(default_factory=dict)  # figure marker -> its themed inline SVG
    report_page: str = ""
    notebook_pages: dict[str, tuple[str, Path]] = field(default_factory=dict)  # .ipynb uri -> (.py, file)

    budget_problems: dict[str, None] = field(default_factory=dict)  # figures and pages over budget
    variant_files: dict[str, str] = field(default_factory=dict)  # site uri -> a scrubbable figure's variant

    @classmethod
    def collect(
        cls, engine: Engine, files: Files, config: MkDocsConfig, *, notebooks: list[str]
    ) -> BuildState:
        root = engine.config.root
        docs_prefix = Path(config.docs_dir).resolve().relative_to(root).as_posix()
        pages: dict[str, str] = {}
        notebook_files: dict[str, Path] = {}
        for file in files:
            if file.abs_src_path is None:
                continue
            if is_notebook(file.src_uri, notebooks):
                notebook_files[file.src_uri] = Path(file.abs_src_path)
            elif file.is_documentation_page() and file.src_uri.endswith(".md"):
                text = Path(file.abs_src_path).read_bytes().decode("utf-8", errors="replace")
                pages[posixpath.join(docs_prefix, file.src_uri)] = text
        inventory = build_inventory(engine, pages, notebook_files)
        return cls(engine, inventory, docs_prefix, pages, list(inventory.problems))

    @property
    def snippets_prefix(self) -> str:
        """The snippets folder, relative to the repository root (``snippets``)."""
        config = self.engine.config
        return config.snippets_dir.resolve().relative_to(config.root.resolve()).as_posix()

    def citation_problems(self) -> list[Problem]:
        """Cited values that cannot be shown: not published, wrong type, snippet not on the page."""
        problems = []
        for page, text in self.texts.items():
            if ROLE in text:
                embeds = self.inventory.pages[page].embeds
                sources = page_sources(embeds, self.engine.result, self.snippets_prefix)
                problems += check_page(page, text, embeds, sources)
        return problems

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

    def _runs(self) -> list[tuple[Embed, Snippet]]:
        """Every run of every embed: each variant of a scrubbable figure, or its one snippet."""
        return [(embed, snippet) for embed in self.inventory.embeds for snippet in embed.runs]

    def add_problems(self, problems: list) -> None:
        self.problems.extend(problems)

    def page_path(self, src_uri: str) -> str:
        return posixpath.join(self.docs_prefix, src_uri)

    @property
    def notebooks(self) -> dict[str, Snippet]:
        return self.inventory.notebooks

    def snippets(self) -> list[Snippet]:
        return self.inventory.site_snippets()

    def errors(self) -> list[str]:
        """Every problem and every failed snippet, each naming the file and line to fix."""
        messages = [str(problem) for problem in self.problems + self.citation_problems()]
        reported: set[str] = set()
        for embed, snippet in self._runs():
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
        places = [(embed.where, snippet) for embed, snippet in self._runs()]
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
            for embed, snippet in self._runs()
            if (result := self.engine.result(snippet)) is not None
            and result.ok
            and embed_error(embed, result, snippet)
        }
        return len(keys)

    def generate_files(self, files: Files, config: MkDocsConfig, *, report_page: str) -> None:
        """Add the download files of each embedded snippet and the execution report page."""
        for embed in self.inventory.embeds:
            snippet = embed.snippet
            if snippet.kind != "file" or snippet.path in self.downloads:
                continue
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
                if files.get_file_from_path(uri) is None:
                    # Stored once per content: a warm build neither imports nbformat nor writes anything.
                    # Handed over as content: a file path would make mkdocs-jupyter render the
                    # downloadable notebook as a page.
                    content = self._downloads(snippet, suffix).text(
                        inputs, functools.partial(make, code, helpers, source=snippet.path)
                    )
                    files.append(File.generated(config, uri, content=content))
                links.append((name, uri))
            self.downloads[snippet.path] = tuple(links)
        for src_uri, snippet in self.notebooks.items():
            self._executed_notebook(files, config, src_uri, snippet)
        if report_page:
            existing = files.get_file_from_path(report_page)
            if existing is not None:
                files.remove(existing)
            # Written when its page is read (``fill_page``), once every run is done; appended last,
            # so that MkDocs reads every other page first, while the snippets run.
            self.report_page = report_page
            files.append(File.generated(config, report_page, content=""))

    def fill_page(self, file: File) -> None:
        """Before MkDocs reads a page that needs every result: the report, an executed notebook."""
        if file.src_uri == self.report_page:
            rows = [(embed.where, s, self.engine.result(s)) for embed, s in self._runs()]  # each variant
            rows += [(s.path, s, self.engine.result(s)) for s in self.notebooks.values()]
            folder = posixpath.dirname(file.src_uri) or "."
            links = {
                where: [f"{posixpath.relpath(self._src_uri(where), folder)}#{i}" for i in ids]
                for where, ids in self.figure_ids().items()
            }
            file.content_string = report_markdown(rows, tuple(self.engine.cache.notices), links)
        elif file.src_uri in self.notebook_pages:
            src_uri, target = self.notebook_pages.pop(file.src_uri)
            self._write_notebook(src_uri, self.notebooks[src_uri], target)

    def write_notebooks(self) -> None:
        """Executed notebooks no page has asked for (without mkdocs-jupyter they are copied as files)."""
        for ipynb_uri in list(self.notebook_pages):
            src_uri, target = self.notebook_pages.pop(ipynb_uri)
            self._write_notebook(src_uri, self.notebooks[src_uri], target)

    def figure_marker(self, key: str, svg: str, figure_id: str, alt: str) -> str:
        """A marker for the themed figure, put into the page's HTML in ``insert_figures``.

        Plugins that read a page's content (search, RSS) see the figure's caption, not tens of
        kilobytes of SVG paths they would parse and drop; the written page holds the figure."""
        html = figure_renderer(self.engine.cache, key)(svg, figure_id, alt)
        marker = FIGURE_MARKER.format(len(self.figures))
        self.figures[marker] = html
        return marker

    def insert_figures(self, output: str) -> str:
        if FIGURE_PREFIX not in output:
            return output
        return FIGURE_MARKER_RE.sub(lambda m: self.figures.get(m.group(0), m.group(0)), output)

    def _downloads(self, snippet: Snippet, suffix: str) -> DerivedStore:
        folder = self.engine.cache.derived_dir(self.engine.known_key(snippet), "downloads")
        return DerivedStore(folder, code_version("site_tools.render.downloads"), suffix)

    def _src_uri(self, where: str) -> str:
        """The docs-relative page of ``docs/x.md:40``."""
        return where.rsplit(":", 1)[0].removeprefix(self.docs_prefix + "/")

    def _executed_notebook(self, files: Files, config: MkDocsConfig, src_uri: str, snippet: Snippet) -> None:
        """Publish the jupytext notebook as an executed ``.ipynb`` page, which mkdocs-jupyter renders as is.

        The ``.py`` source is replaced by ``<same name>.ipynb``, a real file in a per-key folder of
        the cache, so links and nav entries name ``tutorials/x.ipynb``. A failed run still gets its
        page: the notebook without outputs, led by the error.
        """
        ipynb_uri = posixpath.splitext(src_uri)[0] + ".ipynb"
        folder = self.engine.cache.derived_dir(self.engine.known_key(snippet), "notebook")
        target = folder / ipynb_uri
        # Written in ``fill_page``, when MkDocs comes to the page: the run may still be going now.
        self.notebook_pages[ipynb_uri] = (src_uri, target)
        original = files.get_file_from_path(src_uri)
        if original is not None:
            files.remove(original)
        files.append(File(ipynb_uri, str(folder), config.site_dir, config.use_directory_urls))

    def _write_notebook(self, src_uri: str, snippet: Snippet, target: Path) -> None:
        result = self.engine.result(snippet)
        if result is None:
            return
        if not target.is_file() or not result.ok:
            target.parent.mkdir(parents=True, exist_ok=True)
            text = read_source(self.engine.config.root / snippet.path)
            stem = posixpath.basename(posixpath.splitext(src_uri)[0])
            from site_tools.render.notebook import executed_notebook  # imports jupytext: only when needed

            render = figure_renderer(self.engine.cache, result.key)
            content = executed_notebook(text, result, name=stem, render_figure=render)
            tmp = target.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(content, encoding="utf-8")
            tmp.replace(target)


def _bundled_script(code: str, helpers: dict[str, str], *, source: str) -> str:
    from site_tools.render.downloads import bundled_script

    return bundled_script(code, helpers, source=source)


def _script_notebook(code: str, helpers: dict[str, str], *, source: str) -> str:
    from site_tools.render.downloads import script_notebook  # imports nbformat: only when one is made

    return script_notebook(code, helpers, source=source)


def figure_renderer(cache: ResultCache, key: str):
    """Themes the figures of result ``key`` through its derived store: each once, then only read."""
    store = DerivedStore(cache.derived_dir(key, "themed"), code_version(*THEMING_CODE), ".html")

    def render(svg: str, figure_id: str, alt: str) -> str:
        return _inline_figure(store, svg, figure_id, alt)

    return render


THEMING_CODE = ("site_tools.render.svgtheme", "site_tools.render.palette")


@lru_cache(maxsize=256)  # under `mkdocs serve` every rebuild would read the same figures again
def _inline_figure(store: DerivedStore, svg: str, figure_id: str, alt: str) -> str:
    def make() -> str:
        from site_tools.render.svgtheme import render_inline_svg  # lxml: only when a figure is new

        return render_inline_svg(svg, figure_id=figure_id, alt=alt)

    return store.text((svg, figure_id, alt), make)


def embed_error(embed: Embed, result: RunResult | None, snippet: Snippet | None = None) -> str | None:
    """What stops the embed's output (or ``snippet``, one variant of its grid) from showing: a failed
    run, or figures its captions miss. Messages name the variant: ``snippets/x.py[lr=0.1]``."""
    name = (snippet or embed.snippet).name
    if result is None or result.status == "not-run":
        return None
    if not result.ok:
        return failure_message(embed.where, name, result)
    problem = figure_count_problem(embed.options, len(result.figures)) or empty_output_problem(
        embed.options, len(result.figures), result.stdout
    )
    return f"{embed.where}: {name}: {problem}" if problem else None


def failure_message(where: str, name: str, result) -> str:
    location = f" at {result.error_location}" if result.error_location else ""
    details = (result.error or "").rstrip()
    return f"{where}: snippet {name} failed ({result.status}){location}:\n{details}"
