"""Read Python source as ``python`` does: a UTF-8 byte-order mark or a ``coding:`` line is honoured.

Windows editors save files with a BOM; older files declare ``# -*- coding: latin-1 -*-``. Either way
the text handed on is plain ``str`` without the BOM, which ``compile`` accepts (it ignores the
cookie of a ``str``).
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

# PEP 263: the cookie must be on line 1 or 2, in a comment.
CODING_LINE = re.compile(r"^[ \t\f]*#.*?coding[:=][ \t]*[-\w.]+")


def decode_source(data: bytes) -> str:
    """``data`` decoded as the interpreter would decode a module file, BOM removed."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError:
        encoding = "utf-8"  # an unknown cookie: running the snippet will say what is wrong
    try:
        text = data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        text = data.decode("utf-8", errors="replace")
    return text.removeprefix("\ufeff")


def read_source(path: Path) -> str:
    return decode_source(path.read_bytes())
