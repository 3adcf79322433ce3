"""Issue 19: figures a phone reader can read. At 390 px a two-panel figure shrank to the column, its
tick labels about 5 px tall, and nothing let the reader enlarge it; the Provenance line sat outside
the text column. Each figure now enlarges to the full screen and zooms (mouse, touch or keyboard),
still themed, fetching nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.browser_support import PageLoad, Post, post_path, published_posts

pytestmark = pytest.mark.browser

POSTS = published_posts()
PHONE = {"width": 390, "height": 844}
MIN_TICK_PX = 9
# Heights (px, as shown) of the tick labels of the figure SVG under ``root``; for a figure without
# ticks (a grid of images), of its other text (titles, labels).
TICKS_JS = """
(root) => {
  const ticks = root.querySelectorAll('svg g[id*="tick_"] g[id*="-text_"]');
  const labels = ticks.length ? ticks : root.querySelectorAll('svg g[id*="-text_"]');
  return [...labels].map((label) => label.getBoundingClientRect().height).filter((h) => h > 0);
}
"""


@pytest.fixture
def phone(browser: Browser, site_url: str) -> Iterator[tuple[Page, PageLoad]]:
    context = browser.new_context(viewport=PHONE, color_scheme="light", has_touch=True, is_mobile=True)
    page = context.new_page()
    load = PageLoad(site_url)
    load.watch(page)
    yield page, load
    context.close()


def _open_post(page: Page, site_url: str, post: Post, post_urls: dict[str, str]) -> None:
    page.goto(site_url + post_path(post, post_urls), wait_until="networkidle")


def _ticks(page: Page, selector: str) -> list[float]:
    return page.locator(selector).evaluate(TICKS_JS)


@pytest.mark.parametrize("post", POSTS, ids=lambda p: p.slug)
def test_every_figure_enlarges_to_readable_ticks_and_back(
    phone: tuple[Page, PageLoad], site_url: str, post: Post, post_urls: dict[str, str]
) -> None:
    page, load = phone
    _open_post(page, site_url, post, post_urls)
    figures = page.locator("figure.st-figure")
    assert figures.count() >= 1
    for index in range(figures.count()):
        figure = figures.nth(index)
        figure_id = figure.get_attribute("id")
        in_column = _ticks(page, f"#{figure_id}")
        button = figure.locator(".st-zoom-open")
        button.scroll_into_view_if_needed()
        button.tap()
        dialog = page.locator("dialog.st-zoom[open]")
        dialog.wait_for()
        box = dialog.bounding_box()
        assert (box["width"], box["height"]) == (PHONE["width"], PHONE["height"]), box  # the full screen
        enlarged = _ticks(page, "dialog.st-zoom")
        assert enlarged, f"{figure_id}: no text in the enlarged figure"
        assert min(enlarged) >= MIN_TICK_PX, f"{figure_id}: tick labels {min(enlarged):.1f} px tall"
        if in_column:
            assert min(enlarged) > min(in_column), (figure_id, in_column[:3], enlarged[:3])
        page.keyboard.press("Escape")
        page.wait_for_selector("dialog.st-zoom[open]", state="hidden")
        # Put back in its figure (a scrubbable figure's, in its view).
        back = f"#{figure_id} > svg, #{figure_id} > .st-scrub-view > svg"
        assert page.locator(back).count() == 1
        assert page.evaluate("() => document.activeElement.classList.contains('st-zoom-open')")
    assert load.problems() == []  # nothing fetched off the site, no error


def test_keyboard_zooms_and_closes(
    phone: tuple[Page, PageLoad], site_url: str, post_urls: dict[str, str]
) -> None:
    page, _ = phone
    _open_post(page, site_url, POSTS[-1], post_urls)
    button = page.locator("figure.st-figure .st-zoom-open").first
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("dialog.st-zoom[open]")
    start = min(_ticks(page, "dialog.st-zoom"))
    page.keyboard.press("+")
    page.keyboard.press("+")
    bigger = min(_ticks(page, "dialog.st-zoom"))
    assert bigger > start * 1.4
    page.keyboard.press("0")
    assert min(_ticks(page, "dialog.st-zoom")) == pytest.approx(start, rel=0.01)
    page.keyboard.press("-")
    assert min(_ticks(page, "dialog.st-zoom")) < start
    view = page.locator("dialog.st-zoom .st-zoom-view")
    page.keyboard.press("+")
    page.keyboard.press("+")
    page.keyboard.press("+")
    before = view.evaluate("(v) => v.scrollLeft")
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"() => document.querySelector('.st-zoom-view').scrollLeft > {before}")
    page.keyboard.press("Escape")
    page.wait_for_selector("dialog.st-zoom[open]", state="hidden")
    assert page.evaluate("() => document.activeElement.classList.contains('st-zoom-open')")


def test_the_enlarged_figure_keeps_the_palette(
    browser: Browser, site_url: str, post_urls: dict[str, str]
) -> None:
    colours = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(viewport=PHONE, color_scheme=scheme)
        page = context.new_page()
        _open_post(page, site_url, POSTS[-1], post_urls)
        page.locator("figure.st-figure .st-zoom-open").first.click()
        page.wait_for_selector("dialog.st-zoom[open]")
        colours[scheme] = page.evaluate(
            "() => [getComputedStyle(document.querySelector('dialog.st-zoom svg text')).fill,"
            " getComputedStyle(document.querySelector('dialog.st-zoom')).backgroundColor]"
        )
        context.close()
    assert colours["light"][0] != colours["dark"][0], colours  # the text follows the palette
    assert colours["light"][1] != colours["dark"][1], colours  # and so does the screen behind it


@pytest.mark.parametrize("post", POSTS[-1:], ids=lambda p: p.slug)
def test_the_provenance_line_aligns_with_the_text_column(
    phone: tuple[Page, PageLoad], site_url: str, post: Post, post_urls: dict[str, str]
) -> None:
    page, _ = phone
    _open_post(page, site_url, post, post_urls)
    column = page.locator(".md-content article > p").first.bounding_box()
    for summary in page.locator("details.st-provenance > summary").all():
        assert summary.bounding_box()["x"] == pytest.approx(column["x"], abs=1)
