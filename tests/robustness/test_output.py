"""Issue 7, case 3: output a page must survive: 50 MB printed, and `<script>` printed or in a title."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.robustness.support import POST, POST_URL, Run, Site, copy_site, embed, post_text

LINES, WIDTH, KEPT = 50, 1 << 20, 200_000  # KEPT: the engine's characters of output per cell
SNIPPETS = {
    "flood.py": f"for _ in range({LINES}):\n    print('x' * {WIDTH})\n",
    "script.py": (
        "import matplotlib.pyplot as plt\n\n"
        "plt.rcParams['svg.fonttype'] = 'none'  # the title as SVG text, not glyph paths\n"
        "plt.plot([1, 2])\n"
        "plt.title('<script>alert(1)</script>')\n"
        "print('<script>alert(2)</script>')\n"
    ),
}


@pytest.fixture(scope="module")
def built(warm_template: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Site, Run]:
    site = copy_site(warm_template, tmp_path_factory.mktemp("output") / "site")
    for name, code in SNIPPETS.items():
        site.write(f"snippets/{name}", code)
    site.write(POST, post_text(embed("flood.py") + embed("script.py", caption="Escaped.")))
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
    title = [text for text in soup.select("figure.st-figure svg text") if "alert(1)" in text.get_text()]
    assert title and title[0].get_text() == "<script>alert(1)</script>"  # the title, as text
