"""A Python-Markdown extension that puts the engine's results into pages on any host that runs
``markdown_extensions`` (Zensical; plain Python-Markdown given the page): ```` ```snippet ```` blocks,
bare ``exec`` blocks and the ``{value}`` role, with the HTML and the errors of the MkDocs plugin.

    markdown_extensions:                                # mkdocs.yml
      - site_tools.markdown
    [project.markdown_extensions."site_tools.markdown"]  # zensical.toml

Its options are read by the one config reader (``site_tools.configfile``) from the site's config, as
Zensical finds it (``zensical.toml`` before ``mkdocs.yml``, or ``-f``): the extension's own entry, and
in YAML the ``site-tools`` plugin entry too (a host that runs no MkDocs plugin ignores that entry; the
extension reads it), so they are written once for every host. Under MkDocs
the plugin does the site-wide work and has already replaced every block before Markdown runs: it
switches the extension off (``off: true`` in its config), so nothing runs twice.

The first page rendered collects every page of the site and starts every snippet through the engine
(local pool, daemon, Dask, remote cache: as the options say), so snippets run in parallel even when
the host renders one page at a time; each page then waits for its own. Under ``site-tools build
--host zensical`` Zensical runs in the command's own process and the pages render from the
pre-step's collection instead (``hosted_site``), while no file has changed since it was made. When
a page, snippet or helper changes on disk (a serving host re-renders), the site is collected again
and only what changed runs; once those runs end, the files the pre-step generated (report,
downloads, variants) are written again.
A failed snippet stops a build naming post:line; while serving it is shown on its page.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from site_tools.configfile import CONFIG_ENV, SERVING_ENV, ConfigFileError, find_config
from site_tools.configfile.reader import EXTENSION_SWITCHES
from site_tools.engine import Engine
from site_tools.engine.run.executor import ExecutorError
from site_tools.engine.store.keycache import RACY_S
from site_tools.project import Project, load_project
from site_tools.render.budgets import page_html_problem
from site_tools.settings import OptionsError
from site_tools.site.build_mode import BuildMode
from site_tools.site.checks import embed_error
from site_tools.site.generated_files import (
    MANIFEST,
    host_files,
    notebook_page_uri,
    previous_host_files,
    publish_named_files,
    write_host_files,
)
from site_tools.site.page import PageChanged, PageRenderer
from site_tools.site.state import SiteState
from site_tools.site.whole_site import collect_site


class SnippetError(RuntimeError):
    """A page cannot be built: its message names the file and line to fix."""


def serving() -> bool:
    return os.environ.get(SERVING_ENV) == "1" or (len(sys.argv) > 1 and sys.argv[1] == "serve")


def _in_zensical_build() -> bool:
    """Inside ``zensical build`` (``python -m zensical build`` too), not serving."""
    return "zensical" in Path(sys.argv[0]).parts[-2:] and sys.argv[1:2] == ["build"] and not serving()


def stop(message: str) -> SnippetError:
    """What stops a page: the error to raise, or, inside ``zensical build``, the end of the build with
    the message alone. Zensical prints a Python exception from an extension with its traceback and a
    panic of its own blog plugin around it, which buries the one line that says what to fix."""
    if _in_zensical_build():
        print(f"ERROR: {message}\nsite-tools: the build stops here.", file=sys.stderr, flush=True)
        os._exit(1)  # Zensical's render threads would report it again; nothing is left to write
    return SnippetError(message)


class Site:
    """One project's engine and its collected state, kept while the host process lives."""

    def __init__(self, project: Project, engine: Engine | None = None) -> None:
        self.project = project
        self.engine = engine or Engine(project.engine)
        self.state: SiteState | None = None
        self.stamp: tuple = ()
        self._digests: dict[Path, tuple[tuple[int, int], str] | None] = {}  # see _stamp
        self.lock = threading.RLock()

    def adopt(self, collect: Callable[[], SiteState]) -> SiteState:
        """The state ``collect`` makes (the pre-step's, in this process), kept as this site's own: the
        pages then render from it instead of a second collection. Stamped before it collects, so a
        file edited meanwhile makes the first page collect again."""
        with self.lock:
            stamp = self._stamp()
            state = collect()
            self.state, self.stamp = state, stamp
            return state

    def current(self) -> SiteState:
        """The state of the site as it is on disk now: collected again (and runs started) on change."""
        with self.lock:
            stamp = self._stamp()
            if self.state is None or stamp != self.stamp:
                state = collect_site(self.project, self.engine)
                # The links only: the pre-step wrote the files (a host cannot add files from here).
                for _ in state.download_files(lambda _uri: True):
                    pass
                try:
                    self.engine.start(state.snippets())
                except ExecutorError as error:
                    raise SnippetError(f"site-tools: {error}") from None
                if self.state is not None and serving():  # the pre-step wrote them for the first state
                    threading.Thread(target=self._refresh_host_files, args=(state,), daemon=True).start()
                self.state, self.stamp = state, stamp
            return self.state

    def _refresh_host_files(self, state: SiteState) -> None:
        """While serving, once every run of a changed site has ended: the report, downloads, variant
        files and notebook pages made again, as the pre-step made them at start-up. Written into the
        docs folder, they make the host build again and serve them; being generated files, they do not
        count as a change of the site (``_stamp``), so this ends there."""
        try:
            for snippet in state.snippets():
                state.engine.result(snippet)  # waits for its run
            with self.lock:
                if state is not self.state:  # the site changed again meanwhile: that state writes them
                    return
                files = host_files(state, report_page=self.project.options.report_page)
                write_host_files(self.project.docs_dir, files, self._manifest)
        except Exception as error:  # a thread's failure would otherwise vanish; the pages still show
            print(f"site-tools: the generated files were not refreshed: {error!r}", file=sys.stderr)

    @property
    def _manifest(self) -> Path:
        return self.engine.config.cache_dir / MANIFEST

    def _stamp(self) -> tuple:
        """Size and time of every page, snippet and helper: any edit changes it; not the files the
        pre-step generates (written while serving, they would count as an edit). A file changed less
        than ``RACY_S`` ago is stamped by its content too, since a same-size save within the clock's
        tick keeps its size and time (the key cache's rule, for the same reason); that digest is kept
        while size and time stay, so a file growing old does not look like an edit."""
        generated = {self.project.docs_dir / uri for uri in previous_host_files(self._manifest)}
        folders = (self.project.docs_dir, self.project.engine.snippets_dir)
        recent = (time.time() - RACY_S) * 1e9
        stamp = []
        for folder in folders:
            for path in sorted(folder.rglob("*")):
                if path.suffix not in _WATCHED or path in generated:
                    continue
                stat = path.stat()
                seen = (stat.st_size, stat.st_mtime_ns)
                known = self._digests.get(path)
                if stat.st_mtime_ns > recent or (known is not None and known[0] != seen):
                    known = (seen, _digest(path)) if stat.st_mtime_ns > recent else None
                    self._digests[path] = known
                stamp.append((str(path), *seen, known[1] if known else ""))
        return tuple(stamp)


