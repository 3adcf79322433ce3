"""Someone else's blog on each host's own config file, with the wheel and only that host's extra in a
fresh venv: a Zensical site with only ``zensical.toml`` (the extension's options in its own table, the
blog's settings in ``[project.plugins.blog]``) and a ProperDocs site with only ``properdocs.yml``.
Each is built the host's plain way and through ``site-tools``, checked, and tested with pytest, with
nothing else configured."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.hosts.support import HostServer, drawing_files
from tests.packaging.fresh_venv import run_in

pytestmark = pytest.mark.slow

AUTHORS = "authors:\n  ana:\n    name: Ana\n    description: Writes about curves\n    avatar: ana.png\n"
POST = """\
---
title: Hello
date: 2025-03-01
authors: [ana]
categories: [Notes]
tags: [calculus]
description: "A parabola whose lowest value is {value}`curve.py:lowest:.1f`."
---

# Hello

The lowest value is {value}`curve.py:lowest:.2f`.

<!-- more -->

```snippet
file: curve.py
caption: A parabola.
```
"""
SNIPPET = """\
import json
import os

import matplotlib.pyplot as plt
import torch

x = torch.linspace(-2, 2, 50)
with open(os.environ["SITE_TOOLS_VALUES"], "a", encoding="utf-8") as values:
    values.write(json.dumps({"name": "lowest", "value": float((x**2).min())}) + "\\n")
plt.plot(x, x**2)
plt.title("parabola")
"""
ZENSICAL_TOML = """\
[project]
site_name = "Someone else's Zensical blog"
strict = true
watch = ["snippets"]

[project.theme]
name = "material"
font = false

[project.plugins.blog]
categories_allowed = ["Notes"]

[project.markdown_extensions.admonition]

[project.markdown_extensions.pymdownx.superfences]

[project.markdown_extensions."site_tools.markdown"]
workers = 1
"""
PROPERDOCS_YML = """\
site_name: Someone else's ProperDocs blog
strict: true
theme:
  name: material
  font: false
plugins:
  - blog:
      categories_allowed: [Notes]
  - site-tools:
      workers: 1
markdown_extensions:
  - pymdownx.superfences
