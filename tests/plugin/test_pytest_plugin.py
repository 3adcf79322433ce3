"""The pytest adapter: snippets, inline blocks and notebooks as test items, run through the engine."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURE = Path(__file__).parents[1] / "fixtures" / "site"
pytestmark = pytest.mark.slow


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns(".cache", "site"))
    (root / "pytest.ini").write_text("[pytest]\ntestpaths = snippets docs\naddopts = -p no:cacheprovider\n")
    return root


def _pytest(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=300,
        check=False,
    )


def test_collects_snippets_and_inline_blocks_but_not_helpers(site: Path) -> None:
    listed = _pytest(site, "--collect-only", "-q")
    assert listed.returncode == 0, listed.stdout + listed.stderr
    items = [line for line in listed.stdout.splitlines() if "::" in line]
    assert items == ["snippets/wave.py::wave", "docs/index.md::L5"]


def test_runs_then_passes_from_cache(site: Path) -> None:
    first = _pytest(site, "-q")
    assert first.returncode == 0 and "2 passed" in first.stdout, first.stdout
    assert (site / ".cache" / "site_tools").is_dir()
    entries = sorted(p.name for p in (site / ".cache" / "site_tools").iterdir())
    again = _pytest(site, "-q", "--site-tools-rerun")
    assert again.returncode == 0 and "2 passed" in again.stdout
    assert sorted(p.name for p in (site / ".cache" / "site_tools").iterdir()) == entries


def test_failure_shows_the_snippets_own_traceback(site: Path) -> None:
    wave = site / "snippets" / "wave.py"
    wave.write_text(wave.read_text() + "\nassert 1 + 1 == 3, 'arithmetic is broken'\n")
    failed = _pytest(site, "-q")
    assert failed.returncode == 1
    assert "snippets/wave.py failed (error) at snippets/wave.py:13" in failed.stdout
    assert "AssertionError: arithmetic is broken" in failed.stdout
    assert "1 failed, 1 passed" in failed.stdout
