"""Write posts in the house style: schema key order, flow lists, unquoted dates."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml
from pymdownx.slugs import slugify as pymdownx_slugify

from site_tools.posts.schema import KNOWN_KEYS

# The default ``post_slugify`` of Material's blog plugin.
_MATERIAL_SLUGIFY = pymdownx_slugify(case="lower")


class PostExistsError(Exception):
    """Refused to overwrite an existing post."""


def slugify(title: str) -> str:
    """ASCII, lowercase words joined by single hyphens: safe in file names and URLs."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_title.lower().replace("'", ""))
    return "-".join(words) or "post"


def slug_override(title: str, slug: str) -> str | None:
    """``slug`` if Material's own slug of ``title`` would differ from it, else None.

    Material's default slugify keeps runs of hyphens and non-ASCII letters, so a title such as
    "A - B" gets the URL "a---b"; writing ``slug`` keeps the URL equal to the file name.
    """
    return None if _MATERIAL_SLUGIFY(title, "-") == slug else slug


def post_filename(date: dt.date, slug: str) -> str:
    """``YYYY-MM-DD-slug.md``, so the posts folder lists in publication order."""
    return f"{date:%Y-%m-%d}-{slug}.md"


def render_post(meta: dict[str, Any], body: str) -> str:
    """Front matter in schema order, then the body."""
    ordered = {key: meta[key] for key in KNOWN_KEYS if key in meta}
    front = yaml.safe_dump(ordered, sort_keys=False, allow_unicode=True, width=4096, default_flow_style=None)
    return f"---\n{front}---\n\n{body.strip()}\n"


def write_new_file(path: Path, text: str) -> None:
    """Create ``path`` with ``text``; never replace an existing file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        raise PostExistsError(f"{path} already exists; not overwriting it") from None


SKELETON_DESCRIPTION = "One sentence, at most 160 characters, that tells a reader what this post shows."
SKELETON_BODY = """\
The opening paragraph: what the reader will learn. The blog index shows everything above the
line below.

<!-- more -->

## A first section

The rest of the post.
"""


def skeleton_post(title: str, *, date: dt.date, author: str, category: str) -> str:
    """A new post that passes validation as it is; ``draft`` keeps it off the built site."""
    meta: dict[str, Any] = {
        "title": title,
        "date": date,
        "description": SKELETON_DESCRIPTION,
        "authors": [author],
        "categories": [category],
        "tags": [],
        "draft": True,
    }
    slug = slugify(title)
    if slug_override(title, slug):
        meta["slug"] = slug
    return render_post(meta, SKELETON_BODY)
