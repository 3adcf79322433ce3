"""Validate posts: front matter against the schema, plus the body rules the build depends on."""

from __future__ import annotations

from pathlib import Path

from site_tools.configfile import SiteConfig
from site_tools.posts.blocks import iter_prose_lines
from site_tools.posts.document import PostReadError, PostSource, read_post, relative_name
from site_tools.posts.draft_leftovers import leftover_kind
from site_tools.posts.links import LinkRules, describe, missing_targets, unresolved_links
from site_tools.posts.schema import SchemaContext, check_front_matter
from site_tools.posts.site_config import (
    EXCERPT_SEPARATOR,
    SiteSettingsError,
    load_site_settings,
)
from site_tools.problems import Problem


def validate_posts(project_root: Path, config: SiteConfig | None = None) -> list[Problem]:
    """All problems of all posts under the blog's posts folder, plus those of the settings; ``config``
    is the site's config as the host in use found it (default: the one found in ``project_root``)."""
    try:
        settings = load_site_settings(project_root, config)
    except SiteSettingsError as error:
        return [error.problem]
    problems = list(settings.problems)
    if not settings.posts_dir.is_dir():
        rel = relative_name(settings.posts_dir, project_root)
        return [*problems, Problem(rel, None, None, "posts folder is missing")]
    for path in sorted(settings.posts_dir.rglob("*.md")):
        problems.extend(
            validate_post_file(
                path,
                project_root=project_root,
                allowed_categories=settings.allowed_categories,
                known_authors=settings.known_authors,
                excerpt_separator=settings.excerpt_separator,
                links=settings.links,
            )
        )
    return problems


def validate_post_file(
    path: Path,
    *,
    project_root: Path,
    allowed_categories: tuple[str, ...] | None,
    known_authors: tuple[str, ...],
    excerpt_separator: str | None = EXCERPT_SEPARATOR,
    links: LinkRules | None = None,
) -> list[Problem]:
    """Every problem of one post; ``excerpt_separator`` None means excerpts are optional.

    With ``links`` (the site's link validation), every link or image the strict build would refuse
    is reported; without, only relative ones to files that do not exist.
    """
    try:
        post = read_post(path, project_root)
    except PostReadError as error:
        return [error.problem]
    context = SchemaContext(tuple(allowed_categories) if allowed_categories else None, tuple(known_authors))
    problems = check_post(post, context, excerpt_separator)
    problems += [
        Problem(
            post.rel,
            post.body_line + item.index,
            None,
            describe(item)
            if item.reason
            else f"{describe(item)} (next to this post: {relative_name(path.parent, project_root)}/); "
            "fix the path, add the file, or remove the " + item.kind,
        )
        for item in (
            unresolved_links(post.body, path.parent, links)
            if links is not None
            else missing_targets(post.body, path.parent)
        )
    ]
    return sorted(problems, key=lambda problem: problem.line or 0)


def check_post(post: PostSource, context: SchemaContext, excerpt_separator: str | None) -> list[Problem]:
    """Problems of an already-read post (the importer checks its output before writing it)."""
    if post.meta is None:
        return [
            Problem(
                post.rel,
                1,
                None,
                "front matter: none found; start the file with a '---' line, the keys "
                "title, date, description, authors, categories, tags, then '---' "
                '(`site-tools new "Title"` writes a skeleton)',
            )
        ]
    problems = [
        Problem(
            post.rel,
            again,
            key,
            f"front matter: '{key}' appears twice (lines {first} and {again}); keep one",
        )
        for key, first, again in post.duplicate_keys
    ]
    front_line = max(post.body_line - 1, 1)
    for field, message in check_front_matter(post.meta, context):
        line = post.key_lines.get(field, 1) if field is not None else front_line
        problems.append(Problem(post.rel, line, field, message))
    problems.extend(_body_problems(post, excerpt_separator))
    return sorted(problems, key=lambda problem: problem.line or 0)


def _body_problems(post: PostSource, excerpt_separator: str | None) -> list[Problem]:
    problems = []
    prose = list(iter_prose_lines(post.body))
    for index, line in prose:
        kind = leftover_kind(line)
        if kind is not None:
            problems.append(
                Problem(
                    post.rel,
                    post.body_line + index,
                    None,
                    f"body: {kind} left in the post ({_quote(line)}); delete the line",
                )
            )
    if excerpt_separator and not any(excerpt_separator in line for _, line in prose):
        problems.append(
            Problem(
                post.rel,
                post.body_line,
                None,
                f"body: no '{excerpt_separator}' line; put one after the first paragraph "
                "(the blog index shows everything above it)",
            )
        )
    return problems


def _quote(line: str, limit: int = 40) -> str:
    text = line.strip()
    return f"'{text}'" if len(text) <= limit else f"'{text[:limit]}…'"
