"""`site-tools cache stats|prune|clear` on a copy of the fixture site, through click's CliRunner."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from site_tools.engine import Engine
from site_tools.hosts.cli import main
from site_tools.project import load_project, read_inventory

FIXTURE = Path(__file__).parents[1] / "fixtures" / "site"


def _site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns(".cache", "site"))
    return root


def _run_site(root: Path) -> None:
    project = load_project(root)
    engine = Engine(project.engine)
    inventory = read_inventory(project, engine)
    assert not inventory.problems
    assert engine.run(inventory.all_snippets()).failed == 0


def test_stats_prune_clear(tmp_path: Path) -> None:
    root = _site(tmp_path)
    runner = CliRunner()
    _run_site(root)
    stats = runner.invoke(main, ["cache", "stats", "--root", str(root)])
    assert stats.exit_code == 0, stats.output
    assert "entries: 2" in stats.output and "used by the site now: 2 of 2" in stats.output

    wave = root / "snippets" / "wave.py"
    wave.write_text(wave.read_text() + "# edited\n")
    _run_site(root)  # a new entry for the edited snippet; the old one is now unused
    assert "entries: 3" in runner.invoke(main, ["cache", "stats", "--root", str(root)]).output

    pruned = runner.invoke(main, ["cache", "prune", "--root", str(root)])
    assert pruned.exit_code == 0 and "removed 1 entry" in pruned.output
    assert "entries: 2" in runner.invoke(main, ["cache", "stats", "--root", str(root)]).output

    cleared = runner.invoke(main, ["cache", "clear", "--root", str(root)])
    assert cleared.exit_code == 0 and "removed 2 entries" in cleared.output
    assert "entries: 0" in runner.invoke(main, ["cache", "stats", "--root", str(root)]).output


def test_outside_a_project_is_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["cache", "stats"])
    assert result.exit_code != 0
    assert "no site config (mkdocs.yml" in result.output and "Traceback" not in result.output
