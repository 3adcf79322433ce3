"""Fixtures for the remote-cache tests: a real nginx per test, and no inherited remote settings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.remote.cache_server import Nginx, start_nginx

REMOTE_ENV = (
    "SITE_TOOLS_CACHE_URL",
    "SITE_TOOLS_CACHE_WRITE",
    "SITE_TOOLS_CACHE_SECRET",
    "SITE_TOOLS_CACHE_TOKEN",
)


@pytest.fixture
def nginx(tmp_path: Path) -> Iterator[Nginx]:
    server = start_nginx(tmp_path / "nginx")
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def no_inherited_remote(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's own SITE_TOOLS_CACHE_* must not leak into these builds."""
    for name in REMOTE_ENV:
        monkeypatch.delenv(name, raising=False)
