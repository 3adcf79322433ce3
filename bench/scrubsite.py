"""A one-post blog whose figure a reader scrubs: a 4 x 4 grid (16 variants) of a small snippet.

Measured by ``make bench`` (part ``scrub``): the cold build (16 runs) and the warm one (none), and
``page_bytes``: what the reader downloads for the page (its HTML, with the default variant inline)
and what moving a control adds (one variant file, fetched once and then kept).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import mkconfig
from bs4 import BeautifulSoup

HELPERS = Path(__file__).resolve().parents[1] / "snippets"  # the site's own vary.py and publish.py
POINTS = 16

SNIPPET = """\
import matplotlib.pyplot as plt
import publish
import torch
import vary

p = vary.params(frequency=2.0, damping=0.2)
torch.manual_seed(0)
x = torch.linspace(0, 6.28, 300)
y = torch.sin(x * p.frequency) * torch.exp(-x * p.damping)
fig, ax = plt.subplots(figsize=(7, 3))
ax.plot(x, y)
ax.scatter(x[::5], y[::5] + 0.05 * torch.randn(60), s=6)
ax.set_title(f"frequency {p.frequency}, damping {p.damping}")
publish.value("peak", float(y.abs().max()))
"""

POST = """\
---
date: 2024-01-01
---

# A figure to scrub

The peak of the wave is {value}`wave.py:peak:.2f`.

<!-- more -->

```snippet
file: wave.py
id: wave
vary:
  frequency: [1.0, 2.0, 3.0, 4.0]
  damping: [0.1, 0.2, 0.4, 0.8]
default: {frequency: 2.0, damping: 0.2}
caption: "A damped wave; its peak is {value}`peak:.2f`."
source: collapsed
```
"""


@dataclass(frozen=True)
class ScrubSite:
    root: Path

    @property
    def config(self) -> Path:
        return self.root / "ours.yml"

    @property
    def cache(self) -> Path:
        return self.root / ".cache" / "ours"


def generate(dest: Path) -> ScrubSite:
    if dest.exists():
        shutil.rmtree(dest)
    snippets = dest / "snippets"
    snippets.mkdir(parents=True)
    (snippets / "wave.py").write_text(SNIPPET, encoding="utf-8")
    for helper in ("vary.py", "publish.py"):
        shutil.copy(HELPERS / helper, snippets / helper)
    posts = dest / "docs" / "blog" / "posts"
    posts.mkdir(parents=True)
    (dest / "docs" / "index.md").write_text("# Scrub\n\nOne post.\n", encoding="utf-8")
    (dest / "docs" / "blog" / "index.md").write_text("# Blog\n", encoding="utf-8")
    (posts / "wave.md").write_text(POST, encoding="utf-8")
    base = mkconfig.generated_blog("A scrubbable figure")
    options = {"cache_dir": ".cache/ours", "validate_posts": False}
    site = ScrubSite(dest)
    plugins = [*base["plugins"], {mkconfig.SITE_TOOLS: options}]
    mkconfig.write(site.config, None, **{**base, "plugins": plugins})
    return site


def page_bytes(out: Path) -> dict[str, int]:
    """The post page's bytes as built in ``out``, and what moving one control adds."""
    page = next(path for path in out.glob("blog/20*/**/index.html"))
    html = page.read_text(encoding="utf-8")
    figure = BeautifulSoup(html, "lxml").select_one("figure[data-st-scrub]")
    links = json.loads(figure["data-st-scrub"])["variants"]
    sizes = sorted((out / link).stat().st_size for link in links.values())  # named from the site's root
    return {
        "page_html": len(html.encode()),
        "one_variant": sizes[len(sizes) // 2],  # the median variant file: one move of a control
        "all_variants": sum(sizes),
        "variants": len(sizes) + 1,
    }
