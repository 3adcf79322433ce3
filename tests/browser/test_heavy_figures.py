"""A heavy figure drawn partly as pixels, in Chromium: the page shows a raster, and the figure's
axis text, still vector, changes colour with the palette (the raster keeps its own colours)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser.browser_support import css_hex, serve
from tests.heavy_figures import POST_PAGE, write_site
from tests.plugin.conftest import build_site

pytestmark = pytest.mark.browser

# The raster's size on screen, and the fill of the axis labels and tick labels (glyphs drawn as paths).
LOOK = """(svg) => {
  const image = svg.querySelector('image');
  const box = image.getBoundingClientRect();
  const texts = [...svg.querySelectorAll('[id*="text_"] path, [id*="text_"] use')];
  return {
    image: [box.width, box.height, image.getAttribute('href').slice(0, 22)],
    text: [...new Set(texts.map((el) => getComputedStyle(el).fill))],
  };
}"""
# The drawing the page's picture shows, with the palette its fragment asks for (render/figure_files.py).
DRAWING = "(img) => (img.currentSrc || img.src).split('#')[0] + '#' + img.src.split('#')[1]"


@pytest.fixture(scope="module")
def blog_url(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    built = build_site(write_site(tmp_path_factory.mktemp("blog")))
    assert built.returncode == 0, built.log[-4000:]
    origin, stop = serve(Path(built.site))
    yield origin
    stop()


def test_the_raster_shows_and_the_axis_text_follows_the_palette(browser: Browser, blog_url: str) -> None:
    seen = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(f"{blog_url}/{POST_PAGE}", wait_until="networkidle")
        drawing = page.locator("figure.st-figure picture img").evaluate(DRAWING)
        scheme_now = page.evaluate("() => document.body.getAttribute('data-md-color-scheme')")
        page.goto(drawing)  # the file itself, as the image shows it
        seen[scheme] = {**page.locator(":root").evaluate(LOOK), "scheme": scheme_now}
        context.close()
    light, dark = seen["light"], seen["dark"]
    assert (light["scheme"], dark["scheme"]) == ("default", "slate")
    for look in (light, dark):
        width, height, href = look["image"]
        assert width > 300 and height > 200, look  # drawn, at the size of the axes
        assert href == "data:image/png;base64,"
        assert len(look["text"]) == 1, look  # one ink for all the text
    light_ink, dark_ink = css_hex(light["text"][0]), css_hex(dark["text"][0])
    assert light_ink != dark_ink
    assert int(light_ink[1:3], 16) < 0x80 < int(dark_ink[1:3], 16)  # dark ink on light, light on dark