"""


def make_blog(folder: Path, config_name: str, config: str) -> Path:
    files = {
        config_name: config,
        "docs/index.md": "# Welcome\n",
        "docs/blog/index.md": "# Blog\n",
        "docs/blog/.authors.yml": AUTHORS,
        "docs/blog/posts/hello.md": POST,
        "snippets/curve.py": SNIPPET,
    }
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def output(done: subprocess.CompletedProcess[str]) -> str:
    return done.stdout + done.stderr


def post_page(site: Path) -> Path:
    (post,) = (site / "blog").glob("20*/**/hello/index.html")
    return post


def post_soup(site: Path) -> BeautifulSoup:
    return BeautifulSoup(post_page(site).read_text(encoding="utf-8"), "lxml")


def assert_computed(site: Path) -> None:
    soup = post_soup(site)
    figure = soup.select_one("article figure.st-figure")
    assert figure is not None and len(drawing_files(figure, post_page(site))) == 2  # wide and phone
    assert "A parabola." in figure.get_text()
    assert [value.get_text() for value in soup.select("article .st-value")] == ["0.00"]


def check_without_a_host(bin_dir: Path, blog: Path, option: str) -> None:
    """``check``, ``options``, ``new`` and pytest find the config with nothing said."""
    assert "No problems found." in run_in(bin_dir / "site-tools", "check", cwd=blog).stdout
    assert option in run_in(bin_dir / "site-tools", "options", cwd=blog).stdout.splitlines()
    created = run_in(bin_dir / "site-tools", "new", "Second post", cwd=blog).stdout.strip()
    assert "categories: [Notes]" in (blog / created).read_text(encoding="utf-8")
    (blog / created).unlink()
    # pytest is not in the host's extra: the project's own pytest, with the same plugin, in that folder.
    tested = run_in(sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "snippets", cwd=blog)
    assert "1 passed" in tested.stdout


def test_a_zensical_site_with_only_zensical_toml(tmp_path: Path, fresh_venv) -> None:
    bin_dir = fresh_venv("zensical")
    blog = make_blog(tmp_path / "blog", "zensical.toml", ZENSICAL_TOML)
    # Zensical's own build: figures, captions and values through the extension, nothing more.
    run_in(bin_dir / "zensical", "build", cwd=blog)
    assert_computed(blog / "site")
    assert not (blog / "site" / "execution-report").exists()
    check_without_a_host(bin_dir, blog, "workers=1")
    # Through site-tools: the report and the downloads too, from a generated config in TOML.
    run_in(bin_dir / "site-tools", "build", "--host", "zensical", cwd=blog)
    assert_computed(blog / "site")
    assert (blog / "site" / "execution-report" / "index.html").is_file()
    assert (blog / ".site-tools-zensical.toml").read_text(encoding="utf-8").count("[project]") == 1
    (post,) = (blog / "site" / "blog").glob("20*/**/hello/index.html")
    downloads = BeautifulSoup(post.read_text(encoding="utf-8"), "lxml").select("article a[download]")
    assert {Path(link["href"]).name for link in downloads} == {"curve.py", "curve.ipynb"}
    for link in downloads:
        assert (post.parent / link["href"]).resolve().is_file(), link["href"]
    # A failing snippet stops both builds, naming the page and line of its embed.
    snippet = blog / "snippets" / "curve.py"
    snippet.write_text(SNIPPET + "raise RuntimeError('broken on purpose')\n", encoding="utf-8")
    where = "docs/blog/posts/hello.md:16: snippet snippets/curve.py failed (error)"
    assert where in output(run_in(bin_dir / "zensical", "build", cwd=blog, fails=True))
    assert where in output(
        run_in(bin_dir / "site-tools", "build", "--host", "zensical", cwd=blog, fails=True)
    )


def test_a_properdocs_site_with_only_properdocs_yml(tmp_path: Path, fresh_venv) -> None:
    bin_dir = fresh_venv("mkdocs,properdocs")  # shared with the MkDocs wheel test: one venv to make
    blog = make_blog(tmp_path / "blog", "properdocs.yml", PROPERDOCS_YML)
    run_in(bin_dir / "properdocs", "build", "--strict", cwd=blog)
    assert_computed(blog / "site")
    assert (blog / "site" / "execution-report" / "index.html").is_file()
    check_without_a_host(bin_dir, blog, "workers=1")
    run_in(bin_dir / "site-tools", "build", "--host", "properdocs", cwd=blog)
    assert_computed(blog / "site")
    snippet = blog / "snippets" / "curve.py"
    snippet.write_text(SNIPPET + "raise RuntimeError('broken on purpose')\n", encoding="utf-8")
    where = "docs/blog/posts/hello.md:16: snippet snippets/curve.py failed (error)"
    assert where in output(run_in(bin_dir / "properdocs", "build", "--strict", cwd=blog, fails=True))


@pytest.mark.serve
def test_a_plain_zensical_serve_follows_snippet_edits(tmp_path: Path, fresh_venv) -> None:
    """No site-tools command at all: ``zensical serve`` with the extension and ``watch`` on the snippets
    folder shows each saved snippet's new result, and a failure on its page while it keeps serving."""
    bin_dir = fresh_venv("zensical")
    blog = make_blog(tmp_path / "blog", "zensical.toml", ZENSICAL_TOML)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "SITE_TOOLS_CONFIG")}
    server = HostServer(blog, [str(bin_dir / "zensical"), "serve"], url="blog/2025/03/01/hello/", env=env)
    try:
        server.wait_for(lambda html: ">0.00<" in html, "the post with its value", timeout=180)
        snippet = blog / "snippets" / "curve.py"
        snippet.write_text(SNIPPET.replace("linspace(-2, 2, 50)", "linspace(1, 2, 50)"), encoding="utf-8")
        server.wait_for(lambda html: ">1.00<" in html, "the value of the saved snippet", timeout=120)
        snippet.write_text(SNIPPET + "raise RuntimeError('broken while serving')\n", encoding="utf-8")
        broken = server.wait_for(lambda html: "broken while serving" in html, "the failure", timeout=120)
        assert "admonition failure" in broken and "snippets/curve.py failed (error)" in broken
        assert server.get("")[0] == 200  # the rest of the site is still served
    finally:
        server.stop()
