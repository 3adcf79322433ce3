"""Small projects on tmp_path for engine tests: a snippets/ folder and an engine over it."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from site_tools.engine import Engine, EngineConfig


@pytest.fixture
def project(tmp_path: Path):
    """A factory: write ``{name: code}`` into snippets/ and get an Engine for the folder."""

    def make(files: dict[str, str], **options) -> Engine:
        snippets = tmp_path / "snippets"
        snippets.mkdir(exist_ok=True)
        for name, code in files.items():
            (snippets / name).write_text(textwrap.dedent(code), encoding="utf-8")
        options.setdefault("timeout", 30.0)
        return Engine(
            EngineConfig(
                root=tmp_path, snippets_dir=snippets, cache_dir=tmp_path / ".cache", **options
            )
        )

    return make


def script_result(script: str, root: Path, env: dict[str, str] | None = None) -> dict:
    """Run ``script`` in a fresh Python with the project folder as its argument; the JSON it prints last."""
    done = subprocess.run(
        [sys.executable, "-c", script, str(root)],
        capture_output=True,
        text=True,
        env=env,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])
