"""Generated blogs of many posts with two tiny snippets each, to see how cost and memory grow.

The snippets print and make no figure: what grows with the site is the engine's cost per snippet
(a fork, a result, a cache entry), which a figure's own rendering time would only hide.

Each post's two inline blocks differ (they use the post's number), so every block is its own cache
entry: a cold build runs them all, a warm one none. The site uses Material's blog like the real one.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

import mkconfig

POST = """\
{front}
# Post {number}

A generated post for the bench, number {number}.

<!-- more -->

Some prose between the blocks, so that the page is more than code.

```{info}
value = sum(range({number} + 10))
print("sum", value)
```

```{info}
import torch

print("mean", float(torch.arange({number} % 50 + 3, dtype=torch.float32).mean()))
```
"""


@dataclass(frozen=True)
class ScalingSite:
    root: Path
    posts: int

    def config(self, name: str) -> Path:
        return self.root / f"{name}.yml"

    def cache(self, name: str) -> Path:
        return self.root / ".cache" / name


def generate(dest: Path, posts: int, workers: tuple[int, ...]) -> ScalingSite:
    """A blog of ``posts`` posts at ``dest`` with configs: plain, and ours per worker count."""
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "snippets").mkdir(parents=True)
    # The plain site shows the same blocks as ordinary Python code, highlighted the same way.
    _write_docs(dest / "docs", posts, info="python exec")
    _write_docs(dest / "docs-plain", posts, info="python")
    base = mkconfig.generated_blog(f"Scaling {posts}")
    mkconfig.write(dest / "base.yml", None, **base)
    site = ScalingSite(dest, posts)
    mkconfig.write(site.config("plain"), "base.yml", docs_dir="docs-plain")
    for count in workers:
        options = {"workers": count, "cache_dir": f".cache/w{count}"}  # every check on, by default
        plugins = [*base["plugins"], {mkconfig.SITE_TOOLS: options}]
        mkconfig.write(site.config(f"w{count}"), "base.yml", plugins=plugins)
    return site


def _write_docs(docs: Path, posts: int, *, info: str) -> None:
    folder = docs / "blog" / "posts"
    folder.mkdir(parents=True)
    (docs / "index.md").write_text("# Scaling\n\nA generated site.\n", encoding="utf-8")
    (docs / "blog" / "index.md").write_text("# Blog\n", encoding="utf-8")
    mkconfig.write_authors(docs)
    start = dt.date(2020, 1, 1)
    for number in range(posts):
        date = start + dt.timedelta(days=number)
        front = mkconfig.post_front_matter(f"Post {number}", date.isoformat())
        text = POST.format(front=front, number=number, info=info)
        (folder / f"post-{number:04d}.md").write_text(text, encoding="utf-8")
