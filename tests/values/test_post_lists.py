"""Issue 19: a value cited in a post's description is a value in the home page's list of recent posts
too (it printed '⚠ citation ... cites curve.py, which this page does not embed', and the strict build
passed); one that cannot be resolved fails the strict build naming the post and line."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from site_tools.posts.recent import MARKER
from tests.robustness.support import POST, Site, line_of

pytestmark = pytest.mark.slow


def _list_recent_posts(site: Site) -> None:
    site.write("docs/index.md", f"# Values\n\nLately:\n\n{MARKER}\n")


def test_the_home_pages_list_shows_the_value_the_post_shows(site: Site) -> None:
    _list_recent_posts(site)
    run = site.build("--strict")
    assert run.returncode == 0, run.log
    home = BeautifulSoup((site.root / "site" / "index.html").read_text(encoding="utf-8"), "lxml")
    item = home.select_one("article li")
    assert " ".join(item.get_text().split()).endswith("A parabola through 41 computed points.")
    value = item.select_one("span.st-value")
    assert (value["data-source"], value.get_text()) == ("snippets/curve.py:points", "41")
    assert "⚠" not in home.get_text() and "{value}" not in home.get_text()


def test_a_description_citation_that_cannot_be_resolved_fails_the_strict_build(site: Site) -> None:
    _list_recent_posts(site)
    path = site.root / POST
    text = path.read_text(encoding="utf-8").replace("curve.py:points", "curve.py:pionts")
    path.write_text(text, encoding="utf-8")
    run = site.build("--strict")
    assert run.returncode != 0
    line = line_of(text, "description:")
    wanted = rf"ERROR\s+-\s+(site_tools: )?{POST}:{line}: citation .*publishes no value `pionts`"
    assert len(re.findall(wanted, run.log)) == 1, run.log  # once, though the post and the list show it
