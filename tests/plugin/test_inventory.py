"""The build, pytest and `site-tools cache` agree on the site's snippets: one inventory, one key each."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.plugin.conftest import FIXTURE, build_site, run_pytest

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent
SUMMARY = re.compile(r"site_tools: (\d+) snippets, (\d+) executed, (\d+) cached, (\d+) failed")

READER = """\
from pathlib import Path

values = [float(v) for v in (Path(__file__).parent / "points.txt").read_text().split()]
print("sum", sum(values))
"""
EMBEDS = """
```snippet
file: reader.py
data: [points.txt]
```

```snippet
file: slow.py
timeout: 50
```
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns(".cache", "site"))
    (root / "snippets" / "reader.py").write_text(READER)
    (root / "snippets" / "points.txt").write_text("1 2 3\n")
    (root / "snippets" / "slow.py").write_text("print('took its time')\n")
    post = root / "docs" / "blog" / "posts" / "post.md"
    post.write_text(post.read_text() + EMBEDS)
    (root / "docs" / "notes").mkdir()
    (root / "docs" / "notes" / "cells.py").write_text("# %%\nprint('a notebook cell')\n")
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text().replace(
            "validate_posts: false\n", 'validate_posts: false\n      notebooks: ["notes/*.py"]\n'
        )
    )
    (root / "pytest.ini").write_text("[pytest]\ntestpaths = snippets docs\naddopts = -p no:cacheprovider\n")
    return root


def _run(root: Path, *command: str) -> str:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        command, cwd=root, capture_output=True, text=True, env=env, timeout=300, check=False
    )
    return done.stdout + done.stderr


def _pytest_counts(root: Path, *args: str) -> tuple[int, ...]:
    done = run_pytest(root, "-q", *args)
    output = done.stdout + done.stderr
    found = SUMMARY.findall(output)
    assert found, output
    return tuple(map(int, found[-1]))


def test_tests_reuse_the_builds_results_and_rerun_exactly_what_a_data_edit_touches(site: Path) -> None:
    build = build_site(site)
    assert build.returncode == 0, build.log
    assert build.counts["executed"] == 5  # wave, the inline block, reader, slow, the notebook
    # Same keys as the build: the embed's data file and its timeout are part of them.
    assert _pytest_counts(site) == (5, 0, 5, 0)
    (site / "snippets" / "points.txt").write_text("1 2 3 4\n")
    assert _pytest_counts(site) == (5, 1, 4, 0)  # reader.py only
    assert build_site(site).counts == {"total": 5, "executed": 0, "cached": 5, "failed": 0}


def test_prune_after_a_build_keeps_everything_the_site_uses(site: Path) -> None:
    assert build_site(site).returncode == 0
    cache = site / ".cache" / "site_tools"
    entries = sorted(p.name for p in (cache / "entries").iterdir())
    derived = sorted(p.name for p in (cache / "derived").iterdir())
    # Derived artifacts (the executed notebook, themed figures, downloads) belong to live entries.
    assert len(entries) == 5 and derived and set(derived) <= set(entries)
    notebook_key = next(p.parent.name for p in (cache / "derived").glob("*/notebook"))
    pruned = _run(site, str(BIN / "site-tools"), "cache", "prune", "--root", str(site))
    assert "removed 0 entries" in pruned, pruned
    assert sorted(p.name for p in (cache / "entries").iterdir()) == entries
    assert sorted(p.name for p in (cache / "derived").iterdir()) == derived
    stats = _run(site, str(BIN / "site-tools"), "cache", "stats", "--root", str(site))
    assert "entries: 5 " in stats and "used by the site now: 5 of 5" in stats, stats
    # An edit makes the old entry unused: prune removes it, and the notebook's artifacts with theirs.
    (site / "docs" / "notes" / "cells.py").write_text("# %%\nprint('edited')\n")
    assert build_site(site).returncode == 0
    pruned = _run(site, str(BIN / "site-tools"), "cache", "prune", "--root", str(site))
    assert "removed 1 entry" in pruned, pruned
    left = {p.name for p in (cache / "derived").iterdir()}
    assert notebook_key not in left and left <= {p.name for p in (cache / "entries").iterdir()}
    assert len(list((cache / "derived").glob("*/notebook"))) == 1
