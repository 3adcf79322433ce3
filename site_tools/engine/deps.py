"""The local modules a snippet imports from ``snippets/``, followed transitively.

Their sources are part of the cache key: editing a shared helper re-runs every snippet that uses it.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=4096)  # a build asks for the same few sources many times; parsing is the cost
def imported_names(code: str) -> frozenset[str]:
    """Top-level module names imported by ``code`` (empty when it does not parse: running it will say why)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return frozenset()
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return frozenset(names)


def local_module(snippets_dir: Path, name: str) -> Path | None:
    for candidate in (snippets_dir / f"{name}.py", snippets_dir / name / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def local_dependencies(code: str, snippets_dir: Path) -> list[Path]:
    """Files under ``snippets_dir`` that ``code`` imports, directly or through each other, sorted."""
    found: dict[Path, None] = {}
    pending = sorted(imported_names(code))
    while pending:
        module = local_module(snippets_dir, pending.pop())
        if module is None or module in found:
            continue
        found[module] = None
        pending.extend(sorted(imported_names(module.read_text(encoding="utf-8"))))
    return sorted(found)
