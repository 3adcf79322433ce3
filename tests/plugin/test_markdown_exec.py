"""A site that uses markdown-exec beside site-tools: each plugin runs only its own blocks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.plugin.conftest import FIXTURE, build_site, run_pytest

pytestmark = pytest.mark.slow

PAGE = """
```python exec="on"
print("markdown-exec ran this")
```

```python exec="true"
print("and this")
```

```python exec
print("site-tools ran this")
```
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns(".cache", "site"))
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("plugins:\n", "plugins:\n  - markdown-exec\n"))
    (root / "docs" / "index.md").write_text("# Both plugins\n" + PAGE)
    (root / "pytest.ini").write_text("[pytest]\ntestpaths = snippets docs\naddopts = -p no:cacheprovider\n")
    return root


def test_each_plugin_runs_its_own_blocks_in_the_build_and_in_pytest(site: Path) -> None:
    built = build_site(site)
    assert built.returncode == 0, built.log
    assert built.counts["total"] == 2  # wave.py and the bare `exec` block; never exec="on"
    text = BeautifulSoup((built.site / "index.html").read_text(encoding="utf-8"), "lxml").get_text()
    assert "markdown-exec ran this" in text and "and this" in text and "site-tools ran this" in text
    listed = run_pytest(site, "--collect-only", "-q")
    items = [line for line in listed.stdout.splitlines() if "::" in line]
    assert items == ["snippets/wave.py::wave", "docs/index.md::L11"], listed.stdout
