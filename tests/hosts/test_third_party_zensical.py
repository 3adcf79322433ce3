"""Someone else's Zensical blog: the project's wheel with only the `zensical` extra, in a fresh venv.

Its own posts and snippets, its own mkdocs.yml (no `validate_posts`, no notebooks): the test that the
extension and the pre-step stand alone, with nothing of this repository but the wheel, and that a
Zensical-only site pulls in no MkDocs (the venv is shared: tests/packaging/fresh_venv.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.hosts.support import drawing_files
from tests.packaging.fresh_venv import run_in

pytestmark = pytest.mark.slow

BLOG = {
    "mkdocs.yml": """\
site_name: Someone else's Zensical blog
strict: true
theme:
  name: material
  font: false
plugins:
  - blog
  - site-tools:
      validate_posts: false
      workers: 1
markdown_extensions:
  - pymdownx.superfences
  - site_tools.markdown
""",
    "docs/index.md": "# Welcome\n",
    "docs/blog/index.md": "# Blog\n",
    "docs/blog/posts/hello.md": """\
---
date: 2025-03-01
description: "A parabola whose lowest value is {value}`curve.py:lowest:.1f`."
---

# Hello

The lowest value is {value}`curve.py:lowest:.2f`; see the [execution report](../../execution-report.md).

<!-- more -->

```snippet
file: curve.py
caption: A parabola.
```
""",
    # Its own helper, written to the engine's contract (one JSON line per value, SITE_TOOLS_VALUES).
    "snippets/values.py": """\
import json
import os


def publish(name, value):
    with open(os.environ["SITE_TOOLS_VALUES"], "a", encoding="utf-8") as file:
        file.write(json.dumps({"name": name, "value": value}) + "\\n")
""",
    "snippets/curve.py": """\
import matplotlib.pyplot as plt
import torch
from values import publish

x = torch.linspace(-2, 2, 50)
publish("lowest", float((x**2).min()))
plt.plot(x, x**2)
plt.title("parabola")
print("drawn")
""",
}


def test_the_zensical_extra_pulls_in_no_mkdocs(tmp_path: Path, fresh_venv) -> None:
    python = fresh_venv("zensical") / "python"
    probe = "import importlib.util as u, sys; print(*(m for m in sys.argv[1:] if u.find_spec(m)))"
    wanted = ["zensical", "site_tools"]
    mkdocs = ["mkdocs", "material", "mkdocs_jupyter", "mkdocs_rss_plugin", "properdocs"]
    found = run_in(python, "-c", probe, *wanted, *mkdocs, cwd=tmp_path)
    assert found.stdout.split() == wanted


def test_wheel_and_zensical_build_a_third_party_blog(tmp_path: Path, fresh_venv) -> None:
    bin_dir = fresh_venv("zensical")
    blog = tmp_path / "blog"
    for name, text in BLOG.items():
        (blog / name).parent.mkdir(parents=True, exist_ok=True)
        (blog / name).write_text(text, encoding="utf-8")
    built = run_in(bin_dir / "site-tools", "build", "--host", "zensical", cwd=blog)
    assert "site_tools: 1 snippets, 1 executed, 0 cached, 0 failed" in built.stderr
    (post,) = (blog / "site" / "blog").glob("20*/**/hello/index.html")
    soup = BeautifulSoup(post.read_text(encoding="utf-8"), "lxml")
    figure = soup.select_one("article figure.st-figure")
    assert figure is not None and len(drawing_files(figure, post)) == 2  # wide and phone drawings
    assert "A parabola." in figure.get_text()
    assert [value.get_text() for value in soup.select("article .st-value")] == ["0.00"]
    assert "drawn" in soup.select_one("article .st-stdout").get_text()
    description = soup.select_one('meta[name="description"]')
    assert description is not None and description.get("content") == "A parabola whose lowest value is 0.0."
    for link in soup.select("article a[download]"):
        assert (post.parent / link["href"]).resolve().is_file(), link["href"]
    assert (blog / "site" / "execution-report" / "index.html").is_file()
    assert "provenance.css" in str(soup.select('link[rel="stylesheet"]'))
