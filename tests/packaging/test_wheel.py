"""The package as a stranger installs it: the wheel with the `mkdocs` extra only, in a fresh venv.

It then builds a small third-party Material blog (its own mkdocs.yml, posts without this site's
front-matter schema) that enables the plugin. This is what catches a run-time import missing from
``[project] dependencies`` or the `mkdocs` extra. The venv is shared (tests/packaging/fresh_venv.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.packaging.fresh_venv import run_in

pytestmark = pytest.mark.slow

BLOG = {
    "mkdocs.yml": """\
site_name: Someone else's blog
theme:
  name: material
  font: false
plugins:
  - blog
  - site-tools:
      validate_posts: false
markdown_extensions:
  - pymdownx.superfences
""",
    "docs/index.md": "# Welcome\n",
    "docs/blog/index.md": "# Blog\n",
    "docs/blog/posts/hello.md": """\
---
date: 2025-03-01
---

# Hello

A curve, computed while the site builds.

<!-- more -->

```snippet
file: curve.py
caption: A parabola.
```
""",
    "snippets/curve.py": """\
import matplotlib.pyplot as plt
import torch

x = torch.linspace(-2, 2, 50)
plt.plot(x, x**2)
plt.title("parabola")
""",
}


def test_wheel_with_the_mkdocs_extra_builds_a_third_party_blog(tmp_path: Path, fresh_venv) -> None:
    # With the ProperDocs extra too: the same packages (the RSS plugin already brings ProperDocs), and
    # one venv for this test and the ProperDocs site's (tests/hosts/test_native_configs.py).
    bin_dir = fresh_venv("mkdocs,properdocs")

    blog = tmp_path / "blog"
    for name, text in BLOG.items():
        (blog / name).parent.mkdir(parents=True, exist_ok=True)
        (blog / name).write_text(text, encoding="utf-8")
    built = run_in(bin_dir / "mkdocs", "build", "--strict", cwd=blog)
    assert "site_tools: 1 snippets, 1 executed, 0 cached, 0 failed" in built.stderr + built.stdout
    (post,) = (blog / "site" / "blog").glob("20*/**/hello/index.html")
    html = post.read_text(encoding="utf-8")
    assert '<figure class="st-figure"' in html and '<picture class="st-drawing">' in html
    assert "A parabola." in html
    # `site-tools` (check, cache, import...) starts on a site without Zensical
    assert "check" in run_in(bin_dir / "site-tools", "--help", cwd=blog).stdout
