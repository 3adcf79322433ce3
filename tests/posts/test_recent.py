"""The home page's list of recent posts: newest first, drafts and unreadable posts left out."""

from __future__ import annotations

from pathlib import Path

from site_tools.posts.recent import recent_posts_markdown


def _post(folder: Path, name: str, front: str) -> None:
    (folder / name).write_text(f"---\n{front}\n---\n\nBody.\n", encoding="utf-8")


def test_newest_first_without_drafts(tmp_path: Path) -> None:
    posts = tmp_path / "docs" / "blog" / "posts"
    posts.mkdir(parents=True)
    _post(posts, "a.md", "title: Old\ndate: 2023-01-01\ndescription: first")
    _post(posts, "b.md", "title: New\ndate: 2024-05-06\ndescription: second")
    _post(posts, "c.md", "title: Draft\ndate: 2025-01-01\ndraft: true")
    (posts / "broken.md").write_text("---\ntitle: [unclosed\n---\n")
    listing = recent_posts_markdown(
        posts, project_root=tmp_path, page_dir=tmp_path / "docs", limit=5
    )
    lines = [line for line in listing.splitlines() if line.startswith("- ")]
    assert lines == [
        "- **[New](blog/posts/b.md)** · May 6, 2024  ",
        "- **[Old](blog/posts/a.md)** · January 1, 2023  ",
    ]
    assert "second" in listing and "Draft" not in listing


def test_limit(tmp_path: Path) -> None:
    for day in range(1, 8):
        _post(tmp_path, f"p{day}.md", f"title: P{day}\ndate: 2024-01-0{day}\ndescription: d")
    listing = recent_posts_markdown(tmp_path, project_root=tmp_path, page_dir=tmp_path, limit=3)
    assert [line[5:7] for line in listing.splitlines() if line.startswith("- ")] == [
        "P7",
        "P6",
        "P5",
    ]
