"""Issue 10: a Jekyll post's Liquid tags and links to missing files are reported, kept or dropped,
and `check` names every broken local link or image by post and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.cli.test_posts_cli import REPO_ROOT, assert_clean_failure, posts, run

JEKYLL = """\
---
layout: post
title: "Liquid and Missing Files"
date: 2023-05-01
categories: [Tutorials]
---
A first paragraph that describes the post well enough to be a description.

See [the home page]({{ site.url }}/index.html) and the figure below.

![A plot](images/plot.png)

{% raw %}
Some text with `{{ code }}` that Jekyll printed as is.
{% endraw %}

Read [the other post](other.md) or [the paper](https://example.org/paper.pdf).

```markdown
![an example in code](nowhere.png)
```
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """The real mkdocs.yml and authors, with no posts yet."""
    root = tmp_path / "site"
    (root / "docs" / "blog" / "posts").mkdir(parents=True)
    shutil.copy(REPO_ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copy(REPO_ROOT / "docs" / "blog" / ".authors.yml", root / "docs" / "blog" / ".authors.yml")
    return root


def _source(tmp_path: Path) -> Path:
    source = tmp_path / "2023-05-01-liquid.md"
    source.write_text(JEKYLL, encoding="utf-8")
    return source


def test_import_reports_liquid_and_missing_files_and_keeps_them(site: Path, tmp_path: Path) -> None:
    result = run("import", _source(tmp_path), "--root", site)
    assert result.exit_code == 1, result.output  # imported, but still to fix
    [post] = posts(site)
    text = post.read_text(encoding="utf-8")
    lines = text.split("\n")
    assert "{{ site.url }}" in text and "images/plot.png" in text
    suspicious = [line for line in result.output.splitlines() if line.startswith("  suspicious: line ")]
    reported = {line.split(": ")[1]: line for line in suspicious}
    assert len(suspicious) == 5, result.output  # {{ site.url }}, {% raw %}, {% endraw %}, the image, other.md
    for where, line in reported.items():
        number = int(where.removeprefix("line "))
        assert any(word in lines[number - 1] for word in ("{{", "{%", "plot.png", "other.md")), line
    assert "Liquid tag {{ site.url }}" in result.output
    assert "image to 'images/plot.png', a file that does not exist" in result.output
    assert "`--unresolved drop` removes it" in result.output
    assert "still to fix: docs/blog/posts/" in result.output and "plot.png" in result.output


def test_import_can_drop_them(site: Path, tmp_path: Path) -> None:
    result = run("import", _source(tmp_path), "--unresolved", "drop", "--root", site)
    [post] = posts(site)
    text = post.read_text(encoding="utf-8")
    assert "{{ site.url }}" not in text and "{%" not in text and "images/plot.png" not in text
    assert "Read the other post or [the paper](https://example.org/paper.pdf)." in text
    assert "`{{ code }}`" in text and "![an example in code](nowhere.png)" in text  # code is left alone
    assert "dropped: Liquid tag {% raw %}" in result.output
    assert "dropped: link to 'other.md', a file that does not exist" in result.output
    assert result.exit_code == 0, result.output


def test_check_names_each_broken_local_link_and_image(site: Path) -> None:
    folder = site / "docs" / "blog" / "posts"
    (folder / "images").mkdir()
    (folder / "images" / "here.png").write_bytes(b"")
    body = (
        "---\ntitle: Links\ndate: 2024-01-01\ndescription: Links.\nauthors: [computed-figures]\n"
        "categories: [Tutorials]\ntags: []\n---\n\nIntro.\n\n<!-- more -->\n\n"
        "![fine](images/here.png) and ![gone](images/gone.png)\n\n[a section](#intro)\n\n"
        "[missing](../nope.md#part)\n"
    )
    (folder / "2024-01-01-links.md").write_text(body, encoding="utf-8")
    result = run("check", "--root", site)
    assert_clean_failure(result)
    rel = "docs/blog/posts/2024-01-01-links.md"
    assert f"{rel}:14: image to 'images/gone.png', a file that does not exist" in result.output
    assert f"{rel}:18: link to '../nope.md#part', a file that does not exist" in result.output
    assert "here.png" not in result.output and "#intro" not in result.output
