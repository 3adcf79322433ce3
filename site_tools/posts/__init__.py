"""Blog posts: the front-matter schema, its validator and the importer of foreign post dialects.

Nothing here imports MkDocs, so the CLI and the tests use it without building a site; the MkDocs
plugin calls :func:`validate_posts` and reports the same :class:`Problem` messages.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from site_tools.problems import Problem

if TYPE_CHECKING:
    from site_tools.posts.site_config import SiteSettings, load_site_settings
    from site_tools.posts.validate import validate_post_file, validate_posts

# Imported on first use: a build that only lists recent posts (``posts.recent``) or validates nothing
# does not pay for the schema and the validator.
_LAZY = {
    "SiteSettings": "site_tools.posts.site_config",
    "load_site_settings": "site_tools.posts.site_config",
    "validate_post_file": "site_tools.posts.validate",
    "validate_posts": "site_tools.posts.validate",
}

__all__ = [
    "Problem",
    "SiteSettings",
    "load_site_settings",
    "validate_post_file",
    "validate_posts",
]


def __getattr__(name: str) -> object:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
