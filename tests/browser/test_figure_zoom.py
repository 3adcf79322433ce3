"""Issue 19: figures a phone reader can read. At 390 px a two-panel figure shrank to the column, its
tick labels about 5 px tall, and nothing let the reader enlarge it; the Provenance line sat outside
the text column. Each figure now enlarges to the full screen and zooms (mouse, touch or keyboard),
still themed, fetching nothing; since issue 28 a phone shows a figure's phone drawing, whose text is
readable at its drawn size, and Enlarge shows it at that size or larger."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page

from tests.browser.browser_support import PageLoad, Post, post_path, published_posts

pytestmark = pytest.mark.browser

POSTS = published_posts()
PHONE = {"width": 390, "height": 844}
# The scale (shown / drawn width) of the figure's image under ``root``: each drawing's text is at
# least 11 CSS px at its drawn size (engine/run/phone.py; figstyle's 9 pt ticks are 12 px).
SCALE_JS = """
(root) => {
  const img = root.querySelector('picture.st-drawing img');
  return img && img.naturalWidth ? img.getBoundingClientRect().width / img.naturalWidth : 0;
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


def _scale(page: Page, selector: str) -> float:
    return page.locator(selector).evaluate(SCALE_JS)


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
        in_column = _scale(page, f"#{figure_id}")
        button = figure.locator(".st-zoom-open")
        button.scroll_into_view_if_needed()
        button.tap()
        dialog = page.locator("dialog.st-zoom[open]")
        dialog.wait_for()
        box = dialog.bounding_box()
        assert (box["width"], box["height"]) == (PHONE["width"], PHONE["height"]), box  # the full screen
        enlarged = _scale(page, "dialog.st-zoom")
        assert in_column > 0 and enlarged > 0, f"{figure_id}: its drawing did not load"
        assert enlarged >= 1 and enlarged >= in_column, (figure_id, in_column, enlarged)  # drawn size or more
        page.keyboard.press("Escape")
        page.wait_for_selector("dialog.st-zoom[open]", state="hidden")
        # Put back in its figure's box (a scrubbable figure's, in its view).
        back = f"#{figure_id} .st-fig-box > picture"
        page.locator(back).wait_for(state="attached")  # on the dialog's close event
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
    start = _scale(page, "dialog.st-zoom")
    page.keyboard.press("+")
    page.keyboard.press("+")
    bigger = _scale(page, "dialog.st-zoom")
    assert bigger > start * 1.4
    page.keyboard.press("0")
    assert _scale(page, "dialog.st-zoom") == pytest.approx(1, rel=0.01)  # the drawn size
    page.keyboard.press("-")
    assert _scale(page, "dialog.st-zoom") < 1
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
        image = page.locator("dialog.st-zoom img")
        image.evaluate("(img) => img.decode()")
        with Image.open(io.BytesIO(image.screenshot())) as shot:
            corner = shot.convert("L").getpixel((2, 2))  # the drawing's own background
        background = page.evaluate(
            "() => getComputedStyle(document.querySelector('dialog.st-zoom')).backgroundColor"
        )
        colours[scheme] = (corner, background)
        context.close()
    # The drawing follows the palette (its file themes itself: render/figure_files.py)...
    assert colours["light"][0] > 200 and colours["dark"][0] < 80, colours
    assert colours["light"][1] != colours["dark"][1], colours  # ...and so does the screen behind it


@pytest.mark.parametrize("post", POSTS[-1:], ids=lambda p: p.slug)
def test_the_provenance_line_aligns_with_the_text_column(
    phone: tuple[Page, PageLoad], site_url: str, post: Post, post_urls: dict[str, str]
) -> None:
    page, _ = phone
    _open_post(page, site_url, post, post_urls)
    column = page.locator(".md-content article > p").first.bounding_box()
    for summary in page.locator("details.st-provenance > summary").all():
        assert summary.bounding_box()["x"] == pytest.approx(column["x"], abs=1)
