"""The MkDocs adapter: hooks that hand the site's pages to the engine and put its results into pages.

Collect, then run, then render: ``on_files`` reads every page, runs all cache misses together and
keeps the results; page hooks only look results up. Material's blog renders post Markdown again for
excerpts and index pages, but nothing executes there. State lives on the plugin instance, which
``mkdocs serve`` keeps between rebuilds (with the loaded workers).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import replace
from pathlib import Path

from mkdocs.config.base import ValidationError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from site_tools.configfile import EXTENSION_NAME, ConfigFileError, SiteConfig, read_config
from site_tools.engine import Engine, RunReport
from site_tools.engine.run.executor import ExecutorError
from site_tools.hosts.mkdocs.build_state import BuildState
from site_tools.hosts.mkdocs.config import SiteToolsConfig
from site_tools.hosts.mkdocs.pages import PageRenderer
from site_tools.hosts.mkdocs.problem_posts import StandIns
from site_tools.posts.validate import validate_posts
from site_tools.render.assets import site_assets
from site_tools.render.budgets import page_html_problem
from site_tools.settings import OptionsError, SiteToolsOptions, describe, load_options
from site_tools.site.build_mode import BuildMode
from site_tools.site.generated_files import MANIFEST, previous_host_files

# MkDocs' plugin logger: "site_tools: " in front of every message, -q/-v respected, and warnings
# counted by `--strict`. Problems an author must fix are errors (build) or are shown on their page and
# logged at INFO (serve, where a warning under `strict` would refuse to show that page). Things the
# build recovered from by itself are notices, at INFO, counted in the summary line.
log = get_plugin_logger(__name__)


class SiteToolsPlugin(BasePlugin[SiteToolsConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        super().__init__()
        self.command = "build"
        self.engine: Engine | None = None
        self.state: BuildState | None = None
        self.report: RunReport | None = None
        self.standins = StandIns()
        self.options = SiteToolsOptions()
        self.site_config: SiteConfig | None = None

    # -- set up ----------------------------------------------------------------------------------
    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    def load_config(self, options: dict, config_file_path: str | None = None):
        """Validate the options with the one schema pytest and the CLI use too (site_tools.settings),
        read from the file this host was given (mkdocs.yml, properdocs.yml, ``-f``) by the one config
        reader: the plugin entry and the extension's entry together, as every other adapter reads them."""
        errors, warnings = super().load_config({}, config_file_path)
        raw, line_of, name = options, (lambda key: None), "mkdocs.yml"
        if config_file_path and Path(config_file_path).is_file():
            try:
                self.site_config = read_config(Path(config_file_path))
                raw, line_of = self.site_config.site_tools_options()
            except ConfigFileError as error:
                return [*errors, (error.problem.field or "", ValidationError(str(error.problem)))], warnings
            name = self.site_config.name
        try:
            self.options = load_options(raw, environ=os.environ, config_file=name, line_of=line_of)
        except OptionsError as error:
            return [*errors, *((p.field or "", ValidationError(str(p))) for p in error.problems)], warnings
        return errors, warnings

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path).resolve().parent
        engine_config = self.options.engine_config(root)
        if self.engine is None or self.engine.config != engine_config:
            if self.engine is not None:
                self.engine.close()
            self.engine = Engine(engine_config)  # kept across `mkdocs serve` rebuilds
        log.debug(f"options: {', '.join(describe(self.options))}")
        for notice in self.options.notices():
            log.info(notice)
        self.engine.warm_up()  # the preload goes on while MkDocs reads its files
        for asset in site_assets():  # the stylesheets and scripts our HTML needs
            listed = config.extra_css if asset.kind == "css" else config.extra_javascript
            if asset.uri not in listed:
                listed.append(asset.uri)
        if EXTENSION_NAME in config.markdown_extensions:  # for hosts without plugins: here it stays out
            config.mdx_configs.setdefault(EXTENSION_NAME, {})["off"] = True
        if not engine_config.execute:
            log.info("execution is off (SITE_TOOLS_EXECUTE=0 or execute: false): cached results only")
        return config

    @property
    def serving(self) -> bool:
        return self.command == "serve"

    @property
    def mode(self) -> BuildMode:
        return BuildMode(self.serving, self.options)

    # -- collect and run -------------------------------------------------------------------------
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.engine is not None
        root = self.engine.config.root
        post_problems = validate_posts(root, self.site_config) if self.options.validate_posts else []
        if post_problems and self.serving:
            # The blog plugin would stop the rebuild on some of these: show them on the posts.
            docs_prefix = Path(config.docs_dir).resolve().relative_to(root.resolve()).as_posix()
            self.standins.replace(files, config, post_problems, root=root, docs_prefix=docs_prefix)
        # What a pre-step for another host wrote into the docs folder: this build makes its own.
        for uri in previous_host_files(self.engine.config.cache_dir / MANIFEST):
            if (stale := files.get_file_from_path(uri)) is not None:
                files.remove(stale)
        for asset in site_assets():
            if files.get_file_from_path(asset.uri) is None:
                files.append(File.generated(config, asset.uri, content=asset.content))
        self.state = BuildState.from_files(self.engine, files, config, notebooks=self.options.notebooks)
        self.state.add_problems(post_problems)
        # Runs go on while MkDocs reads the pages; each page waits for its own snippets only.
        try:
            self.engine.start(self.state.snippets(), progress=self._progress, plan=log.info)
        except ExecutorError as error:
            raise PluginError(f"site-tools: {error}") from None
        self.state.generate_files(files, config, report_page=self.options.report_page)
        if self.mode.stops(self.state.problems):
            self._check()  # the build stops here: no page is worth rendering
        return files

    @event_priority(100)  # before mkdocs-jupyter reads an executed notebook
    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page:
        assert self.state is not None
        self.state.fill_page(page.file, files)
        return page

    def on_env(self, env, *, config: MkDocsConfig, files: Files):
        self._check()  # every page has its results: the rest of the runs are done
        return env

    def on_build_error(self, *, error: Exception) -> None:
        if self.engine is not None:
            self.engine.cancel()

    def _check(self) -> None:
        """Wait for every run; stop a build on any problem (serve shows them on their pages)."""
        assert self.engine is not None and self.state is not None
        try:
            self.report = self.engine.finish()
        except ExecutorError as error:
            raise PluginError(f"site-tools: {error}") from None
        self.state.write_notebooks()
        if mismatched := self.state.mismatched():  # ran, but not what the embed promised
            self.report = replace(self.report, failed=self.report.failed + mismatched)
        for notice in self.report.notices:
            log.info(f"notice: {notice}")
        for line in self.state.note_lines():  # the snippets' own warnings and stderr, for the author
            log.info(line)
        errors = self.state.errors()
        if self.mode.stops(errors):
            for error in errors:
                log.error(error)
            log.info(self.report.summary())
            raise PluginError(self.mode.stop_message(len(errors)))
        for error in errors:
            log.info(self.mode.problem_line(error))

    def _progress(self, done: int, total: int, snippet, result) -> None:
        state = "ok" if result.ok else result.status.upper()
        log.info(f"[{done}/{total}] {snippet.name}: {state} in {result.duration:.1f} s")

    # -- render ----------------------------------------------------------------------------------
    @event_priority(50)  # before Material's blog handles excerpts
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if page.file.abs_src_path:
            markdown, problems = self.state.with_recent_posts(markdown, Path(page.file.abs_src_path))
            self.state.add_problems(problems)  # reported by _check, as every problem is
        try:
            return self._renderer(page).markdown(markdown)  # waits for this page's snippets
        except ExecutorError as error:
            raise PluginError(f"site-tools: {error}") from None

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        return self._renderer(page).content(html)

    def _renderer(self, page: Page) -> PageRenderer:
        assert self.state is not None and self.engine is not None
        return PageRenderer(self.state, page, **self.mode.renderer_options())

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if self.state is None:
            return output
        output = self.state.insert_figures(output)  # the themed figures, as the reader gets them
        if page.file.src_uri:
            path = self.state.page_path(page.file.src_uri)  # its HTML and its figures' drawings
            drawings = self.state.page_drawing_bytes.get(path, 0)
            problem = page_html_problem(path, output, drawings, self.options.page_budget_kb)
            if problem:
                self.state.budget_problems[problem] = None
        return output

    # -- finish ----------------------------------------------------------------------------------
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.state is not None:  # figures' drawings and scrub variants, made while pages rendered
            for uri, content in {**self.state.figure_files, **self.state.variant_files}.items():
                target = Path(config.site_dir) / uri
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(content, encoding="utf-8")
            # Over the page's notebook mkdocs-jupyter copied: the one to download holds its figures.
            for uri, download in self.state.notebook_downloads.items():
                (Path(config.site_dir) / uri).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(download, Path(config.site_dir) / uri)
        over = list(self.state.budget_problems) if self.state is not None else []
        for problem in over:  # serve: shown, without making `strict` refuse the page
            (log.info if self.serving else log.error)(self.mode.budget_line(problem))
        if self.report is not None:
            log.info(self.report.summary())
        if self.mode.stops(over):
            raise PluginError(
                self.mode.stop_message(len(over), "figure(s) or page(s) over their size budget")
            )

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        assert self.engine is not None
        server.watch(str(self.engine.config.snippets_dir))
        return server

    def on_shutdown(self) -> None:
        self.standins.close()
        if self.engine is not None:
            self.engine.close()
