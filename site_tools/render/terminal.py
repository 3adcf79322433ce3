"""Printed text as a terminal shows it: ``\\r`` returns to the start of the line and overwrites it.

A progress bar (tqdm, or ``print(..., end="\\r")``) prints one state per update; a terminal shows
only the last one, and so does the page.
"""

from __future__ import annotations


def as_terminal(text: str) -> str:
    """``text`` with each line reduced to what a terminal would show after every ``\\r`` in it."""
    if "\r" not in text:
        return text
    return "\n".join(_line(line) for line in text.replace("\r\n", "\n").split("\n"))


def _line(line: str) -> str:
    shown = ""
    for part in line.split("\r"):
        shown = part + shown[len(part) :]  # the new text overwrites the start; the rest stays
    return shown
