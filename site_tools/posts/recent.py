"""The newest posts as a Markdown list, for a page that shows what was published lately."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from site_tools.posts.document import PostReadError, read_post

MARKER = "<!-- recent-posts -->"


def recent_posts_markdown(
    posts_dir: Path, *, project_root: Path, page_dir: Path, limit: int = 5
) -> str:
    """Links (relative to ``page_dir``) to the ``limit`` newest published posts, with date and description."""
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
        entries.append(
            (date, str(meta.get("title", path.stem)), str(meta.get("description", "")), path)
        )
    entries.sort(key=lambda entry: entry[0], reverse=True)
    lines = []
    for date, title, description, path in entries[:limit]:
        link = path.relative_to(page_dir).as_posix()
        lines.append(f"- **[{title}]({link})** · {date:%B %-d, %Y}  \n  {description}")
    return "\n".join(lines) if lines else "*No posts yet.*"
