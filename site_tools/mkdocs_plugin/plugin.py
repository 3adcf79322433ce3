"""The MkDocs adapter: hooks that hand the site's pages to the engine and put its results into pages.

Collect, then run, then render: ``on_files`` reads every page, runs all cache misses together and
keeps the results; page hooks only look results up. Material's blog renders post Markdown again for
excerpts and index pages, but nothing executes there. State lives on the plugin instance, which
``mkdocs serve`` keeps between rebuilds (with the loaded workers).
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from site_tools.engine import Engine, EngineConfig, RunReport, execution_enabled
from site_tools.engine.remote import remote_options
from site_tools.mkdocs_plugin.build_state import BuildState
from site_tools.mkdocs_plugin.config import SiteToolsConfig
from site_tools.mkdocs_plugin.pages import PageRenderer
from site_tools.mkdocs_plugin.standins import StandIns
from site_tools.posts.recent import MARKER, recent_posts_markdown
from site_tools.posts.validate import validate_posts

log = logging.getLogger("mkdocs.plugins.site_tools")
# Under `mkdocs serve` problems are shown on their pages; logging them through MkDocs' logger would
# count as warnings, and strict mode would then refuse to show the very page that explains them.
serve_log = logging.getLogger("site_tools.serve")
# Warnings about things the build recovered from by itself (a damaged cache entry was run again, the
# cache folder is read-only): shown, but kept outside MkDocs' logger so that `strict` builds pass.
notice_log = logging.getLogger("site_tools.notices")


class SiteToolsPlugin(BasePlugin[SiteToolsConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        super().__init__()
        self.command = "build"
        self.engine: Engine | None = None
        self.state: BuildState | None = None
        self.report: RunReport | None = None
        self.standins = StandIns()

    # -- set up ----------------------------------------------------------------------------------
    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path).resolve().parent
        cache_url, cache_write = remote_options(self.config.cache_url, self.config.cache_write)
        engine_config = EngineConfig(
            root=root,
            snippets_dir=root / self.config.snippets_dir,
            cache_dir=root / self.config.cache_dir,
            workers=self.config.workers,
            execute=execution_enabled(self.config.execute),
            timeout=float(self.config.timeout),
            memory_limit=(self.config.memory_limit_mb << 20) or None,
            cache_url=cache_url,
            cache_write=cache_write,
        )
        if self.engine is None or self.engine.config != engine_config:
            try:
                self.engine = Engine(engine_config)  # kept across `mkdocs serve` rebuilds
            except ValueError as error:  # a cache_url that is no URL
                raise PluginError(
                    f"site_tools: {error}; fix `cache_url` in mkdocs.yml or SITE_TOOLS_CACHE_URL"
                ) from None
        if not engine_config.execute:
            log.info("site_tools: execution is off (SITE_TOOLS_EXECUTE=0): cached results only")
        return config

    @property
    def serving(self) -> bool:
        return self.command == "serve"

    # -- collect and run -------------------------------------------------------------------------
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.engine is not None
        root = self.engine.config.root
        post_problems = validate_posts(root) if self.config.validate_posts else []
        if post_problems and self.serving:
            # The blog plugin would stop the rebuild on some of these: show them on the posts.
            docs_prefix = Path(config.docs_dir).resolve().relative_to(root.resolve()).as_posix()
            self.standins.replace(files, config, post_problems, root=root, docs_prefix=docs_prefix)
        self.state = BuildState.collect(self.engine, files, config, notebooks=self.config.notebooks)
        self.state.add_problems(post_problems)
        self.report = self.engine.run(self.state.snippets(), progress=self._progress, plan=log.info)
        for warning in self.report.warnings:
            notice_log.warning(f"site_tools: warning: {warning}")
        for notice in self.report.notices:
            log.info(f"site_tools: {notice}")
        self.state.generate_files(files, config, report_page=self.config.report_page)
        errors = self.state.errors()
        if errors and not self.serving:
            for error in errors:
                log.error(error)
            log.info(self.report.summary())
            raise PluginError(f"site_tools: {len(errors)} problem(s) above; the build stops here.")
        for error in errors:
            serve_log.error(error)
        return files

    def _progress(self, done: int, total: int, snippet, result) -> None:
        state = "ok" if result.ok else result.status.upper()
        log.info(f"site_tools: [{done}/{total}] {snippet.name}: {state} in {result.duration:.1f} s")

    # -- render ----------------------------------------------------------------------------------
    @event_priority(50)  # before Material's blog handles excerpts
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if MARKER in markdown and page.file.abs_src_path:
            listing = recent_posts_markdown(
                Path(config.docs_dir) / "blog" / "posts",
                project_root=self.engine.config.root,
                page_dir=Path(page.file.abs_src_path).parent,
            )
            markdown = markdown.replace(MARKER, listing)
        return self._renderer(page).markdown(markdown)

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        return self._renderer(page).content(html)

    def _renderer(self, page: Page) -> PageRenderer:
        assert self.state is not None and self.engine is not None
        return PageRenderer(self.state, self.engine, page, show_problems=self.serving)

    # -- finish ----------------------------------------------------------------------------------
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.report is not None:
            log.info(self.report.summary())

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        assert self.engine is not None
        server.watch(str(self.engine.config.snippets_dir))
        return server

    def on_shutdown(self) -> None:
        self.standins.close()
