"""The MkDocs side of one build: the site state (``site_tools.site``) read from, and written into,
MkDocs' ``Files``. Everything that is not MkDocs glue lives in the host-free site layer."""

from __future__ import annotations

import posixpath
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.utils import get_relative_url

from site_tools.engine import Engine
from site_tools.engine.collect.inventory import is_notebook
from site_tools.site.notebooks import notebook_target, write_notebook
from site_tools.site.state import SiteState


class BuildState(SiteState):
    report_page: str = ""
    notebook_pages: dict[str, tuple[str, Path, str]]  # .ipynb uri -> (.py uri, its file, page URL)
    notebook_downloads: dict[str, Path]  # site path -> the executed notebook a reader downloads

    @classmethod
    def from_files(
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
                pages[f"{docs_prefix}/{file.src_uri}"] = text
        state = cls.collect(engine, pages, notebook_files, docs_prefix=docs_prefix)
        state.notebook_pages = {}
        state.notebook_downloads = {}
        return state

    def generate_files(self, files: Files, config: MkDocsConfig, *, report_page: str) -> None:
        """Add the download files of each embedded snippet and the execution report page."""
        for uri, content in self.download_files(lambda uri: files.get_file_from_path(uri) is not None):
            # Handed over as content: a file path would make mkdocs-jupyter render the downloadable
            # notebook as a page.
            files.append(File.generated(config, uri, content=content()))
        for src_uri in self.notebooks:
            self._executed_notebook(files, config, src_uri)
        if report_page:
            existing = files.get_file_from_path(report_page)
            if existing is not None:
                files.remove(existing)  # a file a pre-step left in the docs folder: this one is current
            # Written when its page is read (``fill_page``), once every run is done; appended last,
            # so that MkDocs reads every other page first, while the snippets run.
            self.report_page = report_page
            files.append(File.generated(config, report_page, content=""))

    def fill_page(self, file: File, files: Files) -> None:
        """Before MkDocs reads a page that needs every result: the report, an executed notebook."""
        if file.src_uri == self.report_page:
            # Every page's URL is known by now (the blog plugin has dated its posts): the report's
            # table goes in as HTML after Markdown, its links already resolved.
            def url_of(src_uri: str) -> str | None:
                page = files.get_file_from_path(src_uri)
                return None if page is None else get_relative_url(page.url, file.url)

            file.content_string = self.report_content(file.src_uri, url_of)
        elif file.src_uri in self.notebook_pages:
            src_uri, target, page_url = self.notebook_pages.pop(file.src_uri)
            download = write_notebook(self, src_uri, target, page_url=page_url)
            if download is not None:  # where mkdocs-jupyter (include_source) copies the page's file
                name = posixpath.basename(file.src_uri)
                self.notebook_downloads[posixpath.join(posixpath.dirname(file.dest_uri), name)] = download

    def write_notebooks(self) -> None:
        """Executed notebooks no page has asked for (without mkdocs-jupyter they are copied as files:
        each is the download)."""
        for ipynb_uri in list(self.notebook_pages):
            src_uri, target, page_url = self.notebook_pages.pop(ipynb_uri)
            download = write_notebook(self, src_uri, target, page_url=page_url)
            if download is not None:
                self.notebook_downloads[ipynb_uri] = download

    def _executed_notebook(self, files: Files, config: MkDocsConfig, src_uri: str) -> None:
        """Publish the jupytext notebook as an executed ``.ipynb`` page, which mkdocs-jupyter renders as is.

        The ``.py`` source is replaced by ``<same name>.ipynb``, a real file in a per-key folder of
        the cache, so links and nav entries name ``tutorials/x.ipynb``. A failed run still gets its
        page: the notebook without outputs, led by the error. mkdocs-jupyter's copy of it beside the
        page (``include_source``) is replaced by the download (``site/notebooks.py``) after the build.
        """
        # The URL mkdocs-jupyter gives the page, as MkDocs would give a Markdown page of that name.
        page_url = File(
            posixpath.splitext(src_uri)[0] + ".md", None, config.site_dir, config.use_directory_urls
        ).url
        ipynb_uri, target = notebook_target(self, src_uri, page_url=page_url)
        # Written in ``fill_page``, when MkDocs comes to the page: the run may still be going now.
        self.notebook_pages[ipynb_uri] = (src_uri, target, page_url)
        original = files.get_file_from_path(src_uri)
        if original is not None:
            files.remove(original)
        existing = files.get_file_from_path(ipynb_uri)
        if existing is not None:
            files.remove(existing)  # a stand-in page a pre-step left in the docs folder
        folder = target.parents[ipynb_uri.count("/")]  # the folder ``ipynb_uri`` is relative to
        files.append(File(ipynb_uri, str(folder), config.site_dir, config.use_directory_urls))
