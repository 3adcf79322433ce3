"""The size an SVG (as matplotlib wrote it) is drawn at, in CSS px, read from its root tag alone:
no parse, no lxml, so a warm build that only links figure files never loads the theming code."""

from __future__ import annotations

import re

_PX_PER_UNIT = {"pt": 4 / 3, "px": 1.0, "": 1.0, "in": 96.0, "cm": 96 / 2.54, "mm": 9.6 / 2.54}


def length(value: str | None, view_box: str | None, axis: str) -> float | None:
    match = re.fullmatch(r"\s*([0-9.]+)\s*(pt|px|in|cm|mm|)\s*", value or "")
    if match:
        return float(match.group(1)) * _PX_PER_UNIT[match.group(2)]
    box = (view_box or "").split()
    return float(box[2 if axis == "width" else 3]) if len(box) == 4 else None


_ROOT_TAG_RE = re.compile(r"<svg\b[^>]*>")
_ATTRIBUTE_RE = re.compile(r'\s([\w:-]+)\s*=\s*"([^"]*)"')


def natural_size(svg: str) -> tuple[float, float] | None:
    """The size in CSS px an SVG (as matplotlib wrote it) is drawn at, read from its root tag alone
    (no parse: the page reserves the figure's box with it), or None when the tag does not say."""
    tag = _ROOT_TAG_RE.search(svg)
    attributes = dict(_ATTRIBUTE_RE.findall(tag.group(0))) if tag else {}
    view_box = attributes.get("viewBox")
    width = length(attributes.get("width"), view_box, "width")
    height = length(attributes.get("height"), view_box, "height")
    return (width, height) if width and height else None
