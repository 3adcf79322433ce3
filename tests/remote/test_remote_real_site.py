"""The real site through a real nginx: a cache pushed to it serves a laptop's fresh clone, which runs
nothing.

The session's build of the real site (``site_dir``) leaves every result in the repository's cache;
``site-tools cache push`` uploads them (a CI build that writes as it runs is tested on a fixture
site, tests/remote/test_remote_build.py). A fresh clone (read-only, empty cache) then builds with
``0 executed`` and the very same files as that build, apart from the execution report (which says
where each result came from) and provenance lines (class ``st-provenance``).
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from site_tools.hosts.cli import main
from tests.plugin.conftest import Build
from tests.remote.cache_server import Nginx
from tests.remote.support import remote_count, store_files

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
REPORT = "execution-report/"
# The feeds carry the time of the build (no git history in the copies): not ours to compare.
BUILD_TIMES = re.compile(
    r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?[+-]\d\d:\d\d|\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d [+-]\d{4}"
)


def checkout(dest: Path) -> Path:
    """The repository's files as a fresh clone has them: tracked and not ignored, no .cache."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    return dest


def build(root: Path, env: dict[str, str]) -> Build:
    site = root / "site"
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
        cwd=root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env},
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    result = Build(done.returncode, done.stdout + done.stderr, site)
    assert result.returncode == 0, result.log[-6000:]
    return result


def comparable(site: Path) -> dict[str, bytes | str]:
    """Every file of the built site, minus what may differ between the two clones."""
    files: dict[str, bytes | str] = {}
    for path in sorted(site.rglob("*")):
        name = path.relative_to(site).as_posix()
        if not path.is_file() or name.startswith(REPORT):
            continue
        if path.suffix == ".html":
            page = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
            for tag in page.select(".st-provenance"):
                tag.decompose()
            files[name] = str(page)
        elif name in ("sitemap.xml", "sitemap.xml.gz"):  # each page's <lastmod> is the build's date
            raw = path.read_bytes()
            text = (gzip.decompress(raw) if name.endswith(".gz") else raw).decode("utf-8")
            files[name] = re.sub(r"<lastmod>[^<]*</lastmod>", "<lastmod/>", text)
        elif name.startswith("feed_"):
            files[name] = BUILD_TIMES.sub("<build time>", path.read_text(encoding="utf-8"))
        elif name == "search/search_index.json":
            index = json.loads(path.read_text(encoding="utf-8"))
            index["docs"] = [doc for doc in index["docs"] if not doc["location"].startswith(REPORT)]
            files[name] = json.dumps(index, sort_keys=True)
        else:
            files[name] = path.read_bytes()
    return files


def test_a_fresh_clone_builds_the_real_site_from_the_remote_cache(
    nginx: Nginx, site_dir: Path, tmp_path: Path
) -> None:
    url = {"SITE_TOOLS_CACHE_URL": nginx.url}
    pushed = CliRunner().invoke(main, ["cache", "push", "--root", str(REPO)], env=url)
    assert pushed.exit_code == 0, pushed.output
    total = int(re.search(r"\(of (\d+) snippets\)", pushed.output)[1])
    assert f"uploaded {total}, already there 0, not cached locally 0" in pushed.output
    assert total > 0 and len(store_files(nginx, "ac")) == total

    before = len(nginx.requests())
    laptop = build(checkout(tmp_path / "laptop"), url)
    assert laptop.counts == {"total": total, "executed": 0, "cached": total, "failed": 0}
    assert remote_count(laptop) == total
    assert {method for method, _, _ in nginx.requests()[before:]} == {"GET"}

    ours, theirs = comparable(laptop.site), comparable(site_dir)
    assert ours.keys() == theirs.keys()
    differing = [name for name in ours if ours[name] != theirs[name]]
    assert differing == []
    report = (laptop.site / REPORT / "index.html").read_text(encoding="utf-8")
    assert report.count("<td>remote</td>") >= laptop.counts["total"]
