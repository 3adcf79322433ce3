"""Put results into one MkDocs page: the host-free page renderer (``site_tools.site.page``) with
MkDocs' page, its URL and its anchors, and MkDocs' error type."""

from __future__ import annotations

from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

from site_tools.site.page import PageChanged
from site_tools.site.page import PageRenderer as SitePageRenderer
from site_tools.site.state import SiteState


class PageRenderer:
    def __init__(self, state: SiteState, page: Page, **options) -> None:
        self.page = page
        self.site = SitePageRenderer(state, page.file.src_uri, url=page.url, meta=page.meta, **options)

    def markdown(self, markdown: str) -> str:
        try:
            return self.site.markdown(markdown)
        except PageChanged as error:
            raise PluginError(str(error)) from None

    def content(self, html: str) -> str:
        html, taken = self.site.content(html)
        if self.page.present_anchor_ids is not None:
            self.page.present_anchor_ids |= taken  # figure permalinks, for links checked by MkDocs
        return html
