"""Writing posts: slugs that match Material's URLs, a skeleton that validates, no overwriting."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import frontmatter
import pytest

from site_tools.posts import validate_posts
from site_tools.posts.writer import (
    PostExistsError,
    render_post,
    skeleton_post,
    slug_override,
    slugify,
    write_new_file,
)


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("How Dropout Regularises a Network", "how-dropout-regularises-a-network"),
        ("Deep Learning - Unraveling the Power", "deep-learning-unraveling-the-power"),
        ("Let's try: Café au lait!", "lets-try-cafe-au-lait"),
        ("???", "post"),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_slug_is_written_only_where_material_would_differ() -> None:
    assert slug_override("Plain Words Here", "plain-words-here") is None
    assert slug_override("A - B", "a-b") == "a-b"


def test_the_skeleton_validates(project: Path) -> None:
    text = skeleton_post("A - B", date=dt.date(2024, 3, 1), author="ali", category="Tutorials")
    (project / "docs/blog/posts/2024-03-01-a-b.md").write_text(text, encoding="utf-8")
    assert validate_posts(project) == []
    post = frontmatter.loads(text)
    assert (post["draft"], post["slug"], post["authors"]) == (True, "a-b", ["ali"])


def test_front_matter_is_written_in_schema_order_with_flow_lists() -> None:
    meta = {"tags": ["x", "y"], "title": "T: colon", "date": dt.date(2024, 1, 2)}
    assert render_post(meta, "Body.") == (
        "---\ntitle: 'T: colon'\ndate: 2024-01-02\ntags: [x, y]\n---\n\nBody.\n"
    )


def test_an_existing_post_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "posts" / "p.md"
    write_new_file(path, "first")
    with pytest.raises(PostExistsError, match="already exists"):
        write_new_file(path, "second")
    assert path.read_text(encoding="utf-8") == "first"
