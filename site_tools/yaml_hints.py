"""PyYAML's reasons in the author's terms: what it found, and what to write instead."""

from __future__ import annotations

_HINTS = {
    "found character '\\t' that cannot start any token": "indent with spaces, not tabs",
}


def explain(reason: str) -> str:
    """``reason`` with the fix appended when it is one of the common mistakes."""
    for found, hint in _HINTS.items():
        if found in reason:
            return f"{reason}: {hint}"
    return reason
