"""One warm copy of the values template per session, copied (cache and all) into each test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.robustness.support import Site, copy_site, warm_copy

TEMPLATE = Path(__file__).parent / "site_template"
PUBLISH = Path(__file__).parents[2] / "snippets" / "publish.py"  # the site's own helper, as authors use it

collect_ignore = ["site_template"]


@pytest.fixture(scope="session")
def warm_values(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return warm_copy(TEMPLATE, tmp_path_factory.mktemp("values") / "site", (1, 1, 0, 0), (PUBLISH,))


@pytest.fixture
def site(warm_values: Path, tmp_path: Path) -> Site:
    """A fresh copy of the built template: its next build hits the cache."""
    return copy_site(warm_values, tmp_path / "site")


@pytest.fixture
def built(warm_values: Path) -> Site:
    """The warm template as its first (executing) build left it; read only."""
    return Site(warm_values)
