"""Issue 7, case 3: what a page must survive (50 MB printed, `<script>` printed or in a title), and
the memory cap leaving ordinary torch work alone."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from site_tools.engine.run.child import Job
from tests.robustness.support import POST, POST_URL, Run, Site, copy_site, embed, post_text

LINES, WIDTH = 50, 1 << 20
KEPT = next(f.default for f in fields(Job) if f.name == "output_limit")  # characters per cell
SNIPPETS = {
    "flood.py": f"for _ in range({LINES}):\n    print('x' * {WIDTH})\n",
    "script.py": (
        "import matplotlib.pyplot as plt\n\n"
        "plt.rcParams['svg.fonttype'] = 'none'  # the title as SVG text, not glyph paths\n"
        "plt.plot([1, 2])\n"
        "plt.title('<script>alert(1)</script>')\n"
        "print('<script>alert(2)</script>')\n"
    ),
    # Real torch work under the template's 512 MiB cap: the cap counts from the worker's size with
    # torch loaded (about 750 MiB of address space), so a fixed 512 MiB limit would fail here.
    "torch_work.py": (
        "import torch\n\n"
        "model = torch.nn.Sequential(torch.nn.Linear(64, 256), torch.nn.ReLU(), torch.nn.Linear(256, 1))\n"
        "optimizer = torch.optim.Adam(model.parameters())\n"
        "for _ in range(20):\n"
        "    optimizer.zero_grad()\n"
        "    loss = model(torch.randn(512, 64)).pow(2).mean()\n"
        "    loss.backward()\n"
        "    optimizer.step()\n"
        "product = torch.randn(1024, 1024) @ torch.randn(1024, 1024)\n"
        "print('torch work done', tuple(product.shape))\n"
    ),
}


@pytest.fixture(scope="module")
def built(warm_template: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Site, Run]:
    site = copy_site(warm_template, tmp_path_factory.mktemp("output") / "site")
    for name, code in SNIPPETS.items():
        site.write(f"snippets/{name}", code)
    body = embed("flood.py") + embed("script.py", caption="Escaped.") + embed("torch_work.py")
    site.write(POST, post_text(body))
    run = site.build()
    assert run.returncode == 0, run.log
    return site, run


def test_fifty_megabytes_of_output_are_truncated_with_a_note(built) -> None:
    site, run = built
    html = site.page(POST_URL)
    dropped = LINES * (WIDTH + 1) - KEPT
    note = f"[site_tools: output truncated: {dropped:,} more characters not shown]"
    soup = BeautifulSoup(html, "lxml")
    flood = next(block for block in soup.select(".st-stdout pre") if "xxxx" in block.get_text())
    assert flood.get_text().endswith(note)
    assert len(html) < 2 * KEPT + 200_000  # the page holds the kept part, not 50 MB
    assert len(run.log) < 20_000  # and the build log none of it


def test_script_in_stdout_and_figure_title_is_escaped(built) -> None:
    site, _ = built
    html = site.page(POST_URL)
    soup = BeautifulSoup(html, "lxml")
    assert not [tag for tag in soup.find_all("script") if "alert" in tag.get_text()]
    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html  # printed, shown as text
    # The figure's title, in each of its drawing files: text, never an element (and an SVG shown
    # through <img> runs no script anyway).
    titled = 0
    for picture in soup.select("figure.st-figure picture"):
        for element in picture.select("img, source"):
            link = element.get("src") or element.get("srcset")
            svg = BeautifulSoup((site.root / "site" / POST_URL / link).read_text(encoding="utf-8"), "xml")
            titles = [text.get_text() for text in svg.find_all("text") if "alert(1)" in text.get_text()]
            if titles:
                assert titles == ["<script>alert(1)</script>"] and not svg.find_all("script")
                titled += 1
    assert titled == 2  # the wide drawing and the phone drawing


def test_torch_work_runs_under_the_memory_cap(built) -> None:
    site, run = built
    assert "snippets/torch_work.py: ok" in run.log
    assert "torch work done (1024, 1024)" in site.page(POST_URL)
