"""Blog posts: the front-matter schema, its validator and the importer of foreign post dialects.

Nothing here imports MkDocs, so the CLI and the tests use it without building a site; the MkDocs
plugin calls :func:`validate_posts` and reports the same :class:`Problem` messages.
"""

from __future__ import annotations

from site_tools.posts.site_config import SiteSettings, load_site_settings
from site_tools.posts.validate import validate_post_file, validate_posts
from site_tools.problems import Problem

__all__ = [
    "Problem",
    "SiteSettings",
    "load_site_settings",
    "validate_post_file",
    "validate_posts",
]