_WATCHED = (".md", ".py", ".csv", ".json", ".txt", ".npy", ".npz")


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:  # removed meanwhile: the next stamp sees it gone
        return ""


_SITES: dict[Path, Site] = {}
_SITES_LOCK = threading.Lock()


def site_for(config_path: Path) -> Site:
    with _SITES_LOCK:
        if config_path not in _SITES:
            try:
                project = load_project(config_path.parent, config_file=config_path)
            except (ConfigFileError, OptionsError) as error:
                raise stop(f"site-tools: {error}") from None
            _SITES[config_path] = Site(project)
        return _SITES[config_path]


def hosted_site(config_path: Path, project: Project, engine: Engine) -> Site:
    """The site the extension will render from when Zensical runs in this process (``site-tools
    build --host zensical``): the pre-step's project and engine, its collection adopted (``adopt``)."""
    with _SITES_LOCK:
        _SITES[config_path.resolve()] = site = Site(project, engine)
        return site


def host_config_file(argv: list[str]) -> str | None:
    """The ``-f/--config-file`` the host was started with (``zensical build -f x.toml``), if any."""
    for index, arg in enumerate(argv):
        if arg in ("-f", "--config-file") and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--config-file="):
            return arg.partition("=")[2]
    return None


def current_page(md: Markdown) -> tuple[str, dict] | None:
    """(docs-relative path, metadata) of the page ``md`` renders, where the host says (Zensical)."""
    page = getattr(md, "site_tools_page", None)
    if page is not None:
        return page
    try:
        from zensical.extensions.context import ContextPreprocessor
    except ImportError:
        return None
    context = ContextPreprocessor.from_markdown(md)
    if context is None:
        return None
    return context.page.path, context.page.meta


