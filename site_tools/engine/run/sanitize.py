"""Keep the build machine's paths out of what readers see: repository-relative paths only."""

from __future__ import annotations

import site
import sys
import sysconfig
from functools import cache
from pathlib import Path


@cache
def _prefixes() -> tuple[tuple[str, str], ...]:
    """(prefix, replacement) pairs, longest first so that the most specific wins."""
    pairs: dict[str, str] = {}
    for folder in {
        *site.getsitepackages(),
        sysconfig.get_paths()["purelib"],
        sysconfig.get_paths()["platlib"],
    }:
        pairs[folder.rstrip("/") + "/"] = "<site-packages>/"
    pairs[sysconfig.get_paths()["stdlib"].rstrip("/") + "/"] = "<python>/"
    pairs[sys.prefix.rstrip("/") + "/"] = "<python>/"
    pairs[str(Path.home()).rstrip("/") + "/"] = "~/"
    return tuple(sorted(pairs.items(), key=lambda item: -len(item[0])))


def sanitize_paths(text: str, root: str | Path) -> str:
    """``text`` with the project root removed and interpreter folders named, not spelled out."""
    text = text.replace(str(Path(root).resolve()).rstrip("/") + "/", "")
    for prefix, replacement in _prefixes():
        text = text.replace(prefix, replacement)
    return text
