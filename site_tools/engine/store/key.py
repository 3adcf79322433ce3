"""Content-addressed cache keys: sha256 over a canonical JSON of everything that changes a result."""

from __future__ import annotations

import hashlib
import json
import platform
from functools import cache
from importlib import metadata
from pathlib import Path

from site_tools.engine.collect.deps import local_dependencies
from site_tools.engine.model import Snippet
from site_tools.engine.run.phone import PHONE_LAYOUT

# Bump when the stored result format or the way snippets run changes: old entries then miss.
# 2: results hold published values, provenance and warnings; python is keyed by implementation
# and major.minor, so that a shared cache is not split by patch releases.
FORMAT_VERSION = 2
KEYED_PACKAGES = ("torch", "numpy", "matplotlib")


@cache
def runtime_versions() -> dict[str, str]:
    """Versions that change results. Read from package metadata, so the build never imports torch.

    Python enters as implementation + major.minor ("CPython 3.11"): a patch release keeps the
    language and the ABI, so results are shared across it. torch keeps its full version with the
    local build tag ("2.13.0+cpu" is not "2.13.0+cu128": other kernels, other numbers).
    """
    major, minor = platform.python_version_tuple()[:2]
    versions = {"python": f"{platform.python_implementation()} {major}.{minor}"}
    for package in KEYED_PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "absent"
    return versions


def snippet_device(snippet: Snippet) -> str:
    """The device a snippet is keyed (and run) for: "cuda" when it asks for a GPU
    (``resources: {GPU: 1}``), else "cpu", on every machine and executor. A machine's GPU never
    changes a key, so CPU results serve GPU machines from the shared cache and the reverse; a
    snippet keyed "cpu" runs with CUDA hidden (``child.py``), so it pays no CUDA context."""
    return "cuda" if snippet.wants_gpu else "cpu"


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snippet_key(
    snippet: Snippet,
    *,
    root: Path,
    snippets_dir: Path,
    device: str | None = None,
    figure_budget_kb: int = 0,
) -> str:
    """The key of ``snippet``: same inputs on any clone, same key (no absolute paths, no times).

    The figure budget is keyed because a figure over it is saved differently (its dense artists as
    pixels, ``engine/run/rasterise.py``): a build with another budget may not take that result."""
    helpers: dict[str, str] = {}
    for cell in snippet.cells:
        for module in local_dependencies(cell.code, snippets_dir):
            helpers[module.relative_to(root).as_posix()] = file_digest(module)
    payload = {
        "format": FORMAT_VERSION,
        "kind": snippet.kind,
        "path": snippet.path,
        "cells": [[cell.first_line, cell.code] for cell in snippet.cells],
        "helpers": helpers,
        "data": {name: file_digest(root / name) for name in snippet.data},
        "timeout": snippet.timeout,
        "device": device or snippet_device(snippet),
        "figure_budget_kb": figure_budget_kb,
        "phone_layout": PHONE_LAYOUT,  # each figure's phone drawing, made by the same run
        "versions": runtime_versions(),
    }
    if snippet.params:  # a point of a grid; absent otherwise, so keys without a grid stay as they were
        payload["params"] = [[name, value] for name, value in snippet.params]
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode()).hexdigest()
