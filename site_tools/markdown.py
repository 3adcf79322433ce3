"""``site_tools.markdown``: the name authors list under ``markdown_extensions``; the extension itself
lives with the Zensical adapter (``site_tools.hosts.zensical.extension``)."""

from site_tools.hosts.zensical.extension import SiteToolsExtension, SnippetError, makeExtension

__all__ = ["SiteToolsExtension", "SnippetError", "makeExtension"]
