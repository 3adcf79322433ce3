"""The importer on each seed dialect: the result validates, keeps the words, loses the leftovers."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import frontmatter
import pytest
from posts_support import LEFTOVERS, TITLE_004, seed, seed_paragraphs

from site_tools.posts import load_site_settings, validate_posts
from site_tools.posts.importer import ImportedPost, PostImportError, import_post

TODAY = dt.date(2024, 5, 17)
# seed prefix -> (dialect, title, date or None for "guessed as TODAY")
SEEDS = {
    "000": ("Hugo-like", "Exploring the Wonders of Deep Learning", dt.date(2023, 6, 29)),
    "001": ("Jekyll", "Deep Learning - Unraveling the Power of Neural Networks", None),
    "002": ("Docusaurus", "Understanding Deep Learning: Unraveling the Depths", None),
    "003": (
        "Academic Pages",
        "Unraveling the Layers: A Journey into the Depths of Deep Learning",
        dt.date(2023, 11, 9),
    ),
    "004": ("plain Markdown (no front matter)", TITLE_004, None),
}


def run_import(project: Path, prefix: str) -> ImportedPost:
    title = TITLE_004 if prefix == "004" else None
    return import_post(seed(prefix), load_site_settings(project), title=title, today=TODAY)


@pytest.mark.parametrize("prefix", sorted(SEEDS))
def test_every_dialect_imports_into_a_valid_faithful_post(project: Path, prefix: str) -> None:
    dialect, title, date = SEEDS[prefix]
    imported = run_import(project, prefix)
    assert imported.dialect == dialect
    post = frontmatter.loads(imported.text)
    assert post["title"] == title
    assert post["date"] == (date or TODAY)
    assert imported.filename.startswith(f"{date or TODAY}-")
    (project / "docs/blog/posts" / imported.filename).write_text(imported.text, encoding="utf-8")
    assert validate_posts(project) == []
    for leftover in LEFTOVERS:
        assert leftover not in imported.text
    for paragraph in seed_paragraphs(prefix):
        assert paragraph in post.content
    assert not re.search(r"^# ", post.content, re.MULTILINE), "the title is the only H1"
    first_paragraph = next(p for p in seed_paragraphs(prefix) if p[0].isalpha())
    assert f"{first_paragraph}\n\n<!-- more -->" in post.content


def test_hugo_like_h1_sections_become_h2_and_the_invitation_goes(project: Path) -> None:
    imported = run_import(project, "000")
    assert "\n## Introduction\n" in f"\n{imported.text}"
    assert any("chatbot invitation to edit" in note for note in imported.notes.suspicious)


def test_jekyll_keeps_its_description_and_maps_categories(project: Path) -> None:
    imported = run_import(project, "001")
    post = frontmatter.loads(imported.text)
    assert post["description"].startswith("In this article, we dive into")
    assert post["categories"] == ["Deep Learning"]
    assert {"Machine Learning", "Artificial Intelligence", "Neural Networks"} <= set(post["tags"])
    assert post["slug"] == "deep-learning-unraveling-the-power-of-neural-networks"
    assert "# Deep Learning - Unraveling" not in post.content
    assert any("'layout: post'" in note for note in imported.notes.dropped)


def test_jekyll_table_of_contents_moves_below_the_excerpt(project: Path) -> None:
    content = frontmatter.loads(run_import(project, "001").text).content
    assert content.index("<!-- more -->") < content.index("**Table of Contents**")
    assert content.index("**Table of Contents**") < content.index("## Introduction to Deep")


def test_docusaurus_title_comes_from_its_heading(project: Path) -> None:
    imported = run_import(project, "002")
    assert (
        "Understanding Deep Learning: Unraveling the Depths"
        not in frontmatter.loads(imported.text).content
    )
    assert any("sidebar_position" in note for note in imported.notes.dropped)
    assert any(f"date {TODAY}" in note for note in imported.notes.guessed)


def test_academic_pages_labels_become_headings_and_tags_are_split(project: Path) -> None:
    imported = run_import(project, "003")
    post = frontmatter.loads(imported.text)
    assert re.findall(r"^## (.+)$", post.content, re.MULTILINE) == [
        "Introduction",
        "The Foundations of Deep Learning",
        "Neural Networks Unveiled",
        "Applications Across Industries",
        "Challenges and Future Prospects",
        "Conclusion",
    ]
    assert post["tags"] == ["Deep Learning", "Neural Networks", "AI", "Language Technology"]
    assert any("looks like a title" in note for note in imported.notes.suspicious)
    assert any("chatbot disclaimer" in note for note in imported.notes.suspicious)


def test_plain_markdown_needs_a_title(project: Path) -> None:
    with pytest.raises(PostImportError, match="pass --title"):
        import_post(seed("004"), load_site_settings(project))


def test_placeholder_lines_become_figure_comments(project: Path) -> None:
    content = frontmatter.loads(run_import(project, "004").text).content
    names = ["deep-learning-neural-network", "cnn-rnn", "deep-learning-applications"]
    names.append("deep-learning-research")
    for name in names:
        assert f"\n<!-- figure: {name} -->\n" in content
        assert not re.search(rf"^{name}$", content, re.MULTILINE)


def test_a_date_in_the_file_name_is_used(project: Path, tmp_path: Path) -> None:
    source = tmp_path / "2022-05-01-notes.md"
    source.write_text("# Notes\n\nA first paragraph.\n", encoding="utf-8")
    imported = import_post(source, load_site_settings(project), today=TODAY)
    assert imported.filename == "2022-05-01-notes.md"


def test_options_override_the_file(project: Path) -> None:
    imported = import_post(
        seed("000"), load_site_settings(project), date=dt.date(2020, 1, 2), author="ali"
    )
    post = frontmatter.loads(imported.text)
    assert (post["date"], post["authors"]) == (dt.date(2020, 1, 2), ["ali"])


def test_a_long_description_is_shortened_at_a_sentence(project: Path, tmp_path: Path) -> None:
    long = "First sentence is short. " + "Second sentence goes on and on " * 8 + "."
    source = tmp_path / "long.md"
    source.write_text(
        f"---\ntitle: Long\ndate: 2024-01-01\ndescription: {long}\n---\nBody text.\n",
        encoding="utf-8",
    )
    imported = import_post(source, load_site_settings(project))
    assert frontmatter.loads(imported.text)["description"] == "First sentence is short."


def test_an_unknown_author_is_replaced_and_reported(project: Path, tmp_path: Path) -> None:
    source = tmp_path / "a.md"
    source.write_text("---\ntitle: A\ndate: 2024-01-01\nauthor: bob\n---\nText.\n", "utf-8")
    imported = import_post(source, load_site_settings(project))
    assert frontmatter.loads(imported.text)["authors"] == ["jane"]
    assert any("author 'bob'" in note for note in imported.notes.dropped)


def test_code_blocks_are_left_alone(project: Path, tmp_path: Path) -> None:
    source = tmp_path / "code.md"
    code = "```python\n# Feel free to customize\n\nprint('x')\n```"
    source.write_text(f"---\ntitle: Code\ndate: 2024-01-01\n---\nIntro.\n\n{code}\n", "utf-8")
    content = frontmatter.loads(import_post(source, load_site_settings(project)).text).content
    assert code in content


def test_only_short_bare_labels_become_headings(project: Path, tmp_path: Path) -> None:
    source = tmp_path / "labels.md"
    body = "Intro.\n\nResults:\n\nThe networks we trained. Some notable ones include:\n\nEnd.\n"
    source.write_text(f"---\ntitle: Labels\ndate: 2024-01-01\n---\n{body}", "utf-8")
    content = frontmatter.loads(import_post(source, load_site_settings(project)).text).content
    assert "\n## Results\n" in content
    assert "\nThe networks we trained. Some notable ones include:\n" in content
