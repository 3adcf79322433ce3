"""The five published posts: valid, faithful to their seeds, free of leftovers, dated in order."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import frontmatter
import pytest
from posts_support import LEFTOVERS, REPO_ROOT, TITLE_004, seed, seed_paragraphs
from pymdownx.slugs import slugify

from site_tools.posts import load_site_settings, validate_posts
from site_tools.posts.importer import import_post

POSTS_DIR = REPO_ROOT / "docs" / "blog" / "posts"
PLACEHOLDERS = (
    "deep-learning-neural-network",
    "cnn-rnn",
    "deep-learning-applications",
    "deep-learning-research",
)


def published() -> dict[str, frontmatter.Post]:
    """Published posts by title."""
    posts = [frontmatter.load(path) for path in sorted(POSTS_DIR.glob("*.md"))]
    return {post["title"]: post for post in posts}


def seed_title(prefix: str) -> str:
    title = TITLE_004 if prefix == "004" else None
    imported = import_post(seed(prefix), load_site_settings(REPO_ROOT), title=title)
    return frontmatter.loads(imported.text)["title"]


PREFIXES = ("000", "001", "002", "003", "004")


def test_the_real_posts_validate() -> None:
    assert validate_posts(REPO_ROOT) == []


def test_there_is_one_post_per_seed() -> None:
    assert sorted(published()) == sorted(seed_title(prefix) for prefix in PREFIXES)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_post_keeps_its_seed_text(prefix: str) -> None:
    post = published()[seed_title(prefix)]
    for paragraph in seed_paragraphs(prefix):
        assert paragraph in post.content


@pytest.mark.parametrize("path", sorted(POSTS_DIR.glob("*.md")), ids=lambda p: p.name)
def test_a_post_has_no_leftovers_and_a_matching_file_name(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    post = frontmatter.loads(text)
    for leftover in LEFTOVERS:
        assert leftover not in text
    for name in PLACEHOLDERS:
        assert not re.search(rf"^{name}$", text, re.MULTILINE), "a stray placeholder word"
    url_slug = post.get("slug") or slugify(case="lower")(post["title"], "-")
    assert path.name == f"{post['date']:%Y-%m-%d}-{url_slug}.md", "file name = URL"


def test_dated_seeds_keep_their_dates_and_all_are_in_seed_order() -> None:
    posts = published()
    dates = [posts[seed_title(prefix)]["date"] for prefix in PREFIXES]
    assert dates == sorted(dates)
    assert dates[0] == dt.date(2023, 6, 29)
    assert dates[3] == dt.date(2023, 11, 9)
