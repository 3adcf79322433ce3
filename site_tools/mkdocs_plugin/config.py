"""The plugin's options in mkdocs.yml, typed and documented (``plugins: - site-tools: {...}``)."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from site_tools import project


class SiteToolsConfig(Config):
    snippets_dir = c.Type(str, default=project.DEFAULT_SNIPPETS_DIR)
    """Folder of snippet files and their shared helper modules, relative to mkdocs.yml."""

    cache_dir = c.Type(str, default=project.DEFAULT_CACHE_DIR)
    """Where results are kept between builds, relative to mkdocs.yml (ignored by git)."""

    execute = c.Type(bool, default=True)
    """Run snippets that have no cached result. ``SITE_TOOLS_EXECUTE=0`` turns this off too."""

    workers = c.Optional(c.Type(int))
    """Worker processes running snippets at once; default: the number of cores."""

    timeout = c.Type((int, float), default=project.DEFAULT_TIMEOUT)
    """Seconds a snippet may run before it is stopped; an embed's ``timeout:`` overrides it."""

    memory_limit_mb = c.Type(int, default=project.DEFAULT_MEMORY_LIMIT_MB)
    """Memory a snippet may allocate beyond what its worker starts with; 0 for no limit."""

    cache_url = c.Optional(c.Type(str))
    """URL of a shared result cache (Bazel's HTTP cache protocol), read after the local one.

    ``SITE_TOOLS_CACHE_URL`` overrides it."""

    cache_write = c.Type(bool, default=False)
    """Upload what this build runs to ``cache_url`` (CI); default read-only. ``SITE_TOOLS_CACHE_WRITE=1``."""

    notebooks = c.ListOfItems(c.Type(str), default=[])
    """Docs-relative globs of jupytext notebooks (``.py``) to execute and render as notebooks."""

    report_page = c.Type(str, default="execution-report.md")
    """A generated page listing every snippet with its runtime, memory and cache state."""

    validate_posts = c.Type(bool, default=True)
    """Check blog posts' front matter against the site's schema before building."""
