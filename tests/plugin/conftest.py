"""A fresh copy of the fixture site per test module, and a helper that builds it for real."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

FIXTURE = Path(__file__).parents[1] / "fixtures" / "site"
SUMMARY = re.compile(
    r"site_tools: (\d+) snippets, (\d+) executed, (\d+) cached, (\d+) failed in [\d.]+ s"
)


@dataclass(frozen=True)
class Build:
    returncode: int
    log: str
    site: Path

    @property
    def counts(self) -> dict[str, int]:
        found = SUMMARY.findall(self.log)
        assert found, f"no summary line in the log:\n{self.log}"
        total, executed, cached, failed = map(int, found[-1])
        return {"total": total, "executed": executed, "cached": cached, "failed": failed}


def build_site(root: Path, *extra: str, env: dict[str, str] | None = None) -> Build:
    site = root / "site"
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site), *extra]
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    done = subprocess.run(
        command, cwd=root, capture_output=True, text=True, env=environment, timeout=300, check=False
    )
    return Build(done.returncode, done.stdout + done.stderr, site)


def run_pytest(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A separate ``pytest`` run inside the site at ``root``, as a contributor would start it."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("fixture") / "site"
    shutil.copytree(FIXTURE, target, ignore=shutil.ignore_patterns(".cache", "site"))
    return target


@contextlib.contextmanager
def appended(path: Path, text: str) -> Iterator[None]:
    """``path`` with ``text`` added at the end for the duration of the block, then as it was."""
    original = path.read_text(encoding="utf-8")
    path.write_text(original + text, encoding="utf-8")
    try:
        yield
    finally:
        path.write_text(original, encoding="utf-8")
