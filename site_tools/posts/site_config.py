"""What posts are checked against, read from the site's config and the blog's authors file.

The site's config stays the single source of truth (the allowed categories live under the blog
plugin's ``categories_allowed``, in ``plugins: - blog:`` or ``[project.plugins.blog]``), read by the
one config reader (``site_tools.configfile``: ``INHERIT`` and ``!ENV`` as MkDocs resolves them, TOML as
Zensical reads it), so this module never imports a host.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from site_tools import fast_yaml
from site_tools.configfile import ConfigFileError, SiteConfig, open_config
from site_tools.posts.document import PostReadError, decode_utf8, relative_name
from site_tools.posts.links import LinkRules
from site_tools.problems import Problem

EXCERPT_SEPARATOR = "<!-- more -->"
_BLOG_PLUGIN_NAMES = ("blog", "material/blog")


class SiteSettingsError(Exception):
    """The site's config or a settings file cannot be used; ``problem`` says where and why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@dataclass(frozen=True)
class SiteSettings:
    """The parts of the site configuration a post has to agree with.

    ``allowed_categories`` is None when the config allows any category. ``problems`` holds what
    is wrong with the authors file, so it is reported once, alongside the posts' own problems.
    """

    root: Path
    posts_dir: Path
    authors_file: Path
    allowed_categories: tuple[str, ...] | None
    known_authors: tuple[str, ...]
    excerpt_separator: str | None
    problems: tuple[Problem, ...] = ()
    links: LinkRules | None = None  # what the build's link validation refuses


def load_yaml_file(path: Path, rel: str) -> Any:
    """Load a YAML settings file, turning every failure into a SiteSettingsError with a line."""
    try:
        text = decode_utf8(path.read_bytes(), rel)
    except OSError as error:
        problem = Problem(rel, None, None, f"cannot read: {error.strerror}")
        raise SiteSettingsError(problem) from None
    except PostReadError as error:
        raise SiteSettingsError(error.problem) from None
    try:
        return fast_yaml.load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        reason = error.problem or error.context or "cannot be parsed"
        raise SiteSettingsError(Problem(rel, line, None, f"malformed YAML: {reason}")) from None
    except yaml.YAMLError as error:
        raise SiteSettingsError(Problem(rel, None, None, f"malformed YAML: {error}")) from None


def load_site_settings(project_root: Path, config: SiteConfig | None = None) -> SiteSettings:
    """Read the site's config (``config``, else the one found in ``project_root``) and the authors file.

    Raises SiteSettingsError when the config is missing, malformed or has no blog plugin, since then
    no post can be checked at all.
    """
    if config is None:
        try:
            config = open_config(project_root)
        except ConfigFileError as error:
            raise SiteSettingsError(error.problem) from None
    project_root = config.root
    blog = config.plugin(_BLOG_PLUGIN_NAMES)
    if blog is None:
        where = "[project.plugins.blog]" if config.is_toml else "'plugins'"
        raise SiteSettingsError(
            Problem(config.name, None, "plugins", f"the blog plugin is not enabled under {where}")
        )
    docs_dir = config.docs_dir
    blog_dir = str(blog.get("blog_dir") or "blog")
    authors_file = docs_dir / str(blog.get("authors_file") or "{blog}/.authors.yml").format(blog=blog_dir)
    allowed = blog.get("categories_allowed") or None
    separator = None
    if blog.get("post_excerpt", "optional") == "required":
        separator = str(blog.get("post_excerpt_separator") or EXCERPT_SEPARATOR)
    problems: list[Problem] = []
    authors = _load_authors(authors_file, relative_name(authors_file, project_root), problems)
    return SiteSettings(
        root=project_root,
        posts_dir=docs_dir / blog_dir / "posts",
        authors_file=authors_file,
        allowed_categories=tuple(str(c) for c in allowed) if allowed else None,
        known_authors=authors,
        excerpt_separator=separator,
        problems=tuple(problems),
        links=LinkRules.from_config(config.data, docs_dir),
    )


def _load_authors(path: Path, rel: str, problems: list[Problem]) -> tuple[str, ...]:
    """Author ids from Material's ``authors:`` mapping; problems are collected, not raised."""
    if not path.is_file():
        problems.append(Problem(rel, None, None, "authors file is missing; posts need authors"))
        return ()
    try:
        data = load_yaml_file(path, rel)
    except SiteSettingsError as error:
        problems.append(error.problem)
        return ()
    authors = data.get("authors") if isinstance(data, dict) else None
    if not isinstance(authors, dict) or not authors:
        problems.append(Problem(rel, 1, "authors", "expected an 'authors:' mapping of author ids to details"))
        return ()
    return tuple(str(author) for author in authors)
