"""Local links and images of a post that lead nowhere, and Jekyll's Liquid tags that MkDocs would show.

Only relative targets are checked (``images/x.png``, ``../other.md#part``), against the post's own
folder, as MkDocs resolves them; web addresses, absolute paths and anchors are left alone. Code
blocks are not prose: a link written inside one is an example.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from site_tools.posts.blocks import iter_prose_lines

_LINK = re.compile(r"(?P<image>!?)\[(?P<text>[^\]]*)\]\(\s*<?(?P<target>[^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_LIQUID = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")
_CODE_SPAN = re.compile(r"`+[^`]*`+")
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|/|#)", re.I)


@dataclass(frozen=True)
class Found:
    index: int  # 0-based line of the text
    text: str  # what was found, as written
    kind: str  # "link", "image" or "Liquid tag"
    target: str = ""
    label: str = ""  # a link's text


def missing_targets(text: str, folder: Path) -> list[Found]:
    """Relative links and images in ``text`` whose file does not exist under ``folder``."""
    found = []
    for index, line in iter_prose_lines(text):
        for match in _LINK.finditer(_CODE_SPAN.sub(lambda m: " " * len(m.group()), line)):
            target = match["target"]
            if _EXTERNAL.match(target) or _LIQUID.search(target):
                continue
            path = unquote(target.split("#", 1)[0].split("?", 1)[0])
            if path and not (folder / path).exists():
                kind = "image" if match["image"] else "link"
                found.append(Found(index, line[match.start() : match.end()], kind, target, match["text"]))
    return found


def liquid_tags(text: str) -> list[Found]:
    """Liquid tags (``{{ site.url }}``, ``{% raw %}``) in ``text``, outside code blocks."""
    return [
        Found(index, match.group(), "Liquid tag")
        for index, line in iter_prose_lines(text)
        for match in _LIQUID.finditer(_CODE_SPAN.sub(lambda m: " " * len(m.group()), line))
    ]


def drop(text: str, items: list[Found]) -> str:
    """``text`` without ``items``: a Liquid tag goes, a link keeps its words, an image goes."""
    lines = text.split("\n")
    for item in items:
        replacement = item.label if item.kind == "link" else ""
        lines[item.index] = lines[item.index].replace(item.text, replacement, 1)
    return "\n".join(lines)


def describe(item: Found) -> str:
    if item.kind == "Liquid tag":
        return f"Liquid tag {item.text} (Jekyll's templating: MkDocs would print it as it is)"
    return f"{item.kind} to '{item.target}', a file that does not exist"
