"""What an extra brings, read from the wheel's metadata by pip's resolver (a dry run: nothing is
installed, about ten seconds each), and that constraints.txt pins every package a dev install
resolves."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from tests.packaging.fresh_venv import CONSTRAINTS, project_wheel, run_in

MKDOCS = {"mkdocs", "mkdocs-material", "mkdocs-jupyter", "mkdocs-rss-plugin"}
HOSTS = {*MKDOCS, "properdocs", "zensical"}
ENGINE = {"torch", "numpy", "matplotlib", "markdown", "pymdown-extensions", "click", "jupytext", "lxml"}


def _name(text: str) -> str:
    return re.sub(r"[-_.]+", "-", text).lower()


def resolved(tmp_path: Path, extras: str) -> dict[str, str]:
    """{name: version} that `pip install -c constraints.txt wheel[extras]` installs into an empty venv."""
    report = tmp_path / "report.json"
    wheel = project_wheel()
    requirement = f"{wheel}[{extras}]" if extras else str(wheel)
    run_in(
        *(sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "-q"),
        *("--report", report, "-c", CONSTRAINTS, requirement),
        cwd=tmp_path,
    )
    installs = json.loads(report.read_text(encoding="utf-8"))["install"]
    return {_name(item["metadata"]["name"]): item["metadata"]["version"] for item in installs}


@pytest.mark.parametrize(
    ("extra", "hosts"),
    [
        ("", set()),  # the engine, `site-tools` and the pytest plugin: no host at all
        # Material's theme, which ProperDocs needs for a Material site, requires the mkdocs package
        ("properdocs", {"properdocs", "mkdocs-material", "mkdocs"}),
    ],  # `zensical` and `mkdocs`: their fresh venvs show it (test_third_party_zensical, test_wheel)
)
def test_each_extra_brings_its_host_alone(tmp_path: Path, extra: str, hosts: set[str]) -> None:
    packages = resolved(tmp_path, extra)
    assert packages.keys() >= ENGINE
    assert packages["torch"].startswith("2.13.0")  # the CPU wheel on disk, as constraints.txt pins it
    assert HOSTS & packages.keys() == hosts


def test_constraints_pin_every_package_of_the_dev_install(tmp_path: Path) -> None:
    """`make` installs all extras with constraints.txt: each package it resolves is pinned there."""
    pinned = {}
    for line in CONSTRAINTS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            pinned[_name(name)] = version.strip()
    packages = resolved(tmp_path, "test,dask,mkdocs,properdocs,zensical")
    unpinned = sorted(set(packages) - set(pinned) - {"site-tools"})
    assert not unpinned, f"add to constraints.txt (`.venv/bin/pip freeze`): {unpinned}"
    assert {name: packages[name].split("+")[0] for name in pinned} == pinned
