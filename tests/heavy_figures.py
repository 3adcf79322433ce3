"""A small third-party blog whose one figure is heavy: a two-moons classifier drawn the usual way
(`contourf` of its decision surface with 20 levels, plus a 2,000-point scatter), over the default
figure budget as plain SVG. Shared by the build, engine and browser tests of heavy figures."""

from __future__ import annotations

import textwrap
from pathlib import Path

MOONS = '''
import numpy as np
import matplotlib.pyplot as plt

rng = np.random.default_rng(0)
n = 1000
t = rng.uniform(0, np.pi, n)
upper = np.c_[np.cos(t), np.sin(t)] + rng.normal(0, 0.15, (n, 2))
lower = np.c_[1 - np.cos(t), 0.5 - np.sin(t)] + rng.normal(0, 0.15, (n, 2))
X = np.r_[upper, lower]
y = np.r_[np.zeros(n), np.ones(n)]
# A small kernel classifier's decision surface on a grid.
xx, yy = np.meshgrid(np.linspace(-1.5, 2.5, 300), np.linspace(-1.0, 1.5, 300))
grid = np.c_[xx.ravel(), yy.ravel()]
pick = rng.choice(len(X), 200, replace=False)
distance = ((grid[:, None, :] - X[pick][None]) ** 2).sum(-1)
score = (np.exp(-distance / 0.1) * np.where(y[pick] > 0, 1.0, -1.0)).sum(1).reshape(xx.shape)
fig, ax = plt.subplots(figsize=(7, 5))
ax.contourf(xx, yy, score, levels=20, cmap="RdBu", alpha=0.8)
ax.scatter(X[:, 0], X[:, 1], c=y, cmap="RdBu", edgecolors="k", s=14)
ax.set_title("Two moons: the decision surface")
ax.set_xlabel("x1")
ax.set_ylabel("x2")
'''

MKDOCS = """site_name: A third-party blog
theme:
  name: material
  font: false
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      toggle: {icon: material/weather-night, name: Dark}
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      toggle: {icon: material/weather-sunny, name: Light}
plugins:
  - blog:
      authors: false
  - site-tools:
      cache_dir: .cache/site_tools
      validate_posts: false
markdown_extensions:
  - pymdownx.superfences
not_in_nav: |
  /execution-report.md
"""

POST = """---
date: 2026-11-02
---

# Two moons

A small classifier and its decision surface.

<!-- more -->

```snippet
file: moons.py
caption: The decision surface over the two moons.
alt: Two interleaved half-moons of points over a red and blue decision surface.
```
"""

POST_PAGE = "blog/2026/11/02/two-moons/index.html"
POST_LINE = "docs/blog/posts/moons.md:11"


def write_site(root: Path) -> Path:
    """The blog at ``root``: mkdocs.yml, a home page, the blog index, one post and its snippet."""
    (root / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    (root / "snippets").mkdir(parents=True)
    (root / "snippets" / "moons.py").write_text(textwrap.dedent(MOONS).lstrip(), encoding="utf-8")
    posts = root / "docs" / "blog" / "posts"
    posts.mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (root / "docs" / "blog" / "index.md").write_text("# Blog\n", encoding="utf-8")
    (posts / "moons.md").write_text(POST, encoding="utf-8")
    return root
