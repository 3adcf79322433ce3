"""A small record of the last build, kept in the cache folder for ``site-tools cache stats``."""

from __future__ import annotations

import contextlib
import json
import time
from pathlib import Path

from site_tools.files import write_whole

FILENAME = ".last-build.json"


def write_last_run(cache_dir: Path, record: dict) -> None:
    """Store ``record`` (counts, the remote's public URL) atomically; a read-only folder is no error."""
    with contextlib.suppress(OSError):
        cache_dir.mkdir(parents=True, exist_ok=True)
        write_whole(cache_dir / FILENAME, json.dumps({**record, "finished": time.time()}, sort_keys=True))


def read_last_run(cache_dir: Path) -> dict | None:
    try:
        record = json.loads((cache_dir / FILENAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None
