"""Whether anything the pre-step reads changed since the last good build: a manifest of its inputs.

A rebuild where nothing changed should cost what the host's own rebuild costs. The Zensical pre-step
(``whole_site.prepare``) reads the site's config, the docs folder (pages, notebooks, the files it
generated there), the snippets folder (snippets, helpers, data files), the environment and the code
and packages that run them. This module records all of that after a good build, and answers, before
the next one imports the engine, whether any of it moved:

- the identity: the config as its host reads it (INHERIT and ``!ENV`` resolved), the ``SITE_TOOLS_*``
  variables and ``PYTHONPATH``, the Python, and each site-packages folder's stat (installing,
  upgrading or removing a package adds or removes an entry there);
- every file under the recorded folders (``__pycache__`` aside): its path, size, mtime, ctime and
  inode, and its sha256. A stat that moved is hashed again: a file saved with the same text (or
  touched) is still unchanged, and the manifest takes the new stat so the next check is stats alone.

The ctime is what no author sets back: a same-length edit with its mtime restored, or ``cp -p`` over
a file, moves it, so such an edit is seen (hashed, then found different). Nothing here imports more
than the standard library and ``site_tools.files``.

A manifest is saved only when the build read what it records: the files are listed before the
pre-step and again after it, and a file that moved in between, other than the files the pre-step
generates, means an edit landed during the build (nothing is saved, so the next build collects).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import site
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from site_tools.files import write_whole

FORMAT = 1  # bump when what is recorded changes: every manifest is then stale
# Where a project keeps its manifests: in the project's `.cache`, which `zensical build --clean`
# empties with Zensical's own caches (a clean build is then a full one).
MANIFESTS = Path(".cache") / "site_tools_inputs"
SKIPPED_FOLDERS = frozenset({"__pycache__"})
Stat = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode


def identity(config_path: Path, config_data: Mapping[str, Any], environ: Mapping[str, str]) -> str:
    """The digest of what decides a build besides its files (see the module)."""
    env = {k: v for k, v in sorted(environ.items()) if k.startswith("SITE_TOOLS_") or k == "PYTHONPATH"}
    packages = []
    for folder in [*site.getsitepackages(), site.getusersitepackages()]:
        with contextlib.suppress(OSError):
            packages.append((folder, _stat(Path(folder))))
    described = [FORMAT, str(config_path.resolve()), config_data, env]
    described += [sys.version, sys.executable, sys.prefix, packages, str(Path(__file__).resolve())]
    return hashlib.sha256(json.dumps(described, default=str).encode()).hexdigest()


def listing(roots: Iterable[Path]) -> dict[str, Stat]:
    """Every file under ``roots`` (a root may be a file) with its stat, ``__pycache__`` aside. Links
    are followed, as the hosts follow them; a folder reached twice (a link to a parent) is read once."""
    found: dict[str, Stat] = {}
    pending = [Path(root) for root in roots]
    seen: set[tuple[int, int]] = set()
    while pending:
        path = pending.pop()
        try:
            if path.is_file():
                found[str(path)] = _stat(path)
                continue
            folder = path.stat()
            if (folder.st_dev, folder.st_ino) in seen:
                continue
            seen.add((folder.st_dev, folder.st_ino))
            entries = list(os.scandir(path))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=True):
                if entry.name not in SKIPPED_FOLDERS:
                    pending.append(Path(entry.path))
            elif entry.is_file(follow_symlinks=True):
                with contextlib.suppress(OSError):
                    found[entry.path] = _stat(Path(entry.path))
    return found


def _stat(path: Path) -> Stat:
    st = path.stat()
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _digest(path: str) -> str | None:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


class InputsManifest:
    """The manifest of one site's inputs, in ``path`` (a JSON file in the project's ``.cache``)."""

    def __init__(self, path: Path, identity: str) -> None:
        self.path = path
        self.identity = identity
        self.before: dict[str, Stat] | None = None
        self.checked = 0  # files the last ``unchanged`` looked at

    def recorded(self) -> dict[str, Any] | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) and data.get("identity") == self.identity else None

    def unchanged(self) -> dict[str, Any] | None:
        """The recorded build's ``extra`` when nothing it read moved since; None when something did
        (or there is no manifest for this identity)."""
        data = self.recorded()
        if data is None:
            return None
        files: dict[str, list] = data.get("files", {})
        now = listing(Path(root) for root in data.get("roots", []))
        self.checked = len(now)
        if now.keys() != files.keys():
            return None
        moved = {path: stat for path, stat in now.items() if tuple(files[path][:4]) != stat}
        for path in moved:
            if _digest(path) != files[path][4]:
                return None
        if moved:  # touched or saved unchanged: keep the new stats, so the next check hashes nothing
            self._write(data["roots"], {**files, **{p: [*s, files[p][4]] for p, s in moved.items()}}, data)
        return data.get("extra", {})

    def begin(self, roots: Iterable[Path]) -> None:
        """Before the pre-step reads anything: the files as they are now."""
        self.before = listing(roots)

    def save(self, roots: Iterable[Path], generated: set[str], extra: Mapping[str, Any]) -> bool:
        """After a good build: record the files as it read them (``generated``: absolute paths the
        pre-step writes, which may move meanwhile). Saves nothing, and forgets the last manifest, when
        another file moved during the build; returns whether it saved."""
        roots = [str(root) for root in roots]
        after = listing(Path(root) for root in roots)
        before = self.before if self.before is not None else {}
        moved = {
            path
            for path in before.keys() | after.keys()
            if path not in generated and before.get(path) != after.get(path)
        }
        if self.before is None or moved:
            self.path.unlink(missing_ok=True)
            return False
        files = {}
        for path, stat in after.items():
            digest = _digest(path)
            if digest is None:
                self.path.unlink(missing_ok=True)
                return False
            files[path] = [*stat, digest]
        self._write(roots, files, {"extra": dict(extra)})
        return True

    def _write(self, roots: list[str], files: dict[str, list], data: Mapping[str, Any]) -> None:
        record = {"identity": self.identity, "roots": roots, "files": files, "extra": data.get("extra", {})}
        with contextlib.suppress(OSError):  # a read-only cache folder costs the fast path, not the build
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_whole(self.path, json.dumps(record))
