"""The local modules a snippet imports from ``snippets/``, followed transitively.

Their sources are part of the cache key: editing a shared helper re-runs every snippet that uses it.
A helper is a module (``figstyle.py``) or a package (a folder with ``__init__.py``); for a package
every module the snippet reaches counts: ``import pkg.mod`` and ``from pkg.mod import X`` run
``pkg/__init__.py`` and ``pkg/mod.py``, ``from pkg import sub`` may load ``pkg/sub.py``, and the
package's own relative imports (``from .util import X``) are followed the same way.
"""

from __future__ import annotations

import ast
import json
import os
from functools import lru_cache, partial
from pathlib import Path

from site_tools.engine.collect.source import read_source
from site_tools.engine.store.derived import DerivedStore, code_version

_kept: DerivedStore | None = None  # where parsed imports are kept between builds (keep_parsed_imports)


def keep_parsed_imports(folder: Path | None) -> None:
    """Keep what each text imports in ``folder`` (the engine's cache) under the digest of the text,
    so that a build parses only texts no build has parsed: any edit, whatever its size and time, is
    parsed again. The result depends on the text alone, so engines of other sites may share it."""
    global _kept  # noqa: PLW0603 (one store per process: the answer is the same in any of them)
    _kept = DerivedStore(folder, code_version(__name__), ".json") if folder is not None else None


@lru_cache(maxsize=4096)  # a build asks for the same few sources many times; parsing is the cost
def imported_modules(code: str, package: str = "") -> frozenset[str]:
    """Dotted names of the modules ``code`` may load, relative imports resolved against ``package``.

    ``from a.b import c`` gives ``a``, ``a.b`` and ``a.b.c`` (``c`` may be a submodule). Empty when
    the code does not parse: running it will say why.
    """
    if _kept is None:
        return _parse(code, package)
    return frozenset(json.loads(_kept.text([package, code], partial(_parse_json, code, package))))


def _parse_json(code: str, package: str) -> str:
    return json.dumps(sorted(_parse(code, package)))


def _parse(code: str, package: str) -> frozenset[str]:
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return frozenset()
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node.module, node.level, package)
            if base is None:
                continue
            if base:
                names.add(base)
            names.update(f"{base}.{alias.name}" if base else alias.name for alias in node.names)
    return frozenset(prefix for name in names for prefix in _prefixes(name))


def _absolute(module: str | None, level: int, package: str) -> str | None:
    """The absolute name ``from <dots><module> import`` means inside ``package`` (None: cannot say)."""
    if level == 0:
        return module or None
    parts = package.split(".") if package else []
    if level - 1 > len(parts) or not parts:
        return None  # a relative import outside a package fails when it runs
    base = parts[: len(parts) - (level - 1)]
    return ".".join([*base, module] if module else base)


def _prefixes(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:n]) for n in range(1, len(parts) + 1)]


def imported_names(code: str) -> frozenset[str]:
    """Top-level module names imported by ``code``."""
    return frozenset(name for name in imported_modules(code) if "." not in name)


def folder_names(snippets_dir: Path) -> frozenset[str]:
    """What ``snippets_dir`` holds, as the first name of a module: ``util.py`` as ``util``, a folder by
    its name. Most names a snippet imports (torch, json) are not there: one listing answers for them
    all, where looking for each file costs two stats."""
    try:
        return frozenset(entry.name.removesuffix(".py") for entry in os.scandir(snippets_dir))
    except OSError:
        return frozenset()


def local_module(snippets_dir: Path, name: str, present: frozenset[str] | None = None) -> Path | None:
    """The file under ``snippets_dir`` that module ``name`` (dotted) is loaded from, if any;
    ``present``: the folder's ``folder_names``, when the caller looks up many names."""
    if present is not None and name.partition(".")[0] not in present:
        return None
    path = snippets_dir.joinpath(*name.split("."))
    for candidate in (path.with_name(path.name + ".py"), path / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def module_name(module: Path, snippets_dir: Path) -> str:
    """``pkg/util.py`` -> ``pkg.util``; ``pkg/__init__.py`` -> ``pkg``."""
    parts = list(module.relative_to(snippets_dir).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _package_of(module: Path, snippets_dir: Path) -> str:
    name = module_name(module, snippets_dir)
    return name if module.name == "__init__.py" else name.rpartition(".")[0]


def local_dependencies(code: str, snippets_dir: Path) -> list[Path]:
    """Files under ``snippets_dir`` that ``code`` imports, directly or through each other, sorted."""
    found: dict[Path, None] = {}
    pending = sorted(imported_modules(code))
    present = folder_names(snippets_dir)
    while pending:
        module = local_module(snippets_dir, pending.pop(), present)
        if module is None or module in found:
            continue
        found[module] = None
        package = _package_of(module, snippets_dir)
        pending.extend(sorted(imported_modules(read_source(module), package)))
    return sorted(found)
