"""Values a snippet publishes for its page to cite: the contract between a snippet and the engine.

The contract is an environment variable, so a snippet stays a plain script. While the engine runs a
snippet, ``SITE_TOOLS_VALUES`` names a file in the job's output folder; publishing a value appends
one JSON line ``{"name": ..., "value": ...}`` to that file. Run any other way (``python x.py``, a
download) the variable is unset and publishing does nothing. The site's ``snippets/publish.py`` is
one writer of this file; the engine never imports it, and anything that appends valid lines works.

A name is an identifier; a value is a finite int or float, a bool, or a single-line string of at most
``MAX_TEXT`` characters. The last value published under a name wins.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

VALUES_ENV = "SITE_TOOLS_VALUES"
VALUES_FILE = "values.jsonl"
MAX_TEXT = 200
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

Value = int | float | bool | str


class ValueProblem(ValueError):
    """A published value that breaks the contract; the message says which and why."""


def check_value(name: object, value: object) -> None:
    """Raise ``ValueProblem`` unless ``name``/``value`` may be published."""
    if not isinstance(name, str) or not NAME.match(name):
        raise ValueProblem(f"value name {name!r} must be an identifier (letters, digits, _)")
    if isinstance(value, int):  # bool included
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueProblem(f"value {name!r} is {value}: publish finite numbers only")
        return
    if isinstance(value, str):
        if len(value) > MAX_TEXT or "\n" in value or "\r" in value:
            raise ValueProblem(f"value {name!r} must be a single line of at most {MAX_TEXT} characters")
        return
    raise ValueProblem(
        f"value {name!r} is a {type(value).__name__}: publish an int, a float, a bool or a short string"
        " (convert tensors with .item())"
    )


def read_values(path: Path) -> dict[str, Value]:
    """The values appended to ``path`` (none when it does not exist); ``ValueProblem`` on a bad line."""
    if not path.is_file():
        return {}
    values: dict[str, Value] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            name, value = record["name"], record["value"]
        except (ValueError, KeyError, TypeError):
            raise ValueProblem(
                f"{VALUES_FILE} line {number} is not a published value: {line[:80]!r}"
            ) from None
        check_value(name, value)
        values[name] = value
    return values
