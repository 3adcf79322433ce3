"""A third-party blog with a heavy figure builds strictly: the figure is drawn with its dense artists
as pixels, an INFO notice says so with the sizes, and each of its drawing files is under the budget."""

from __future__ import annotations

import base64
import io
import re

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from site_tools.render.budgets import FIGURE_BUDGET_KB
from tests.heavy_figures import POST_LINE, POST_PAGE, write_site
from tests.plugin.conftest import Build, build_site


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Build:
    return build_site(write_site(tmp_path_factory.mktemp("blog")))


def test_the_heavy_figure_fits_the_default_budget_and_the_strict_build_passes(built: Build) -> None:
    assert built.returncode == 0, built.log[-4000:]
    assert (built.counts["executed"], built.counts["failed"]) == (1, 0)
    [notice] = [line for line in built.log.splitlines() if "figure_budget_kb" in line]
    assert re.search(
        rf"INFO\s+-\s+site_tools: notice: {POST_LINE}: snippets/moons\.py: figure 1 was [\d.]+ KiB of "
        r"inline SVG, over the figure budget of 512 KiB .* now fits at [\d.]+ KiB",
        notice,
    ), notice
    before, after = (float(size) for size in re.findall(r"([\d.]+) KiB", notice)[::2])
    assert before > FIGURE_BUDGET_KB > after


def drawings(built: Build) -> list[BeautifulSoup]:
    """The heavy figure's drawing files, as the page links them: the wide one, then the phone one."""
    page_file = built.site / POST_PAGE
    page = BeautifulSoup(page_file.read_text(encoding="utf-8"), "lxml")
    [picture] = page.select("figure.st-figure picture")
    links = [picture.img["src"], *(source["srcset"] for source in picture.select("source"))]
    return [BeautifulSoup((page_file.parent / link).read_text(encoding="utf-8"), "xml") for link in links]


def test_the_page_holds_pixels_for_the_dense_artists_and_vectors_for_the_rest(built: Build) -> None:
    found = drawings(built)
    assert len(found) == 2  # the wide drawing and the phone drawing, each fitted on its own
    for drawing in found:
        assert len(str(drawing).encode()) < FIGURE_BUDGET_KB * 1024
        [image] = drawing.find_all("image")  # the contours and the scatter, one picture
        assert image["href"].startswith("data:image/png;base64,")
        assert drawing.select("[id*='text_']"), "the title and tick labels are no longer vectors"
        assert drawing.select("[id*='xtick_']") and drawing.select("[id*='ytick_']")


def test_the_pixels_are_at_least_twice_the_figure_s_css_pixels(built: Build) -> None:
    for drawing in drawings(built):
        svg = drawing.svg
        [image] = svg.find_all("image")
        css_px_per_unit = float(svg["width"].removesuffix("px")) / float(svg["viewBox"].split()[2])
        png = base64.b64decode(image["href"].split(",", 1)[1])
        with Image.open(io.BytesIO(png)) as picture:
            width, height = picture.size
        assert width >= 2 * float(image["width"]) * css_px_per_unit - 1
        assert height >= 2 * float(image["height"]) * css_px_per_unit - 1
