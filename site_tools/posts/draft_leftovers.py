"""Lines that chatbots and site generators leave in drafts and that must never be published.

The importer removes them and says so; the validator flags any that slip into a post later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Leftover:
    """A known leftover: what it is, and a pattern that matches the whole offending line."""

    kind: str
    pattern: re.Pattern[str]


LEFTOVERS = (
    Leftover("chatbot invitation to edit", re.compile(r"\s*Feel free to customi[sz]e\b.*", re.I)),
    Leftover("chatbot disclaimer", re.compile(r"\s*ChatGPT can make mistakes\b.*", re.I)),
    Leftover("chatbot self-reference", re.compile(r"\s*As an AI language model\b.*", re.I)),
    Leftover(
        "chatbot preamble",
        re.compile(r"\s*(?:Sure|Certainly|Of course)[!,.]\s+here(?:'s| is| are)\b.*", re.I),
    ),
)


def leftover_kind(line: str) -> str | None:
    """The kind of leftover ``line`` is, or None when it is ordinary text."""
    for leftover in LEFTOVERS:
        if leftover.pattern.fullmatch(line):
            return leftover.kind
    return None
