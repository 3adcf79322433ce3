"""Publish a value the snippet computed, so that the page embedding it can cite it in its words.

    import publish
    publish.value("speedup", shallow_mse / deep_mse)

The page then writes ``{value}`depth_vs_width.py:speedup:.1f` `` where the number goes, and the
build puts the computed number there. While the site runs the snippet, ``SITE_TOOLS_VALUES``
names the file to append to (one JSON line per value, the engine's contract); run any other way
(``python snippets/x.py``, a download) publishing only checks the value and returns it.
"""

from __future__ import annotations

import json
import math
import os
import re

MAX_TEXT = 200


def value(name: str, number: int | float | bool | str) -> int | float | bool | str:
    """Publish ``number`` (an int, float, bool or short one-line string) as ``name``; return it."""
    if hasattr(number, "item") and not isinstance(number, str):
        number = number.item()  # a 0-d tensor or numpy scalar
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise ValueError(f"value name {name!r} must be an identifier (letters, digits, _)")
    if isinstance(number, float) and not math.isfinite(number):
        raise ValueError(f"value {name!r} is {number}: publish finite numbers only")
    if isinstance(number, str) and (len(number) > MAX_TEXT or "\n" in number):
        raise ValueError(f"value {name!r} must be one line of at most {MAX_TEXT} characters")
    if not isinstance(number, int | float | str):
        raise TypeError(f"value {name!r} is a {type(number).__name__}: publish a number or a short string")
    target = os.environ.get("SITE_TOOLS_VALUES")
    if target:
        with open(target, "a", encoding="utf-8") as file:  # noqa: PTH123
            file.write(json.dumps({"name": name, "value": number}) + "\n")
    return number
