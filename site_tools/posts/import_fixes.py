"""Formatting fixes the importer applies to a post body; the words themselves are kept.

Each fix records what it did in :class:`ImportNotes`, so the author sees every change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from site_tools.posts.blocks import is_fenced, iter_prose_lines, join_blocks, split_blocks
from site_tools.posts.draft_leftovers import leftover_kind
from site_tools.posts.site_config import EXCERPT_SEPARATOR

_ATX_RE = re.compile(r"(#{1,6})\s+(.*?)(?:\s+#+)?\s*")
_RULE_RE = re.compile(r"\s*([-*_])(?:\s*\1){2,}\s*")
# A bare "Introduction:" line: short, capitalised, no sentence punctuation before the colon.
_LABEL_RE = re.compile(r"([A-Z][^.:!?#*`\[\]]{0,70}):")
_PLACEHOLDER_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+")
_TOC_LABEL_RE = re.compile(r"(?:#{1,6}\s+)?(?:\*\*|__)?\s*(?:table of )?contents\s*:?\s*(?:\*\*|__)?", re.I)
_TOC_ITEM_RE = re.compile(r"\s*[-*+]\s+\[[^\]]+\]\(#[^)\s]+\)\s*")
_NOT_PROSE_RE = re.compile(r"\s{0,3}(?:#|<|>|\||[-*+]\s|\d+[.)]\s|(?:\*\*|__)[^*_]+(?:\*\*|__):?$)")
MAX_LABEL_WORDS = 8


@dataclass
class ImportNotes:
    """What an import changed, by kind, in the order it happened."""

    dropped: list[str] = field(default_factory=list)
    guessed: list[str] = field(default_factory=list)
    suspicious: list[str] = field(default_factory=list)
    fixed: list[str] = field(default_factory=list)


def heading_text(line: str, level: int | None = None) -> str | None:
    """The text of an ATX heading line (of ``level``, if given), else None."""
    match = _ATX_RE.fullmatch(line)
    if match is None or (level is not None and len(match.group(1)) != level):
        return None
    return match.group(2)


def _same_title(a: str, b: str) -> bool:
    def words(text: str) -> list[str]:
        return re.findall(r"\w+", text.casefold())

    return words(a) == words(b)


def clean_body(body: str, title: str | None, notes: ImportNotes) -> tuple[str, str | None]:
    """Apply every fix; returns the body and the title (taken from the first H1 if none given)."""
    lines = body.split("\n")
    drop: set[int] = set()
    title_heading_removed = False
    for index, line in iter_prose_lines(body):
        kind = leftover_kind(line)
        if kind is not None:
            drop.add(index)
            notes.suspicious.append(f"removed {kind}: '{line.strip()}'")
            continue
        text = heading_text(line, level=1)
        if text is None:
            continue
        if title is None:
            title, title_heading_removed = text, True
            drop.add(index)
            notes.guessed.append(f"title '{text}' from the first heading (heading removed)")
        elif not title_heading_removed and _same_title(text, title):
            title_heading_removed = True
            drop.add(index)
            notes.dropped.append(f"heading '# {text}' that repeats the title")
        else:
            lines[index] = f"## {text}"
            notes.fixed.append(f"'# {text}' became '## {text}' (the page title is the only H1)")
    blocks = split_blocks("\n".join(line for i, line in enumerate(lines) if i not in drop))
    blocks = _drop_trailing_rules(blocks, notes)
    blocks = _labels_to_headings(blocks, notes)
    blocks = _placeholders_to_comments(blocks, notes)
    blocks = _insert_excerpt_separator(blocks, notes)
    return join_blocks(blocks), title


def _drop_trailing_rules(blocks: list[str], notes: ImportNotes) -> list[str]:
    while blocks and _RULE_RE.fullmatch(blocks[-1]):
        notes.dropped.append(f"trailing horizontal rule '{blocks.pop().strip()}'")
    return blocks


def _labels_to_headings(blocks: list[str], notes: ImportNotes) -> list[str]:
    """Bare 'Introduction:' lines become '## Introduction', only in posts with no headings."""
    if any(heading_text(b.split("\n", 1)[0]) for b in blocks if not is_fenced(b)):
        return blocks
    fixed = []
    for block in blocks:
        match = _LABEL_RE.fullmatch(block.strip())
        if match and not is_fenced(block) and len(match.group(1).split()) <= MAX_LABEL_WORDS:
            heading = f"## {match.group(1).strip()}"
            notes.fixed.append(f"bare line '{match.group(0)}' became the heading '{heading}'")
            fixed.append(heading)
        else:
            fixed.append(block)
    return fixed


def _placeholders_to_comments(blocks: list[str], notes: ImportNotes) -> list[str]:
    """A paragraph that is a lone slug is a figure placeholder; keep it, but invisible."""
    fixed = []
    for block in blocks:
        name = block.strip()
        if _PLACEHOLDER_RE.fullmatch(name):
            comment = f"<!-- figure: {name} -->"
            notes.suspicious.append(
                f"bare placeholder line '{name}' would render as a stray word; "
                f"kept as the comment '{comment}' for a computed figure"
            )
            fixed.append(comment)
        else:
            fixed.append(block)
    return fixed


def is_prose(block: str) -> bool:
    """True for an ordinary paragraph: not a heading, list, quote, table, HTML or code."""
    return bool(block.strip()) and not is_fenced(block) and not _NOT_PROSE_RE.match(block)


def _is_toc(blocks: list[str], index: int) -> bool:
    """A list of in-page links, or the label line right before one."""
    block = blocks[index]
    if all(_TOC_ITEM_RE.fullmatch(line) for line in block.split("\n")):
        return True
    following = blocks[index + 1] if index + 1 < len(blocks) else ""
    return bool(_TOC_LABEL_RE.fullmatch(block.strip())) and _is_toc([following], 0)


def _insert_excerpt_separator(blocks: list[str], notes: ImportNotes) -> list[str]:
    """Put the separator after the first paragraph, moving a manual table of contents below it."""
    if any(EXCERPT_SEPARATOR in block for block in blocks):
        return blocks
    first = next((i for i, block in enumerate(blocks) if is_prose(block)), None)
    if first is None:
        notes.suspicious.append("no paragraph found; the excerpt separator goes at the end")
        return [*blocks, EXCERPT_SEPARATOR]
    toc = [i for i in range(first) if _is_toc(blocks, i)]
    if toc:
        notes.fixed.append("moved the manual table of contents below the excerpt")
    head = [block for i, block in enumerate(blocks[: first + 1]) if i not in toc]
    moved = [blocks[i] for i in toc]
    notes.fixed.append(f"added '{EXCERPT_SEPARATOR}' after the first paragraph")
    return [*head, EXCERPT_SEPARATOR, *moved, *blocks[first + 1 :]]


def plain_text(markdown: str) -> str:
    """A paragraph without Markdown markup, on one line."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"(\*\*|__|`)", "", text)
    text = re.sub(r"(?<!\w)[*_](\S[^*_]*?)[*_](?!\w)", r"\1", text)
    return " ".join(text.split())


def summarise(markdown: str, limit: int) -> str:
    """Whole sentences of the first paragraph that fit in ``limit`` characters."""
    paragraph = next((b for b in split_blocks(markdown) if is_prose(b)), "")
    text = plain_text(paragraph)
    summary = ""
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        candidate = f"{summary} {sentence}".strip()
        if len(candidate) > limit:
            break
        summary = candidate
    if not summary and text:
        summary = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return summary
