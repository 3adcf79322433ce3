"""A content-addressed store of run results: one folder per key, written atomically.

Layout: ``<root>/<key>/result.json`` plus ``fig-<cell>-<n>.svg`` files and ``manifest.json`` holding the
sha256 of every other file. A folder is built under a temporary name and moved into place with
``os.replace``, so a reader never sees half an entry, an interrupted build leaves only a temporary folder
(removed by ``prune``), and two builds writing the same key both succeed (the second rename
loses, harmlessly).
Entries hold no absolute path, so a cache folder copied to another clone hits there too.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from site_tools.engine.model import CellOutput, Figure, RunResult

_TMP_PREFIX = ".tmp-"


class CacheCorrupt(Exception):
    """An entry whose files do not match their recorded checksums."""


@dataclass(frozen=True)
class CacheStats:
    entries: int
    bytes: int
    temporary: int


class ResultCache:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.warnings: list[str] = []

    def entry(self, key: str) -> Path:
        return self.root / key

    def get(self, key: str) -> RunResult | None:
        """The stored result, or None. A damaged entry is reported in ``warnings``, removed and missed."""
        folder = self.entry(key)
        if not folder.is_dir():
            return None
        try:
            result = _read_entry(folder, key)
        except (CacheCorrupt, OSError, ValueError, KeyError, TypeError) as error:
            self.warnings.append(
                f"cache entry {key[:12]} is damaged ({error}); running the snippet again"
            )
            shutil.rmtree(folder, ignore_errors=True)
            return None
        with contextlib.suppress(OSError):
            os.utime(folder)  # last use, for `prune --older-than`
        return replace(result, cached=True)

    def put(self, result: RunResult) -> bool:
        """Store ``result`` (successes only). False, with a warning, when the folder cannot be written."""
        if not result.ok:
            return False
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=f"{_TMP_PREFIX}{result.key[:12]}-", dir=self.root))
        except OSError as error:
            self.warnings.append(
                f"cache folder {self.root} is not writable ({error.strerror}); results not cached"
            )
            return False
        try:
            _write_entry(tmp, result)
            tmp.replace(self.entry(result.key))
        except OSError:
            # Another build stored the same key first: its entry is as good as ours.
            shutil.rmtree(tmp, ignore_errors=True)
            return self.entry(result.key).is_dir()
        return True

    def keys(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(
            p.name for p in self.root.iterdir() if p.is_dir() and not p.name.startswith(".")
        )

    def stats(self) -> CacheStats:
        if not self.root.is_dir():
            return CacheStats(0, 0, 0)
        size = sum(f.stat().st_size for f in self.root.rglob("*") if f.is_file())
        temporary = sum(1 for p in self.root.iterdir() if p.name.startswith(_TMP_PREFIX))
        return CacheStats(len(self.keys()), size, temporary)

    def prune(
        self, *, keep: set[str] | None = None, older_than_days: float | None = None
    ) -> list[str]:
        """Remove entries not in ``keep`` (when given) or unused for longer than ``older_than_days``."""
        removed = []
        cutoff = time.time() - older_than_days * 86400 if older_than_days is not None else None
        for key in self.keys():
            folder = self.entry(key)
            stale = cutoff is not None and folder.stat().st_mtime < cutoff
            if (keep is not None and key not in keep) or stale:
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(key)
        if self.root.is_dir():
            for tmp in self.root.glob(f"{_TMP_PREFIX}*"):
                shutil.rmtree(tmp, ignore_errors=True)
        return removed

    def clear(self) -> int:
        count = len(self.keys())
        shutil.rmtree(self.root, ignore_errors=True)
        return count


def _write_entry(folder: Path, result: RunResult) -> None:
    cells = []
    for c, cell in enumerate(result.cells):
        names = []
        for n, figure in enumerate(cell.figures):
            name = f"fig-{c}-{n}.svg"
            (folder / name).write_text(figure.svg, encoding="utf-8")
            names.append(name)
        cells.append({"stdout": cell.stdout, "stderr": cell.stderr, "figures": names})
    record = asdict(result)
    record.update(cells=cells, cached=False)
    (folder / "result.json").write_text(
        json.dumps(record, sort_keys=True, indent=1), encoding="utf-8"
    )
    manifest = {p.name: _sha256(p) for p in sorted(folder.iterdir())}
    (folder / "manifest.json").write_text(json.dumps(manifest, sort_keys=True), encoding="utf-8")


def _read_entry(folder: Path, key: str) -> RunResult:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    present = {p.name for p in folder.iterdir()} - {"manifest.json"}
    if present != set(manifest):
        raise CacheCorrupt("files differ from its manifest")
    for name, digest in manifest.items():
        if _sha256(folder / name) != digest:
            raise CacheCorrupt(f"{name} does not match its checksum")
    record = json.loads((folder / "result.json").read_text(encoding="utf-8"))
    if record["key"] != key:
        raise CacheCorrupt("it holds another key")
    cells = tuple(
        CellOutput(
            stdout=cell["stdout"],
            stderr=cell["stderr"],
            figures=tuple(
                Figure((folder / name).read_text(encoding="utf-8")) for name in cell["figures"]
            ),
        )
        for cell in record.pop("cells")
    )
    record["warnings"] = tuple(record.get("warnings", ()))
    return RunResult(**{**record, "cells": cells})


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
