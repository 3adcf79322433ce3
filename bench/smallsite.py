"""A small Material blog as a new user would make one: 5 posts, 8 figure snippets, each post with an excerpt.

On the real site a long plain build (KaTeX, five long posts) hides the plugin's fixed costs; here
they show. The snippets draw figures of about the size of the real site's (a few line plots and a
scatter of some hundred points: 30-60 KB of SVG each), so that theming and embedding cost what
they cost on the real site. ``plain`` shows the same code blocks as ordinary Python, nothing run.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

import mkconfig

POSTS = 5
SNIPPETS = 8

SNIPPET = """\
import matplotlib.pyplot as plt
import torch

torch.manual_seed({number})
x = torch.linspace(0, 6.28, 300)
fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3))
for k in range(3):
    left.plot(x, torch.sin(x * (k + 1) + {number}) * torch.exp(-x / (4 + k)), label=f"mode {{k}}")
left.legend()
left.set_title("Damped modes, snippet {number}")
points = torch.randn(150, 2) @ torch.tensor([[1.0, 0.4], [0.0, 0.6]])
right.scatter(points[:, 0], points[:, 1], s=6, c=points[:, 0], cmap="viridis")
right.set_title("A correlated cloud")
print("spread", round(float(points.std()), 3))
"""

POST = """\
{front}
# Post {number}: a small computed blog

The opening paragraph of post {number}, which the blog index shows as its excerpt.

<!-- more -->

Some prose before the figures, so that the page is more than code. A second sentence follows.

{blocks}

A closing paragraph after the figures.
"""

EMBED = """\
```snippet
file: fig_{number}.py
caption: "Figure {number}: damped modes and a correlated cloud."
source: collapsed
```
"""


@dataclass(frozen=True)
class SmallSite:
    root: Path

    def config(self, name: str) -> Path:
        return self.root / f"{name}.yml"

    def cache(self, name: str) -> Path:
        return self.root / ".cache" / name


def generate(dest: Path) -> SmallSite:
    """The blog at ``dest`` with two configs: ``plain`` (code shown, not run) and ``ours``."""
    if dest.exists():
        shutil.rmtree(dest)
    snippets = dest / "snippets"
    snippets.mkdir(parents=True)
    for number in range(SNIPPETS):
        (snippets / f"fig_{number}.py").write_text(SNIPPET.format(number=number), encoding="utf-8")
    _write_docs(dest / "docs", lambda n: EMBED.format(number=n))
    _write_docs(dest / "docs-plain", lambda n: "```python\n" + SNIPPET.format(number=n) + "```\n")
    base = mkconfig.generated_blog("A small computed blog")
    mkconfig.write(dest / "base.yml", None, **base)
    site = SmallSite(dest)
    mkconfig.write(site.config("plain"), "base.yml", docs_dir="docs-plain")
    options = {"cache_dir": ".cache/ours"}  # every check on, as a site gets by default
    plugins = [*base["plugins"], {mkconfig.SITE_TOOLS: options}]
    mkconfig.write(site.config("ours"), "base.yml", plugins=plugins)
    return site


def _write_docs(docs: Path, block) -> None:
    folder = docs / "blog" / "posts"
    folder.mkdir(parents=True)
    home = "# A small computed blog\n\nFive posts, eight figures.\n"
    (docs / "index.md").write_text(home, encoding="utf-8")
    (docs / "blog" / "index.md").write_text("# Blog\n", encoding="utf-8")
    mkconfig.write_authors(docs)
    numbers = iter(range(SNIPPETS))
    for post in range(POSTS):
        count = 2 if post < SNIPPETS - POSTS else 1  # 8 snippets over 5 posts: 2, 2, 2, 1, 1
        blocks = "\n".join(block(next(numbers)) for _ in range(count))
        date = dt.date(2024, 1, 1) + dt.timedelta(days=7 * post)
        front = mkconfig.post_front_matter(f"Post {post}", date.isoformat())
        text = POST.format(front=front, number=post, blocks=blocks)
        (folder / f"post-{post}.md").write_text(text, encoding="utf-8")
