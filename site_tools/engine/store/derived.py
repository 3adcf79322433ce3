"""Derived artifacts on disk: what a build makes from a result, kept so that later builds only read it.

A warm build should cost a plain build: the themed HTML of a figure or a snippet's downloads are
pure functions of their inputs and of the code that makes them, so each is stored once in the
cache's folder for its entry (``ResultCache.derived_dir(key, kind)``, removed with the entry by
``prune``), under the sha256 of the inputs and of the making code's version (the sha256 of its
source files: edit the theming code and every figure is themed again). Writes are atomic
(``site_tools.files.write_whole``); a read-only or full cache folder costs the saving, never the build.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from site_tools.files import write_whole


@cache
def code_version(*modules: str) -> str:
    """The sha256 of the named modules' source files: the version of the code that derives."""
    import importlib.util

    digest = hashlib.sha256()
    for name in modules:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec else None
        digest.update(name.encode() + b"\0")
        digest.update(Path(origin).read_bytes() if origin else b"?")
    return digest.hexdigest()


@dataclass(frozen=True)
class DerivedStore:
    """Artifacts of one kind made from one entry, each keyed by its inputs and its maker's version."""

    folder: Path
    version: str
    suffix: str = ""

    def path(self, inputs: Iterable[str]) -> Path:
        digest = hashlib.sha256(self.version.encode())
        for part in inputs:
            data = part.encode("utf-8", "surrogatepass")
            digest.update(len(data).to_bytes(8, "little") + data)
        return self.folder / f"{digest.hexdigest()}{self.suffix}"

    def get_or_make(self, inputs: Iterable[str], make: Callable[[], str]) -> Path | str:
        """The stored file's path when there is one; else ``make()``'s text, saved for next time.

        Returns the text itself only when it could not be saved (a read-only cache)."""
        target = self.path(inputs)
        if target.is_file():
            return target
        text = make()
        return target if self._save(target, text) else text

    def text(self, inputs: Iterable[str], make: Callable[[], str]) -> str:
        found = self.get_or_make(inputs, make)
        return found.read_text(encoding="utf-8") if isinstance(found, Path) else found

    def _save(self, target: Path, text: str) -> bool:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_whole(target, text)
            return True
        except OSError:
            return False
