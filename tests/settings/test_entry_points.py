"""The MkDocs plugin, pytest and the CLI read the same options and report the same mistakes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from site_tools.settings import SiteToolsOptions

FIXTURE = Path(__file__).parents[1] / "fixtures" / "site"
BIN = Path(sys.executable).parent
pytestmark = pytest.mark.slow

OPTIONS = """\
  - site-tools:
      cache_dir: .cache/elsewhere
      validate_posts: false
      workers: "1"
      timeout: 45
      memory_limit_mb: 2048
      execute: "no"
      figure_budget_kb: 700
      page_budget_kb: "4096"
      scrub_budget_kb: 1024
      show_warnings: "yes"
      dask_address: tcp://127.0.0.1:8786
      dask_fallback: "yes"
      daemon_idle_minutes: 2
"""
EXPECTED = [
    "snippets_dir='snippets'",
    "cache_dir='.cache/elsewhere'",
    "execute=False",
    "workers=1",
    "timeout=45.0",
    "memory_limit_mb=2048",
    "cache_url=None",
    "cache_write=False",
    "notebooks=()",
    "report_page='execution-report.md'",
    "validate_posts=False",
    "executor='local'",
    "dask_address='tcp://127.0.0.1:8786'",
    "dask_fallback=True",
    "daemon=False",
    "daemon_idle_minutes=2.0",
    "figure_budget_kb=700",
    "page_budget_kb=4096",
    "scrub_budget_kb=1024",
    "show_warnings=True",
]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns(".cache", "site"))
    text = (root / "mkdocs.yml").read_text()
    start = text.index("  - site-tools:")
    end = text.index("markdown_extensions:")
    (root / "mkdocs.yml").write_text(text[:start] + OPTIONS + text[end:])
    (root / "pytest.ini").write_text("[pytest]\ntestpaths = snippets docs\naddopts = -p no:cacheprovider\n")
    return root


def _run(root: Path, *command: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SITE_TOOLS_")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    done = subprocess.run(
        command, cwd=root, capture_output=True, text=True, env=env, timeout=300, check=False
    )
    return done.stdout + done.stderr


def _three_entry_points(root: Path) -> dict[str, str]:
    return {
        "mkdocs": _run(root, str(BIN / "mkdocs"), "build", "-v", "-d", str(root / "site")),
        "pytest": _run(root, sys.executable, "-m", "pytest", "--collect-only"),
        "cli": _run(root, str(BIN / "site-tools"), "options", "--root", str(root)),
    }


def test_every_option_reaches_the_plugin_pytest_and_the_cli(site: Path) -> None:
    assert [line.split("=")[0] for line in EXPECTED] == [f.name for f in SiteToolsOptions.fields()]
    outputs = _three_entry_points(site)
    assert "site_tools: options: " + ", ".join(EXPECTED) in outputs["mkdocs"], outputs["mkdocs"]
    assert "site-tools options: " + ", ".join(EXPECTED) in outputs["pytest"], outputs["pytest"]
    assert outputs["cli"].splitlines() == EXPECTED, outputs["cli"]


def test_a_mistake_gets_the_same_message_everywhere(site: Path) -> None:
    config = site / "mkdocs.yml"
    config.write_text(config.read_text().replace('      workers: "1"\n', "      workerz: 1\n"))
    line = config.read_text().splitlines().index("      workerz: 1") + 1
    wanted = f"mkdocs.yml:{line}: site-tools has no option `workerz` (did you mean `workers`?)"
    for name, output in _three_entry_points(site).items():
        assert wanted in output, f"{name}:\n{output}"
        assert "Traceback" not in output, f"{name}:\n{output}"
