"""Keys remembered between builds, trusted while a stat of every file they read says nothing changed.

A key hashes the snippet's code and the files it reads (helper modules found by parsing its imports,
data files). On a warm build that parse and those hashes are the cost per cached snippet; here each
key is stored with the size and mtime of those files and of the folders its helpers are looked up
in (a new helper module changes what an import resolves to). While all of them match, the stored
key is used as it is: one stat per file. Anything else, and the key is computed again (hashing),
then stored. A file changed within ``RACY_S`` of being recorded is not trusted (an edit in the same
mtime tick keeps size and mtime), nor is a record of another format or a damaged file: the cost
then is only the hashing the engine always did.

The record identifies a snippet by everything it is (its ``repr``: kind, path, code, options), the
other inputs of its key (the device, the figure budget) and the runtime versions, so a change to any
of them misses. The versions themselves are kept too, trusted while the package folders on
``sys.path`` keep their mtime.

Files are recorded by their path from the project's root, never absolute: a cache copied with the
project (a CI clone, a second checkout) must stat the files of the project that reads it, not those
of the folder it came from, which may still exist and still be unchanged.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import stat
import sys
import time
from collections.abc import Callable
from pathlib import Path

from site_tools.engine.collect.deps import local_dependencies
from site_tools.engine.model import Snippet
from site_tools.engine.run.phone import PHONE_LAYOUT
from site_tools.engine.store.key import FORMAT_VERSION, runtime_versions
from site_tools.files import write_whole

FILENAME = "keys.json"
VERSION = 2  # 2: files named from the project root (1 named them absolutely)
RACY_S = 2.0


class KeyCache:
    def __init__(self, cache_dir: Path, *, root: Path, snippets_dir: Path) -> None:
        self.path = cache_dir / FILENAME
        self.root, self.snippets_dir = root, snippets_dir
        record = self._load()
        self._entries: dict[str, dict] = record.get("entries") or {}
        self._versions = _known_versions(record.get("versions"))
        self._used: dict[str, dict] = {}
        self._changed = self._versions is None

    def key(self, snippet: Snippet, keyed_for: tuple, compute: Callable[[], str]) -> str:
        """The key of ``snippet`` with the key's other inputs ``keyed_for`` (device, figure budget):
        remembered if its files did not change, else ``compute()`` (and remembered)."""
        ident = self._ident(snippet, keyed_for)
        entry = self._entries.get(ident)
        if entry is not None and self._unchanged(entry):
            self._used[ident] = entry
            return entry["key"]
        started = time.time()
        # Stat before computing: an edit made meanwhile misses next time.
        files = self._relative(_signatures(self._inputs(snippet)))
        key = compute()
        if all(mtime < (started - RACY_S) * 1e9 for _, mtime in files.values()):
            self._used[ident] = {"key": key, "files": files}
            self._changed = True
        return key

    def save(self) -> None:
        """Keep the keys this build used (and no others); a read-only cache folder is no error."""
        if not self._changed and self._used.keys() == self._entries.keys():
            return
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            versions = _versions_record(self.versions())
            record = {"version": VERSION, "entries": self._used, "versions": versions}
            write_whole(self.path, json.dumps(record))
        self._entries, self._used, self._changed = dict(self._used), {}, False

    def _load(self) -> dict:
        try:
            record = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(record, dict) or record.get("version") != VERSION:
            return {}
        if not isinstance(record.get("entries"), dict):
            record["entries"] = {}
        return record

    def versions(self) -> dict[str, str]:
        """The keyed runtime versions, as recorded while no package folder changed (reading them from
        package metadata scans every installed distribution)."""
        if self._versions is None:
            self._versions = runtime_versions()
        return self._versions

    def _ident(self, snippet: Snippet, keyed_for: tuple) -> str:
        text = repr((FORMAT_VERSION, PHONE_LAYOUT, snippet, keyed_for, sorted(self.versions().items())))
        return hashlib.sha256(text.encode()).hexdigest()

    def _relative(self, signatures: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
        """Signatures named from the project root (a path outside it, if any, stays absolute)."""
        root = self.root.resolve()
        named = {}
        for name, signature in signatures.items():
            path = Path(name).resolve()
            named[path.relative_to(root).as_posix() if path.is_relative_to(root) else name] = signature
        return named

    def _unchanged(self, entry: object) -> bool:
        """Whether a stored entry is sound and every file it names still has its size and mtime."""
        try:
            files = entry["files"]  # type: ignore[index]
            current = _signatures([self.root / name for name in files])
            return isinstance(entry["key"], str) and all(  # type: ignore[index]
                list(current[str(self.root / name)]) == list(signature) for name, signature in files.items()
            )
        except (KeyError, TypeError, ValueError):
            return False

    def _inputs(self, snippet: Snippet) -> list[Path]:
        """The files and folders the key depends on: helpers, data, and where helpers are found."""
        helpers = {
            module for cell in snippet.cells for module in local_dependencies(cell.code, self.snippets_dir)
        }
        folders = {self.snippets_dir} | {module.parent for module in helpers}
        return sorted({*helpers, *folders, *(self.root / name for name in snippet.data)})


def _package_folders() -> list[Path]:
    """Where packages are installed: installing, upgrading or removing one changes the folder's mtime."""
    return sorted({Path(entry) for entry in sys.path if entry.endswith(("site-packages", "dist-packages"))})


def _versions_record(versions: dict[str, str]) -> dict:
    return {"values": versions, "folders": _signatures(_package_folders())}


def _known_versions(record: object) -> dict[str, str] | None:
    """The recorded versions, if every package folder is as it was when they were read."""
    try:
        folders, values = record["folders"], record["values"]  # type: ignore[index]
        current = _signatures(_package_folders())
        if not folders or set(folders) != set(current) or not isinstance(values, dict):
            return None
        return values if all(list(current[name]) == list(folders[name]) for name in folders) else None
    except (KeyError, TypeError, ValueError):
        return None


def _signatures(paths: list[Path]) -> dict[str, tuple[int, int]]:
    """Size and mtime of each path, one stat each; (-1, -1) for a missing one (appearing is a change)."""
    found = {}
    for path in paths:
        try:
            info = path.stat()
        except OSError:
            found[str(path)] = (-1, -1)
            continue
        found[str(path)] = (0 if stat.S_ISDIR(info.st_mode) else info.st_size, info.st_mtime_ns)
    return found
