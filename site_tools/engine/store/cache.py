"""A content-addressed store of run results, and of artifacts derived from them, written atomically.

Layout under the cache folder:

- ``entries/<key>/``: one result: ``result.json``, its ``fig-<cell>-<n>.svg`` files, and
  ``manifest.json`` with the sha256 of each of them. ``stats`` counts these, and only these.
- ``derived/<key>/<kind>/``: files made from that result (an executed notebook, say); rebuilt when
  missing, removed with their entry by ``prune``.

An entry is built under a temporary name and moved into place with ``os.replace``, so a reader never
sees half an entry, an interrupted build leaves only a temporary folder (removed by ``prune``), and two
builds writing the same key both succeed (the second rename loses, harmlessly). Entries hold no
absolute path, so a cache folder copied to another clone hits there too. Folders of the older layout
(entries directly under the cache folder, executed notebooks in ``notebooks/``) are moved into place
the first time a cache is opened.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

from site_tools.engine.model import RunResult
from site_tools.engine.store.record import from_record, to_record

_TMP_PREFIX = ".tmp-"
ENTRIES = "entries"
DERIVED = "derived"
_LEGACY_KEY = re.compile(r"^[0-9a-f]{64}$")  # an entry of the older layout: a sha256 folder name


class CacheCorrupt(Exception):
    """An entry whose files do not match their recorded checksums."""


@dataclass(frozen=True)
class CacheStats:
    entries: int
    bytes: int  # of the entries; derived artifacts are not counted
    temporary: int


class ResultCache:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.entries = root / ENTRIES
        self.derived = root / DERIVED
        self.notices: list[str] = []  # what a build recovered from, for its summary
        _migrate(root, self.entries, self.notices)

    def entry(self, key: str) -> Path:
        return self.entries / key

    def derived_dir(self, key: str, kind: str) -> Path:
        """The folder for artifacts of ``kind`` made from entry ``key`` (not created here)."""
        return self.derived / key / kind

    def get(self, key: str) -> RunResult | None:
        """The stored result, or None. A damaged entry is reported in ``notices``, removed and missed."""
        folder = self.entry(key)
        if not folder.is_dir():
            return None
        try:
            result = _read_entry(folder, key)
        except (CacheCorrupt, OSError, ValueError, KeyError, TypeError) as error:
            self.notices.append(f"cache entry {key[:12]} is damaged ({error}); running the snippet again")
            shutil.rmtree(folder, ignore_errors=True)
            return None
        _touch(folder)
        return replace(result, cached=True)

    def put(self, result: RunResult) -> bool:
        """Store ``result`` (successes only). False, with a notice, when it cannot be written."""
        if not result.ok:
            return False
        try:
            self.entries.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=f"{_TMP_PREFIX}{result.key[:12]}-", dir=self.entries))
        except OSError as error:
            self.notices.append(
                f"cache folder {self.entries} is not writable ({error.strerror}); results not cached"
            )
            return False
        try:
            _write_entry(tmp, result)
        except OSError as error:  # disk full, quota: say so, the build goes on without caching
            shutil.rmtree(tmp, ignore_errors=True)
            self.notices.append(f"result of {result.key[:12]} not cached: {error.strerror or error}")
            return False
        try:
            tmp.replace(self.entry(result.key))
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)
            if self.entry(result.key).is_dir():
                return True  # another build stored the same key first: its entry is as good as ours
            self.notices.append(f"result of {result.key[:12]} not cached: its folder could not be moved")
            return False
        return True

    def has_entries(self) -> bool:
        """Whether any entry is stored (reads one name, however many there are)."""
        try:
            with os.scandir(self.entries) as found:
                return any(not entry.name.startswith(".") for entry in found)
        except OSError:
            return False

    def keys(self) -> list[str]:
        if not self.entries.is_dir():
            return []
        return sorted(p.name for p in self.entries.iterdir() if p.is_dir() and not p.name.startswith("."))

    def stats(self) -> CacheStats:
        keys = self.keys()
        size = sum(f.stat().st_size for key in keys for f in self.entry(key).iterdir() if f.is_file())
        temporary = len(list(self.entries.glob(f"{_TMP_PREFIX}*"))) if self.entries.is_dir() else 0
        return CacheStats(len(keys), size, temporary)

    def prune(self, *, keep: set[str] | None = None, older_than_days: float | None = None) -> list[str]:
        """Remove entries not in ``keep`` (when given) or unused for longer than ``older_than_days``.

        Derived artifacts go with their entry, and so do those whose entry is gone.
        """
        removed = []
        cutoff = time.time() - older_than_days * 86400 if older_than_days is not None else None
        for key in self.keys():
            folder = self.entry(key)
            stale = cutoff is not None and folder.stat().st_mtime < cutoff
            if (keep is not None and key not in keep) or stale:
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(key)
        live = set(self.keys())
        if self.derived.is_dir():
            for folder in self.derived.iterdir():
                if folder.name not in live:
                    shutil.rmtree(folder, ignore_errors=True)
        if self.entries.is_dir():
            for tmp in self.entries.glob(f"{_TMP_PREFIX}*"):
                shutil.rmtree(tmp, ignore_errors=True)
        return removed

    def clear(self) -> int:
        count = len(self.keys())
        shutil.rmtree(self.root, ignore_errors=True)
        return count


def _migrate(root: Path, entries: Path, notices: list[str]) -> None:
    """Move entries of the older layout (``<root>/<key>/``) into ``entries/``; drop old notebooks.

    Executed notebooks are derived from entries and are made again when missing, so the old
    ``notebooks/`` folder is removed rather than moved.
    """
    if not root.is_dir():
        return
    legacy = [p for p in root.iterdir() if p.is_dir() and _LEGACY_KEY.match(p.name)]
    if not legacy and not (root / "notebooks").is_dir():
        return
    entries.mkdir(parents=True, exist_ok=True)
    for folder in legacy:
        try:
            folder.replace(entries / folder.name)
        except OSError:  # another build migrated it first, or it is already there
            shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(root / "notebooks", ignore_errors=True)
    if legacy:
        notices.append(f"moved {len(legacy)} cache entries into {entries.name}/ (new cache layout)")


def _write_entry(folder: Path, result: RunResult) -> None:
    record, files = to_record(result)
    for name, svg in files.items():
        (folder / name).write_text(svg, encoding="utf-8")
    (folder / "result.json").write_text(json.dumps(record, sort_keys=True, indent=1), encoding="utf-8")
    manifest = {p.name: _sha256(p) for p in sorted(folder.iterdir())}
    (folder / "manifest.json").write_text(json.dumps(manifest, sort_keys=True), encoding="utf-8")


def _read_entry(folder: Path, key: str) -> RunResult:
    """The entry's files, each read once: checked against the manifest, then parsed."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    present = {p.name for p in folder.iterdir()} - {"manifest.json"}
    if present != set(manifest):
        raise CacheCorrupt("files differ from its manifest")
    contents = {}
    for name, digest in manifest.items():
        data = (folder / name).read_bytes()
        if hashlib.sha256(data).hexdigest() != digest:
            raise CacheCorrupt(f"{name} does not match its checksum")
        contents[name] = data
    record = json.loads(contents["result.json"])
    if record["key"] != key:
        raise CacheCorrupt("it holds another key")
    return from_record(record, lambda name: contents[name].decode("utf-8"))


TOUCH_EVERY_S = 3600.0  # `prune --older-than` counts in days: an hour-old mark of last use is exact enough


def _touch(folder: Path) -> None:
    """Mark the entry used now (for `prune --older-than`), unless it was marked within the hour: a warm
    build then writes nothing to the cache."""
    with contextlib.suppress(OSError):
        if time.time() - folder.stat().st_mtime > TOUCH_EVERY_S:
            os.utime(folder)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
