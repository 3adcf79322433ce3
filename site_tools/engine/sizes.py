"""Sizes as people read them, in the engine's notices (a figure drawn as pixels) and the build's
budget messages (``render/budgets.py``), and the size of text as a file holds it."""

from __future__ import annotations


def human(size: int) -> str:
    """Bytes as KiB or MiB with one decimal."""
    return f"{size / 1024:.1f} KiB" if size < 1 << 20 else f"{size / (1 << 20):.1f} MiB"


def utf8_size(text: str) -> int:
    """The bytes ``text`` takes in UTF-8, without encoding it when it is ASCII (``isascii`` reads a flag
    the string keeps): an SVG drawing almost always is, and a build measures every one."""
    return len(text) if text.isascii() else len(text.encode())
