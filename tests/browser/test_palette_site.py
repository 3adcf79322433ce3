"""Material's palette toggle on the real site: figures follow it, keep contrast, and it persists."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.browser_support import (
    ARTIFACTS,
    FIGURES,
    MIN_FIGURES_PER_POST,
    Post,
    contrast_failures,
    figure_colours,
    post_path,
    published_posts,
)

pytestmark = pytest.mark.browser

POSTS = published_posts()
SCREENSHOTS = ARTIFACTS / "screenshots"
TOGGLE = 'label[for^="__palette"]:visible'


def scheme(page: Page) -> str:
    return page.evaluate("() => document.body.getAttribute('data-md-color-scheme')")


def toggle_palette(page: Page) -> str:
    """Click the header's palette toggle and wait until the body's scheme has changed."""
    before = scheme(page)
    page.locator(TOGGLE).first.click()
    page.wait_for_function(
        "(s) => document.body.getAttribute('data-md-color-scheme') !== s", arg=before
    )
    return scheme(page)


def text_colours(page: Page) -> set[str]:
    return {m[2] for f in figure_colours(page) for m in f["marks"] if m[0] == "text"}


def test_switching_palette_recolours_figures_and_persists(
    browser: Browser, site_url: str, post_urls: dict[str, str]
) -> None:
    assert POSTS, "no published post to look at"
    first = post_path(POSTS[0], post_urls)
    second = post_path(POSTS[-1], post_urls)
    context = browser.new_context(color_scheme="light")
    page = context.new_page()
    page.goto(site_url + first, wait_until="networkidle")
    assert scheme(page) == "default"
    assert page.locator(FIGURES).count() >= MIN_FIGURES_PER_POST, "no computed figures on the page"
    light = figure_colours(page)
    assert toggle_palette(page) == "slate"
    dark = figure_colours(page)
    assert [f["marks"] for f in dark] != [f["marks"] for f in light]
    assert text_colours(page).isdisjoint(
        {m[2] for f in light for m in f["marks"] if m[0] == "text"}
    )
    dark_text = text_colours(page)
    page.goto(site_url + second, wait_until="networkidle")  # a full load, not a client swap
    assert scheme(page) == "slate", "the palette choice did not persist to the next page"
    assert text_colours(page) == dark_text
    context.close()


@pytest.mark.parametrize("post", POSTS, ids=lambda p: p.slug)
def test_contrast_in_both_palettes_with_screenshots(
    post: Post, browser: Browser, site_url: str, post_urls: dict[str, str]
) -> None:
    """Check computed colours against each figure's background; keep a full-page screenshot."""
    context = browser.new_context(color_scheme="light", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site_url + post_path(post, post_urls), wait_until="networkidle")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    failures = {}
    for name in ("light", "dark"):
        if name == "dark":
            assert toggle_palette(page) == "slate"
        page.screenshot(path=SCREENSHOTS / f"{post.slug}-{name}.png", full_page=True)
        figures = figure_colours(page)
        assert len(figures) >= MIN_FIGURES_PER_POST, f"{len(figures)} figures"
        failures[name] = contrast_failures(figures)
    context.close()
    assert failures == {"light": [], "dark": []}
