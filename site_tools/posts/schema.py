"""The one front-matter schema every post follows, as rules that explain their own fix.

Each rule yields ``(field, message)``; the validator adds the file and line. Rules never stop at
the first mistake, so one run lists everything wrong with a post.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

REQUIRED_KEYS = ("title", "date", "description", "authors", "categories", "tags")
OPTIONAL_KEYS = ("updated", "slug", "draft")
KNOWN_KEYS = REQUIRED_KEYS + OPTIONAL_KEYS
MAX_DESCRIPTION = 160
DATE_FORMAT_HINT = "write it as YYYY-MM-DD without quotes, e.g. 2023-06-29"
SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

# Keys other blog engines use, with where their content belongs in this schema.
FOREIGN_KEY_HINTS = {
    "layout": "Material picks the page template; delete it",
    "permalink": "the URL comes from the date and the slug; delete it or set 'slug'",
    "sidebar_position": "posts are ordered by date; delete it",
    "keywords": "move them into 'tags'",
    "tag": "use 'tags', a list",
    "category": "use 'categories', a list",
    "author": "use 'authors', a list of ids from .authors.yml",
    "excerpt": "put '<!-- more -->' after the first paragraph instead",
    "summary": "use 'description'",
}

Finding = tuple[str | None, str]


@dataclass(frozen=True)
class SchemaContext:
    """What the rules compare against: None for ``allowed_categories`` allows any category."""

    allowed_categories: tuple[str, ...] | None
    known_authors: tuple[str, ...]


def check_front_matter(meta: dict[str, Any], context: SchemaContext) -> list[Finding]:
    """Every schema violation in ``meta``, in key order."""
    findings: list[Finding] = []
    for key in meta:
        if key not in KNOWN_KEYS:
            findings.append((str(key), _unknown_key_message(str(key))))
    for key in REQUIRED_KEYS:
        if key not in meta:
            findings.append((key, f"front matter: '{key}' is missing; add a '{key}:' line"))
    for key, rule in _RULES.items():
        if key in meta and meta[key] is None:
            findings.append((key, f"front matter: '{key}' has no value; write one after '{key}:'"))
        elif key in meta:
            findings.extend((key, f"front matter: {m}") for m in rule(meta[key], meta, context))
    return findings


def _unknown_key_message(key: str) -> str:
    message = f"front matter: '{key}' is not a known key"
    close = difflib.get_close_matches(key, KNOWN_KEYS, n=1, cutoff=0.6)
    if key in FOREIGN_KEY_HINTS:
        return f"{message} ({FOREIGN_KEY_HINTS[key]})"
    if close:
        return f"{message} (did you mean '{close[0]}'?)"
    return f"{message} (known keys: {', '.join(KNOWN_KEYS)})"


def _text(name: str, value: Any) -> Iterator[str]:
    if not isinstance(value, str):
        yield f"'{name}' must be text, not {_kind(value)}; put it in quotes"
    elif not value.strip():
        yield f"'{name}' is empty; write one"


def _title(value: Any, _meta: dict[str, Any], _context: SchemaContext) -> Iterator[str]:
    yield from _text("title", value)


def _description(value: Any, _meta: dict[str, Any], _context: SchemaContext) -> Iterator[str]:
    problems = list(_text("description", value))
    yield from problems
    if not problems and len(value.strip()) > MAX_DESCRIPTION:
        yield (
            f"'description' is {len(value.strip())} characters; shorten it to at most "
            f"{MAX_DESCRIPTION} (search results and the RSS feed show it whole)"
        )


def parse_date(value: Any) -> dt.date | None:
    """A date or datetime as YAML reads it unquoted; None for anything else."""
    return value if isinstance(value, dt.date) else None


def _date_problems(name: str, value: Any) -> Iterator[str]:
    if parse_date(value) is not None:
        return
    if isinstance(value, dict):
        yield f"'{name}' must be a single date; put a later change date in 'updated'"
    elif isinstance(value, str) and _iso_date(value) is not None:
        yield (
            f"'{name}' is the quoted text '{value}'; remove the quotes so it is read as a date "
            "(Material's blog rejects dates given as text)"
        )
    else:
        yield f"'{name}' is {_shown(value)}, not a date; {DATE_FORMAT_HINT}"


def _iso_date(text: str) -> dt.date | None:
    try:
        return dt.datetime.fromisoformat(text.strip())
    except ValueError:
        return None


def _date(value: Any, _meta: dict[str, Any], _context: SchemaContext) -> Iterator[str]:
    yield from _date_problems("date", value)


def _updated(value: Any, meta: dict[str, Any], _context: SchemaContext) -> Iterator[str]:
    yield from _date_problems("updated", value)
    created, updated = parse_date(meta.get("date")), parse_date(value)
    if created is not None and updated is not None and _day(updated) < _day(created):
        yield f"'updated' ({_day(updated)}) is before 'date' ({_day(created)}); fix one of them"


def _day(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _string_list(name: str, value: Any, example: str) -> Iterator[str]:
    if not isinstance(value, list):
        yield f"'{name}' must be a list, e.g. {name}: [{example}]; found {_shown(value)}"
        return
    for item in value:
        if not isinstance(item, str) or not item.strip():
            yield f"'{name}' must hold only non-empty text; {_shown(item)} is not"


def _chosen(
    name: str, value: Any, choices: tuple[str, ...] | None, *, singular: str, source: str
) -> Iterator[str]:
    """A non-empty list of strings, each one of ``choices`` (any string when it is None)."""
    example = choices[0] if choices else f"{singular}-name"
    problems = list(_string_list(name, value, example))
    yield from problems
    if problems:
        return
    if not value:
        yield f"'{name}' is empty; give at least one, e.g. {name}: [{example}]"
    for item in value if choices is not None else ():
        if item not in choices:
            yield (
                f"{singular} '{item}' is not in {source}{_suggest(item, choices)}; "
                f"choose from: {', '.join(choices) or 'none yet'}"
            )


def _authors(value: Any, _meta: dict[str, Any], context: SchemaContext) -> Iterator[str]:
    yield from _chosen("authors", value, context.known_authors, singular="author", source=".authors.yml")


def _categories(value: Any, _meta: dict[str, Any], context: SchemaContext) -> Iterator[str]:
    yield from _chosen(
        "categories",
        value,
        context.allowed_categories,
        singular="category",
        source="categories_allowed in mkdocs.yml",
    )


def _tags(value: Any, _meta: dict[str, Any], _context: SchemaContext) -> Iterator[str]:
    if isinstance(value, str) and "," in value:
        items = ", ".join(part.strip() for part in value.split(",") if part.strip())
        yield f"'tags' must be a list, not one text with commas; write tags: [{items}]"
        return
    yield from _string_list("tags", value, "PyTorch, Tutorial")


def _slug(value: Any, _meta: dict[str, Any], _context: SchemaContext) -> Iterator[str]:
    if not isinstance(value, str) or not SLUG_RE.fullmatch(value):
        yield (
            f"'slug' is {_shown(value)}; use lowercase letters, digits and single hyphens, "
            "e.g. slug: my-first-post"
        )


def _draft(value: Any, _meta: dict[str, Any], _context: SchemaContext) -> Iterator[str]:
    if not isinstance(value, bool):
        yield f"'draft' must be true or false, not {_shown(value)}"


def _suggest(value: str, choices: tuple[str, ...]) -> str:
    by_folded = {choice.casefold(): choice for choice in choices}
    close = difflib.get_close_matches(value.casefold(), list(by_folded), n=1, cutoff=0.6)
    return f" (did you mean '{by_folded[close[0]]}'?)" if close else ""


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dt.date):
        return "a date"
    return {int: "a number", float: "a number", list: "a list", dict: "a mapping"}.get(
        type(value), type(value).__name__
    )


def _shown(value: Any) -> str:
    return f"'{value}'" if isinstance(value, str) else f"{_kind(value)} ({value!r})"


_RULES = {
    "title": _title,
    "date": _date,
    "updated": _updated,
    "description": _description,
    "authors": _authors,
    "categories": _categories,
    "tags": _tags,
    "slug": _slug,
    "draft": _draft,
}