class _Blocks(Preprocessor):
    def __init__(self, md: Markdown, extension: SiteToolsExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        self.md.site_tools_renderer = None
        text = "\n".join(lines)
        page = current_page(self.md)
        if page is None:
            if "{value}`" in text or "```" in text:
                raise SnippetError(
                    "site_tools.markdown: the host did not say which page it renders; "
                    "set md.site_tools_page = (path in the docs folder, metadata) before convert()"
                )
            return lines
        src_uri, meta = page
        site = site_for(self.extension.config_path())
        state = site.current()
        options = site.project.options
        mode = BuildMode(serving(), options)
        # Zensical resolves links in a page's HTML from its source file, as it does Markdown links.
        renderer = PageRenderer(state, src_uri, url=src_uri, meta=meta, **mode.renderer_options())
        text, listing_problems = state.with_recent_posts(text, site.project.docs_dir / src_uri)
        try:
            markdown = renderer.markdown(text)  # waits for this page's snippets
        except (PageChanged, ExecutorError) as error:
            raise SnippetError(str(error)) from None
        if not mode.serving:
            errors = [*map(str, listing_problems), *page_errors(state, renderer)]
            if mode.stops(errors):
                raise stop("\n".join(errors))
        self.md.site_tools_renderer = renderer
        return notebook_links(markdown, src_uri, state).split("\n")


_LINK = re.compile(r"(\]\()([^)\s#]+\.ipynb)(#[^)\s]*)?(\s|\))")


def notebook_links(markdown: str, src_uri: str, state: SiteState) -> str:
    """Links to a jupytext notebook's ``.ipynb`` page point at the Markdown page the pre-step wrote in
    its place (MkDocs gets the ``.ipynb`` page from mkdocs-jupyter; Zensical has none)."""
    pages = {notebook_page_uri(posixpath.splitext(uri)[0] + ".ipynb") for uri in state.notebooks}
    folder = posixpath.dirname(src_uri)

    def swap(match: re.Match) -> str:
        target = notebook_page_uri(match[2])
        if posixpath.normpath(posixpath.join(folder, target)) not in pages:
            return match[0]
        return f"{match[1]}{target}{match[3] or ''}{match[4]}"

    return _LINK.sub(swap, markdown) if ".ipynb" in markdown else markdown


def page_errors(state: SiteState, renderer: PageRenderer) -> list[str]:
    """What stops this page in a build: its block problems, failed embeds, bad citations."""
    scan = renderer.scan
    if scan is None:
        return []
    messages = [str(problem) for problem in scan.problems]
    messages += [
        message
        for embed in scan.embeds
        if (message := embed_error(embed, state.engine.result(embed.snippet)))
    ]
    page_texts = {renderer.path: state.texts.get(renderer.path, "")}
    from site_tools.site.checks import citation_problems

    messages += [
        str(p)
        for p in citation_problems(page_texts, state.inventory, state.engine.result, state.snippets_prefix)
    ]
    return messages


class _Outputs(Postprocessor):
    def __init__(self, md: Markdown, extension: SiteToolsExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, text: str) -> str:
        renderer: PageRenderer | None = getattr(self.md, "site_tools_renderer", None)
        if renderer is None:
            return text
        html, _ = renderer.content(text)
        html = renderer.state.insert_figures(html)
        site = site_for(self.extension.config_path())
        # The page's drawings, where the page links them: a plain Zensical build has no pre-step to
        # write them (under `site-tools build` they are already there). Variant files need the
        # scrub script, which only `site-tools build` ships.
        publish_named_files(site.project.config.site_dir, renderer.state.figure_files)
        over = [
            problem for problem in renderer.state.budget_problems if problem.startswith(f"{renderer.path}:")
        ]
        # The page budget counts the HTML this page puts inside the theme and its figures' drawings:
        # a host hands an extension no more than that; the theme's frame around it is not counted here.
        if problem := page_html_problem(
            renderer.path,
            html,
            renderer.state.page_drawing_bytes.get(renderer.path, 0),
            site.project.options.page_budget_kb,
        ):
            over.append(problem)
        if BuildMode(serving()).stops(over):  # over a size budget stops a build, as under MkDocs
            raise stop("\n".join(over))
        return html


class SiteToolsExtension(Extension):
    """The extension; its switches are ``off``, ``root`` and ``config_file``. Every other key a host
    hands it is a site-tools option written in the extension's entry: the config reader reads (and
    checks) those from the file itself, as every adapter does, so here they are only accepted."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "off": [False, "Leave pages alone (the MkDocs plugin sets it: it has replaced the blocks)"],
            "root": ["", "The project folder (default: found from the working folder)"],
            "config_file": ["", "The site's config (default: SITE_TOOLS_CONFIG, -f, as Zensical finds it)"],
        }
        assert set(self.config) == set(EXTENSION_SWITCHES)  # the reader leaves exactly these out of options
        switches = {key: value for key, value in kwargs.items() if key in EXTENSION_SWITCHES}
        super().__init__(**switches)

    def config_path(self) -> Path:
        """The site's config: named (``config_file``, ``SITE_TOOLS_CONFIG``, the host's ``-f``), else the
        one Zensical reads in the project folder."""
        root = self.getConfig("root")
        named = self.getConfig("config_file") or None
        if named is None and not os.environ.get(CONFIG_ENV, "").strip():
            named = host_config_file(sys.argv)
        try:
            return find_config(Path(root) if root else Path.cwd(), host="zensical", config_file=named)
        except ConfigFileError as error:
            raise stop(f"site-tools: {error}") from None

    def extendMarkdown(self, md: Markdown) -> None:
        if self.getConfig("off"):
            return
        md.registerExtension(self)
        # Before whitespace is normalised (30) and fences are read (superfences: 25): the page's own text.
        md.preprocessors.register(_Blocks(md, self), "site_tools", 35)
        # After raw HTML is put back (30): the slots are in the HTML.
        md.postprocessors.register(_Outputs(md, self), "site_tools", 5)


def makeExtension(**kwargs: Any) -> SiteToolsExtension:
    return SiteToolsExtension(**kwargs)
