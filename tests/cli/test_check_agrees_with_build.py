"""Issue 19: `site-tools check` and `mkdocs build --strict` report the same problems of a post's
content (links and images that resolve to nothing, Liquid in link targets, citations, embeds), each
as post:line. `check` used to pass an imported Jekyll post that the strict build refused."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.cli.test_posts_cli import REPO_ROOT
from tests.robustness.support import Site

pytestmark = pytest.mark.slow

FRONT = (
    "---\ntitle: {title}\ndate: 2024-01-0{day}\ndescription: A post.\nauthors: [computed-figures]\n"
    "categories: [Tutorials]\ntags: []\n---\n\n"
)
BROKEN_POSTS = {
    # The imported Jekyll post: a Liquid link target and an absolute image path.
    "2024-01-01-jekyll.md": "See [the home page]({{ site.url }}/).\n\n<!-- more -->\n\n"
    "![x](/assets/img/a.png)\n",
    "2024-01-02-paths.md": "Intro.\n\n<!-- more -->\n\n![gone](images/gone.png)\n\n"
    "[a page](/index.md) and [a folder](../) and [a post]({% post_url 2020-01-01-x %}).\n\n"
    "Fine: [home](../../index.md), [a figure](../../assets/img/b.png), [the web](https://example.org/x).\n\n"
    "```markdown\n![an example](/in/code.png)\n```\n",
    "2024-01-03-values.md": "Intro.\n\n<!-- more -->\n\nIt is {value}`nowhere.py:gain:.1f`.\n\n"
    "```snippet\nfile: missing.py\n```\n",
}
WHERE = re.compile(r"(docs/blog/posts/[\w.-]+\.md:\d+): ")


def _config() -> str:
    """The real site's mkdocs.yml (its validation levels) without its nav and notebooks."""
    text = (REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = text[: text.index("\nnav:")]
    text = re.sub(r"  - mkdocs-jupyter:\n(?:      .*\n)+", "", text)
    return re.sub(r"  - site-tools:\n(?:      .*\n)+", "  - site-tools\n", text)


@pytest.fixture
def site(tmp_path: Path) -> Site:
    site = Site(tmp_path / "site")
    site.write("mkdocs.yml", _config())
    site.write("docs/index.md", "# Home\n")
    site.write("docs/blog/index.md", "# Blog\n")
    site.write("docs/assets/img/b.png", b"\x89PNG")
    (site.root / "snippets").mkdir()
    shutil.copy(REPO_ROOT / "docs/blog/.authors.yml", site.root / "docs/blog/.authors.yml")
    for day, (name, body) in enumerate(BROKEN_POSTS.items(), 1):
        site.write(f"docs/blog/posts/{name}", FRONT.format(title=name[11:-3], day=day) + body)
    return site


def _places(log: str) -> list[str]:
    return sorted(WHERE.findall(log))


def test_check_and_the_strict_build_name_the_same_problems(site: Site) -> None:
    checked = site.check()
    built = site.build("--strict")
    assert checked.returncode == 1 and built.returncode != 0, checked.log + built.log
    jekyll, paths, values = (f"docs/blog/posts/{name}" for name in BROKEN_POSTS)
    expected = sorted(
        [f"{jekyll}:10", f"{jekyll}:14", f"{paths}:14", *[f"{paths}:16"] * 3, f"{values}:14", f"{values}:17"]
    )
    assert _places(checked.log) == expected, checked.log
    assert _places(built.log) == expected, built.log
    assert "link to '{{ site.url }}/': it holds a Liquid tag" in checked.log
    assert "image to '/assets/img/a.png': an absolute path" in checked.log
    assert "link to '/index.md': an absolute path" in checked.log and "../../index.md" in checked.log
    assert "No problems found" not in checked.log


def test_the_rules_are_mkdocs_own(site: Site) -> None:
    """With the posts' check off, MkDocs' own link validation warns about exactly the same targets."""
    checked = site.check()
    link_targets = sorted(re.findall(r"(?:link|image) to '([^']+)'", checked.log))
    config = site.root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  - site-tools\n", "  - site-tools:\n      validate_posts: false\n"
        ),
        encoding="utf-8",
    )
    (site.root / "docs/blog/posts" / "2024-01-03-values.md").unlink()  # citations and embeds: ours
    built = site.build("--strict")
    assert built.returncode != 0
    warned = re.findall(r"WARNING\s+-\s+Doc file '[^']+' contains an? (?:[a-z ]+ )?link '([^']+)'", built.log)
    assert sorted(warned) == link_targets, built.log
