"""Small projects on tmp_path for engine tests: a snippets/ folder and an engine over it."""

from __future__ import annotations

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
