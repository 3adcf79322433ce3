"""Convert a post written for another blog engine into this site's schema.

Recognised dialects: Hugo-like (title/date), Jekyll (layout/categories/keywords/description),
Docusaurus (sidebar_position), Academic Pages (permalink/tags) and plain Markdown without front
matter. Whatever cannot be carried over is dropped, guessed or flagged, and always reported.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from site_tools.posts.document import read_post
from site_tools.posts.import_fixes import ImportNotes, clean_body, summarise
from site_tools.posts.links import describe, drop, liquid_tags, missing_targets
from site_tools.posts.schema import MAX_DESCRIPTION, SLUG_RE, parse_date
from site_tools.posts.site_config import SiteSettings
from site_tools.posts.writer import post_filename, render_post, slug_override, slugify

_FILENAME_DATE_RE = re.compile(r"(\d{4}-\d{2}-\d{2})")
_CARRIED_KEYS = (
    "title",
    "date",
    "description",
    "authors",
    "categories",
    "tags",
    "updated",
    "slug",
    "draft",
)
_MERGED_KEYS = {"keywords": "tags", "author": "authors", "category": "categories", "tag": "tags"}


class PostImportError(Exception):
    """The file cannot be imported; the message says why and what to pass instead."""


@dataclass(frozen=True)
class ImportedPost:
    """The converted post and everything the conversion changed."""

    filename: str
    text: str
    dialect: str
    notes: ImportNotes


def detect_dialect(meta: dict[str, Any] | None) -> str:
    """Name the engine a post was written for, from the keys of its front matter."""
    if meta is None:
        return "plain Markdown (no front matter)"
    if "sidebar_position" in meta or "sidebar_label" in meta:
        return "Docusaurus"
    if "layout" in meta:
        return "Jekyll"
    if "permalink" in meta:
        return "Academic Pages"
    return "Hugo-like"


def import_post(
    source: Path,
    settings: SiteSettings,
    *,
    title: str | None = None,
    date: dt.date | None = None,
    author: str | None = None,
    today: dt.date | None = None,
    unresolved: str = "keep",
) -> ImportedPost:
    """Convert ``source``; options override what the file says, for files that lack it.

    ``unresolved`` says what becomes of Liquid tags and of links to files that do not exist next
    to the new post: ``keep`` them (reported as suspicious) or ``drop`` them (reported as dropped).
    """
    post = read_post(source, settings.root)
    meta = dict(post.meta or {})
    notes = ImportNotes()
    carried: dict[str, Any] = {}
    for key, value in meta.items():
        if key in _CARRIED_KEYS or key in _MERGED_KEYS:
            continue
        notes.dropped.append(f"'{key}: {value}' ({detect_dialect(meta)} setting with no use here)")
    body, found_title = clean_body(post.body, title or _text(meta.get("title")), notes)
    if found_title is None:
        raise PostImportError(
            f"{post.rel}: no title in the front matter and no '# Heading' line; pass --title"
        )
    carried["title"] = found_title
    carried["date"] = _date(meta, date, source, today or dt.date.today(), notes)
    carried["description"] = _description(meta.get("description"), body, notes)
    carried["authors"] = _authors(meta, author, settings, notes)
    tags = _tags(meta, found_title, notes)
    carried["categories"], carried["tags"] = _categories(
        meta, title=found_title, tags=tags, body=body, settings=settings, notes=notes
    )
    for key in ("updated", "draft"):
        if key in meta:
            carried[key] = meta[key]
    slug = meta.get("slug")
    if isinstance(slug, str) and SLUG_RE.fullmatch(slug):
        carried["slug"] = slug
    else:
        if slug is not None:
            notes.dropped.append(f"slug {slug!r} (not lowercase words and hyphens)")
        slug = slugify(found_title)
        if slug_override(found_title, slug):
            carried["slug"] = slug
            notes.fixed.append(f"slug '{slug}' set so the URL matches the file name")
    body = body.strip()
    found = liquid_tags(body) + missing_targets(body, settings.posts_dir)
    if unresolved == "drop":
        body = drop(body, found)
    text = render_post(carried, body)
    first = text.count("\n", 0, text.index(body)) + 1 if body else 1
    for item in sorted(found, key=lambda item: item.index):
        if unresolved == "drop":
            notes.dropped.append(f"{describe(item)}")
        else:
            notes.suspicious.append(
                f"line {first + item.index}: {describe(item)}; kept (`--unresolved drop` removes it)"
            )
    return ImportedPost(
        filename=post_filename(carried["date"], slug),
        text=text,
        dialect=detect_dialect(post.meta),
        notes=notes,
    )


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _date(
    meta: dict[str, Any], given: dt.date | None, source: Path, today: dt.date, notes: ImportNotes
) -> dt.date:
    if given is not None:
        return given
    found = parse_date(meta.get("date"))
    if found is not None:
        return found
    if meta.get("date") is not None:
        notes.suspicious.append(f"date '{meta['date']}' is not a date; guessed another")
    named = _FILENAME_DATE_RE.search(source.name)
    if named:
        try:
            guess = dt.date.fromisoformat(named.group(1))
        except ValueError:
            pass
        else:
            notes.guessed.append(f"date {guess} from the file name")
            return guess
    notes.guessed.append(f"date {today} (today; pass --date to set it)")
    return today


def _description(value: Any, body: str, notes: ImportNotes) -> str:
    text = _text(value)
    if text is not None and len(text) <= MAX_DESCRIPTION:
        return text
    if text is not None:
        shortened = summarise(text, MAX_DESCRIPTION)
        notes.guessed.append(f"description shortened to {MAX_DESCRIPTION} characters at most")
        return shortened
    summary = summarise(body, MAX_DESCRIPTION)
    notes.guessed.append(f"description from the first paragraph: '{summary}'")
    return summary


def _as_list(value: Any) -> list[str]:
    """A YAML list or a comma-separated text as a list of trimmed strings."""
    items = value if isinstance(value, list) else [value] if value is not None else []
    return [part.strip() for item in items for part in _item_text(item).split(",") if part.strip()]


def _item_text(item: Any) -> str:
    """YAML reads an unquoted list item such as ``- A: B`` as a mapping; give back its text."""
    if isinstance(item, dict):
        return ", ".join(f"{key}: {value}" for key, value in item.items())
    return str(item)


def _authors(
    meta: dict[str, Any], given: str | None, settings: SiteSettings, notes: ImportNotes
) -> list[str]:
    if given is not None:
        return [given]
    named = _as_list(meta.get("authors")) + _as_list(meta.get("author"))
    known = [name for name in named if name in settings.known_authors]
    if known:
        return known
    for name in named:
        notes.dropped.append(f"author '{name}' (not in .authors.yml; pass --author)")
    if not settings.known_authors:
        raise PostImportError("no author: .authors.yml lists none; add one there first")
    if len(settings.known_authors) > 1:
        notes.guessed.append(f"author '{settings.known_authors[0]}' (pass --author to choose)")
    return [settings.known_authors[0]]


def _tags(meta: dict[str, Any], title: str, notes: ImportNotes) -> list[str]:
    tags: dict[str, str] = {}
    for key in ("tags", "tag", "keywords"):
        for tag in _as_list(meta.get(key)):
            if tag.casefold() == title.casefold() or len(tag.split()) > 6:
                notes.suspicious.append(f"tag '{tag}' looks like a title, not a tag; dropped")
                continue
            tags.setdefault(tag.casefold(), tag)
        if isinstance(meta.get(key), list) and any("," in _item_text(t) for t in meta[key]):
            notes.fixed.append(f"split comma-separated '{key}' into separate tags")
        if key == "keywords" and key in meta:
            notes.fixed.append("'keywords' became tags")
    return list(tags.values())


def _categories(
    meta: dict[str, Any],
    *,
    title: str,
    tags: list[str],
    body: str,
    settings: SiteSettings,
    notes: ImportNotes,
) -> tuple[list[str], list[str]]:
    """Categories from the allowed list; foreign ones become tags, missing ones are guessed."""
    allowed = settings.allowed_categories
    source = _as_list(meta.get("categories")) + _as_list(meta.get("category"))
    if allowed is None:
        if not source:
            notes.guessed.append("category 'Blog' (mkdocs.yml allows any; pick a better one)")
        return source or ["Blog"], tags
    by_folded = {category.casefold(): category for category in allowed}
    chosen = [by_folded[c.casefold()] for c in source if c.casefold() in by_folded]
    for category in source:
        if category.casefold() not in by_folded:
            if category.casefold() not in {tag.casefold() for tag in tags}:
                tags.append(category)
            notes.dropped.append(f"category '{category}' (not allowed here; kept as a tag)")
    if chosen:
        return list(dict.fromkeys(chosen)), tags
    named = " ".join([title, *tags]).casefold()
    chosen = [category for category in allowed if category.casefold() in named]
    if not chosen:
        counts = Counter({c: body.casefold().count(c.casefold()) for c in allowed})
        best, hits = counts.most_common(1)[0]
        chosen = [best if hits else allowed[0]]
    notes.guessed.append(f"categories {chosen} (check them against the post)")
    return chosen, tags
