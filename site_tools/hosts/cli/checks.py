"""``site-tools check`` with every check it runs: the posts' own (``posts.py``) and those that need
the engine, the embeds' options and the values the posts cite (``site.py``)."""

from __future__ import annotations

from site_tools.hosts.cli.posts import check, register_check
from site_tools.hosts.cli.site import citation_problems, embed_problems

register_check(embed_problems)
register_check(citation_problems)

__all__ = ["check"]
