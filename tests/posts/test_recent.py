"""The home page's list of recent posts: newest first, drafts and unreadable posts left out."""

from __future__ import annotations

from pathlib import Path

from site_tools.engine.model import RunResult
from site_tools.posts.recent import recent_posts
from site_tools.render.values import Source


def _post(folder: Path, name: str, front: str) -> None:
    (folder / name).write_text(f"---\n{front}\n---\n\nBody.\n", encoding="utf-8")


def test_newest_first_without_drafts(tmp_path: Path) -> None:
    posts = tmp_path / "docs" / "blog" / "posts"
    posts.mkdir(parents=True)
    _post(posts, "a.md", "title: Old\ndate: 2023-01-01\ndescription: first")
    _post(posts, "b.md", "title: New\ndate: 2024-05-06\ndescription: second")
    _post(posts, "c.md", "title: Draft\ndate: 2025-01-01\ndraft: true")
    (posts / "broken.md").write_text("---\ntitle: [unclosed\n---\n")
    listing = recent_posts(
        posts, project_root=tmp_path, page_dir=tmp_path / "docs", limit=5
    ).markdown
    lines = [line for line in listing.splitlines() if line.startswith("- ")]
    assert lines == [
        "- **[New](blog/posts/b.md)** · May 6, 2024  ",
        "- **[Old](blog/posts/a.md)** · January 1, 2023  ",
    ]
    assert "second" in listing and "Draft" not in listing


def test_limit(tmp_path: Path) -> None:
    for day in range(1, 8):
        _post(tmp_path, f"p{day}.md", f"title: P{day}\ndate: 2024-01-0{day}\ndescription: d")
    listing = recent_posts(tmp_path, project_root=tmp_path, page_dir=tmp_path, limit=3).markdown
    assert [line[5:7] for line in listing.splitlines() if line.startswith("- ")] == [
        "P7",
        "P6",
        "P5",
    ]


def test_a_description_cites_its_own_posts_snippets(tmp_path: Path) -> None:
    """Issue 19: the list used to print '⚠ citation ... cites x.py, which this page does not embed'."""
    _post(tmp_path, "a.md", "title: A\ndate: 2024-01-01\ndescription: Gain of {value}`x.py:gain:.1f`.")
    result = RunResult("k" * 64, "ok", values={"gain": 2.345})
    seen = []

    def sources(post: str) -> dict[str, Source]:
        seen.append(post)
        return {"x.py": Source("snippets/x.py", result)}

    listing = recent_posts(tmp_path, project_root=tmp_path, page_dir=tmp_path, sources=sources)
    assert seen == ["a.md"] and listing.problems == []
    assert 'Gain of <span class="st-value" data-source="snippets/x.py:gain"' in listing.markdown
    assert ">2.3</span>." in listing.markdown and "⚠" not in listing.markdown


def test_a_citation_the_post_cannot_resolve_is_a_problem_at_its_line_not_text_for_readers(
    tmp_path: Path,
) -> None:
    _post(tmp_path, "a.md", "title: A\ndate: 2024-01-01\ndescription: Gain of {value}`x.py:gain:.1f`.")
    listing = recent_posts(tmp_path, project_root=tmp_path, page_dir=tmp_path)  # the post embeds nothing
    [problem] = listing.problems
    assert (problem.path, problem.line, problem.field) == ("a.md", 4, "value")
    assert "cites x.py, which this page does not embed" in problem.message
    assert "⚠" not in listing.markdown and "cites" not in listing.markdown
    assert 'class="st-value st-value-pending"' in listing.markdown
