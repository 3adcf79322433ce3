"""Just enough Markdown structure for line-level fixes: fenced code is never touched.

Blocks are runs of lines separated by blank lines, where a fenced code block (``` or ~~~) counts as
one block however many blank lines it holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_FENCE_RE = re.compile(r"\s{0,3}(`{3,}|~{3,})")


def iter_prose_lines(text: str) -> Iterator[tuple[int, str]]:
    """(0-based index, line) for every line outside fenced code."""
    fence: str | None = None
    for index, line in enumerate(text.split("\n")):
        match = _FENCE_RE.match(line)
        if fence is None and match:
            fence = match.group(1)[0] * len(match.group(1))
        elif fence is not None and match and match.group(1).startswith(fence):
            fence = None
        elif fence is None:
            yield index, line


def split_blocks(text: str) -> list[str]:
    """Blank-line separated blocks, with fenced code kept whole."""
    prose = dict(iter_prose_lines(text))
    blocks: list[str] = []
    current: list[str] = []
    for index, line in enumerate(text.split("\n")):
        if index in prose and not line.strip():
            if current:
                blocks.append("\n".join(current))
            current = []
        else:
            current.append(line)
    if current:
        blocks.append("\n".join(current))
    return blocks


def join_blocks(blocks: list[str]) -> str:
    """The inverse of split_blocks, with exactly one blank line between blocks."""
    return "\n\n".join(block for block in blocks if block.strip()) + "\n"


def is_fenced(block: str) -> bool:
    """True for a block that is fenced code."""
    return _FENCE_RE.match(block) is not None
