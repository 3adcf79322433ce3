"""Writing a file so that no reader ever sees part of it: the result cache's derived files, the
drawings a Zensical page publishes from one of several rendering threads, the inputs manifest."""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path


def write_whole(target: Path, text: str) -> None:
    """``text`` into ``target`` through a name of this process and thread, then a rename: a reader
    finds the old file or the new one. Raises OSError, the temporary file removed."""
    partial = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.partial")
    try:
        partial.write_text(text, encoding="utf-8")
        partial.replace(target)
    except OSError:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise
