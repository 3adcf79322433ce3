"""Sizes as people read them, in the engine's notices (a figure drawn as pixels) and the build's
budget messages (``render/budgets.py``)."""

from __future__ import annotations


def human(size: int) -> str:
    """Bytes as KiB or MiB with one decimal."""
    return f"{size / 1024:.1f} KiB" if size < 1 << 20 else f"{size / (1 << 20):.1f} MiB"
