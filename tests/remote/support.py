"""Copies of the fixture site built against a remote cache, and what the server holds."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from tests.plugin.conftest import FIXTURE, Build, build_site
from tests.remote.cache_server import Nginx


def fixture_copy(tmp_path: Path, name: str) -> Path:
    """A fresh checkout of the fixture site (no .cache)."""
    target = tmp_path / name
    shutil.copytree(FIXTURE, target, ignore=shutil.ignore_patterns(".cache", "site"))
    return target


def remote_build(root: Path, url: str, *, write: bool = False, **env: str) -> Build:
    """A strict ``mkdocs build`` of ``root`` with the remote cache at ``url``; it must succeed."""
    variables = {"SITE_TOOLS_CACHE_URL": url, "SITE_TOOLS_CACHE_WRITE": "1" if write else "0", **env}
    build = build_site(root, env=variables)
    assert build.returncode == 0, build.log
    return build


def store_files(server: Nginx, kind: str) -> dict[str, Path]:
    """``ac`` or ``cas`` files on the server's disk, by name."""
    folder = server.store / kind
    return {p.name: p for p in folder.iterdir()} if folder.is_dir() else {}


def remote_count(build: Build) -> int | None:
    """N of the summary's ``(N from the remote cache)``, None when the line has no such part."""
    found = re.findall(r"failed in [\d.]+ s(?: \((\d+) from the remote cache\))?", build.log)
    assert found, build.log
    return int(found[-1]) if found[-1] else None


def without_provenance(html: str) -> str:
    """A page with its provenance lines (which say when and whether a result was computed) left out."""
    return re.sub(r'<details class="st-provenance".*?</details>', "", html, flags=re.S)
