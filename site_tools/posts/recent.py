"""The newest posts as a Markdown list, for a page that shows what was published lately.

A description may cite values (``{value}`x.py:name` ``) of the snippets its post embeds: they are
resolved here against that post's snippets, not the page that lists it, so the list shows the same
value as the post; a citation that cannot be resolved is a problem at the post's line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from site_tools.posts.document import PostReadError, read_post
from site_tools.problems import Problem
from site_tools.render.values import ROLE, Source, cite_elsewhere

MARKER = "<!-- recent-posts -->"


@dataclass(frozen=True)
class RecentPosts:
    markdown: str
    problems: list[Problem] = field(default_factory=list)  # citations in descriptions that failed


def recent_posts(
    posts_dir: Path,
    *,
    project_root: Path,
    page_dir: Path,
    limit: int = 5,
    sources: Callable[[str], Mapping[str, Source]] = lambda post: {},
) -> RecentPosts:
    """Links (relative to ``page_dir``) to the ``limit`` newest published posts, with date and description.

    ``sources`` gives the snippets a post (by its repository path) embeds, with their results.
    """
    entries = []
    for path in posts_dir.glob("*.md"):
        try:
            post = read_post(path, project_root)
        except PostReadError:
            continue  # reported by validation; a broken post is simply not listed
        meta = post.meta or {}
        date = meta.get("date")
        if meta.get("draft") or not isinstance(date, dt.date):
            continue
        entries.append((date, str(meta.get("title", path.stem)), post, path))
    entries.sort(key=lambda entry: entry[0], reverse=True)
    lines, problems = [], []
    for date, title, post, path in entries[:limit]:
        description = str((post.meta or {}).get("description", ""))
        if ROLE in description:
            line = post.key_lines.get("description", 1)
            description, failed = cite_elsewhere(description, sources(post.rel), post.rel, line)
            problems += failed
        link = path.relative_to(page_dir).as_posix()
        lines.append(f"- **[{title}]({link})** · {date:%B %-d, %Y}  \n  {description}")
    return RecentPosts("\n".join(lines) if lines else "*No posts yet.*", problems)
