"""One warm copy of the scrub template per session, copied (cache and all) into each test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.robustness.support import Site, copy_site, warm_copy

TEMPLATE = Path(__file__).parent / "site_template"
HELPERS = Path(__file__).parents[2] / "snippets"  # the site's own publish.py and vary.py

collect_ignore = ["site_template"]


def scrub_site(target: Path) -> Site:
    """The template with the site's own helpers, not built yet."""
    site = copy_site(TEMPLATE, target)
    for helper in ("publish.py", "vary.py"):
        shutil.copy(HELPERS / helper, site.root / "snippets" / helper)
    return site


@pytest.fixture(scope="session")
def warm_scrub(tmp_path_factory: pytest.TempPathFactory) -> Path:
    helpers = (HELPERS / "publish.py", HELPERS / "vary.py")
    return warm_copy(TEMPLATE, tmp_path_factory.mktemp("scrub") / "site", (11, 11, 0, 0), helpers)


@pytest.fixture
def site(warm_scrub: Path, tmp_path: Path) -> Site:
    """A fresh copy of the built template: its next build hits the cache."""
    return copy_site(warm_scrub, tmp_path / "site")


@pytest.fixture
def built(warm_scrub: Path) -> Site:
    """The warm template as its first (executing) build left it; read only."""
    return Site(warm_scrub)
