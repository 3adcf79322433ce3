"""One warm copy of the template per session, copied (cache and all) into each test's tmp_path.

The warm copy's first build fills its cache, so a test that changes one file re-runs only what
that file changes, and the workers (which import torch) start only when something must run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.robustness.support import TEMPLATE, Site, copy_site, warm_copy

collect_ignore = ["site_template"]


@pytest.fixture(scope="session")
def warm_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return warm_copy(TEMPLATE, tmp_path_factory.mktemp("warm") / "site", (2, 2, 0, 0))


@pytest.fixture
def site(warm_template: Path, tmp_path: Path) -> Site:
    """A fresh copy of the warm template: its build hits the cache for both snippets."""
    return copy_site(warm_template, tmp_path / "site")
