"""The pytest adapter: snippets, inline blocks and notebooks as test items, run through the engine."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.plugin.conftest import run_pytest

FIXTURE = Path(__file__).parents[1] / "fixtures" / "site"
pytestmark = pytest.mark.slow


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns(".cache", "site"))
    (root / "pytest.ini").write_text("[pytest]\ntestpaths = snippets docs\naddopts = -p no:cacheprovider\n")
    return root


_pytest = run_pytest


def test_collects_snippets_and_inline_blocks_but_not_helpers(site: Path) -> None:
    listed = _pytest(site, "--collect-only", "-q")
    assert listed.returncode == 0, listed.stdout + listed.stderr
    items = [line for line in listed.stdout.splitlines() if "::" in line]
    assert items == ["snippets/wave.py::wave", "docs/index.md::L5"]


def test_runs_then_passes_from_cache(site: Path) -> None:
    first = _pytest(site, "-q")
    assert first.returncode == 0 and "2 passed" in first.stdout, first.stdout
    assert "site_tools: 2 snippets, 2 executed, 0 cached, 0 failed" in first.stdout
    entries = sorted(p.name for p in (site / ".cache" / "site_tools" / "entries").iterdir())
    assert len(entries) == 2
    again = _pytest(site, "-q")  # nothing changed: both pass from the cache, nothing runs
    assert again.returncode == 0 and "2 passed" in again.stdout
    assert "site_tools: 2 snippets, 0 executed, 2 cached, 0 failed" in again.stdout, again.stdout
    forced = _pytest(site, "-q", "--site-tools-rerun")
    assert "site_tools: 2 snippets, 2 executed, 0 cached, 0 failed" in forced.stdout, forced.stdout
    assert sorted(p.name for p in (site / ".cache" / "site_tools" / "entries").iterdir()) == entries


@pytest.mark.parametrize("target", ["snippets/wave.py", "snippets/wave.py::wave"])
def test_one_snippet_runs_through_the_engine_not_in_pytest(site: Path, target: str) -> None:
    # Imported into pytest's process, this line would write the file; the engine's write guard refuses.
    marker = site / "snippets" / "imported-by-pytest.txt"
    wave = site / "snippets" / "wave.py"
    wave.write_text(wave.read_text() + f"\nopen({str(marker)!r}, 'w').write('x')\n")
    run = _pytest(site, "-q", target)
    assert not marker.exists()
    assert run.returncode == 1 and "1 failed" in run.stdout, run.stdout
    assert "snippets/wave.py failed (error)" in run.stdout and "the write was refused" in run.stdout
    assert "site_tools: 1 snippets, 1 executed" in run.stdout


def test_a_helper_named_on_the_command_line_is_not_imported(site: Path) -> None:
    helper = site / "snippets" / "helper.py"
    helper.write_text(helper.read_text() + "\nraise SystemExit('imported!')\n")
    run = _pytest(site, "-q", "snippets/helper.py")
    assert run.returncode == 5 and "imported!" not in run.stdout + run.stderr  # 5: no tests


def test_failure_shows_the_snippets_own_traceback(site: Path) -> None:
    wave = site / "snippets" / "wave.py"
    wave.write_text(wave.read_text() + "\nassert 1 + 1 == 3, 'arithmetic is broken'\n")
    failed = _pytest(site, "-q")
    assert failed.returncode == 1
    assert "snippets/wave.py failed (error) at snippets/wave.py:13" in failed.stdout
    assert "AssertionError: arithmetic is broken" in failed.stdout
    assert "1 failed, 1 passed" in failed.stdout


def test_not_active_where_mkdocs_yml_does_not_enable_the_plugin(site: Path) -> None:
    config = site / "mkdocs.yml"
    text = config.read_text()
    start, end = text.index("  - site-tools:"), text.index("markdown_extensions:")
    config.write_text(text[:start] + text[end:])
    assert _pytest(site, "--collect-only", "-q").returncode == 5  # nothing collected
    explicit = _pytest(site, "--collect-only", "-q", "--site-tools")
    assert "snippets/wave.py::wave" in explicit.stdout, explicit.stdout
