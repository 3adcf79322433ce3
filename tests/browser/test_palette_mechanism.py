"""The themed SVG under Material's real stylesheets in Chromium, without building the site.

Checks the mechanism itself (CSS variables switching with ``data-md-color-scheme``, contrast on
computed colours, no style leaking out of a figure, responsive size) on a page made here.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import material
import matplotlib
import pytest
from playwright.sync_api import Browser, Page

from site_tools.render.svgtheme import BACKGROUND, colour_roles, render_inline_svg
from tests.browser.browser_support import contrast_failures, css_hex, figure_colours

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np

pytestmark = pytest.mark.browser

MATERIAL_CSS = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"


def _figure_svgs() -> list[str]:
    """A line plot with legend (glyph paths) and a bar chart (SVG text): ids collide."""
    svgs = []
    for fonttype in ("path", "none"):
        with matplotlib.rc_context({"svg.fonttype": fonttype, "svg.hashsalt": "same"}):
            fig, ax = plt.subplots(figsize=(4, 3))
            x = np.linspace(0, 6, 60)
            if fonttype == "path":
                for k in range(4):
                    ax.plot(x, np.sin(x + k), label=f"phase {k}")
                ax.legend()
            else:
                ax.bar(range(4), [3, 1, 2, 4], color=["#1f77b4", "#ff7f0e", "#2ca02c", "#000080"])
            ax.grid(True)
            ax.set_title("<script>document.title='owned'</script>")
            buffer = io.StringIO()
            fig.savefig(buffer, format="svg", metadata={"Date": None})
            plt.close(fig)
            svgs.append(buffer.getvalue())
    return svgs


@pytest.fixture(scope="module")
def themed() -> list[str]:
    return [
        render_inline_svg(svg, figure_id=f"fig-{n}", alt=f"Figure {n} <script>")
        for n, svg in enumerate(_figure_svgs())
    ]


@pytest.fixture
def page(browser: Browser, themed: list[str], tmp_path: Path) -> Iterator[Page]:
    for pattern, name in (("main.*.min.css", "main.css"), ("palette.*.min.css", "palette.css")):
        shutil.copy(next(MATERIAL_CSS.glob(pattern)), tmp_path / name)
    figures = "".join(
        f'<figure class="st-figure" id="fig-{n}">{svg}<figcaption>Caption {n}</figcaption></figure>'
        for n, svg in enumerate(themed)
    )
    (tmp_path / "index.html").write_text(
        "<!doctype html><html><head><meta charset=utf-8><title>figures</title>"
        '<link rel="stylesheet" href="main.css"><link rel="stylesheet" href="palette.css"></head>'
        '<body data-md-color-scheme="default" data-md-color-primary="indigo">'
        '<article class="md-typeset">'
        f"{figures}"
        '<svg id="outside" viewBox="0 0 10 10" width="10"><path d="M0 0L10 10"/></svg>'
        "</article></body></html>",
        encoding="utf-8",
    )
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.goto((tmp_path / "index.html").as_uri())
    yield tab
    context.close()
    assert errors == []


def _scheme(page: Page, scheme: str) -> list[dict[str, object]]:
    page.evaluate("(s) => document.body.setAttribute('data-md-color-scheme', s)", scheme)
    return figure_colours(page)


def test_figures_follow_the_palette_with_contrast(page: Page, themed: list[str]) -> None:
    light, dark = _scheme(page, "default"), _scheme(page, "slate")
    assert [f["id"] for f in light] == ["fig-0-svg", "fig-1-svg"]
    for palette, figures in (("default", light), ("slate", dark)):
        assert contrast_failures(figures) == []
        for figure, fragment in zip(figures, themed, strict=True):
            assert css_hex(figure["background"]) == BACKGROUND[palette]  # Material's own bg
            # What the browser paints is what the Python side says the palette holds.
            painted = {css_hex(value) for _, _, value in figure["marks"]}
            expected = {colour for colour, _ in colour_roles(fragment, palette)}
            assert painted == expected, palette
            assert any(kind == "text" for kind, _, _ in figure["marks"])
    for before, after in zip(light, dark, strict=True):
        text_before = {m[2] for m in before["marks"] if m[0] == "text"}
        text_after = {m[2] for m in after["marks"] if m[0] == "text"}
        assert text_before and text_after and not text_before & text_after


def test_nothing_leaks_out_of_a_figure(page: Page) -> None:
    assert page.title() == "figures"  # the <script> in a title and in alt never ran
    assert page.locator("script").count() == 0
    outside = page.evaluate(
        "() => getComputedStyle(document.querySelector('#outside path')).strokeLinejoin"
    )
    inside = page.evaluate(
        "() => getComputedStyle(document.querySelector('#fig-0-svg path')).strokeLinejoin"
    )
    assert (outside, inside) == ("miter", "round")


@pytest.mark.parametrize("width", [1280, 390, 250])
def test_figures_scale_with_the_column(page: Page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    for n in range(2):
        box = page.locator(f"#fig-{n}-svg").bounding_box()
        assert box is not None
        column = page.evaluate("() => document.querySelector('article').clientWidth")
        # Natural size (288 pt = 384 px) when it fits, else the column's width.
        assert box["width"] == pytest.approx(min(384, column), abs=0.5)
        assert box["height"] == pytest.approx(box["width"] * 216 / 288, abs=1)
    assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth")
