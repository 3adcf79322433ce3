"""The built site in Chromium: every post listed, loading cleanly, light, accessible, phone-safe."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.browser_support import (
    FIGURES,
    MAX_PAGE_BYTES,
    MIN_FIGURES_PER_POST,
    PageLoad,
    Post,
    content_links,
    headings_problems,
    post_path,
    published_posts,
)

pytestmark = pytest.mark.browser

POSTS = published_posts()
Opener = Callable[[str], tuple[Page, PageLoad]]


def test_there_are_posts() -> None:
    assert POSTS, "docs/blog/posts holds no published post"


def test_blog_index_lists_every_post(post_urls: dict[str, str]) -> None:
    missing = [post.title for post in POSTS if post.title not in post_urls]
    assert missing == [], f"posts missing from the blog index: {missing}"


def test_home_page_lists_every_post(open_page: Opener, post_urls: dict[str, str]) -> None:
    page, _ = open_page("/")
    linked = {href for _, href in content_links(page)}
    missing = [p.title for p in POSTS if post_urls.get(p.title) not in linked]
    assert missing == [], f"posts the home page does not link to: {missing}"


@pytest.mark.parametrize("post", POSTS, ids=lambda p: p.slug)
def test_post_page_loads_cleanly(
    post: Post, open_page: Opener, post_urls: dict[str, str], page_weights: dict[str, int]
) -> None:
    """No console error, no failed or foreign request, figures shown, under the weight budget."""
    path = post_path(post, post_urls)
    page, load = open_page(path)
    page_weights[path] = load.total_bytes
    assert load.problems() == []
    assert load.total_bytes <= MAX_PAGE_BYTES, f"{path}: {load.total_bytes} bytes"
    figures = page.locator(FIGURES)
    count = figures.count()
    assert count >= MIN_FIGURES_PER_POST, f"{path}: {count} figures, expected computed figures"
    for index in range(count):
        figure = figures.nth(index)
        figure.scroll_into_view_if_needed()
        box = figure.bounding_box()
        assert figure.is_visible() and box and box["width"] > 0 and box["height"] > 0, index


@pytest.mark.parametrize("post", POSTS, ids=lambda p: p.slug)
def test_post_figures_have_alt_text(
    post: Post, open_page: Opener, post_urls: dict[str, str]
) -> None:
    page, _ = open_page(post_path(post, post_urls))
    alts = page.eval_on_selector_all(FIGURES, "els => els.map((img) => img.getAttribute('alt') || '')")
    assert len(alts) >= MIN_FIGURES_PER_POST
    assert all(alt.strip() for alt in alts), alts


def _site_pages(post_urls: dict[str, str]) -> list[str]:
    return ["/", "/blog/"] + [post_path(post, post_urls) for post in POSTS]


def test_headings_in_order_with_one_h1(open_page: Opener, post_urls: dict[str, str]) -> None:
    problems = {}
    for path in _site_pages(post_urls):
        page, _ = open_page(path)
        if found := headings_problems(page):
            problems[path] = found
        page.close()
    assert problems == {}


def test_no_horizontal_scroll_on_a_phone(
    browser: Browser, site_url: str, post_urls: dict[str, str]
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    too_wide = {}
    for path in _site_pages(post_urls):
        page.goto(site_url + path, wait_until="networkidle")
        widths = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
        if widths[0] > widths[1]:
            too_wide[path] = widths
    context.close()
    assert too_wide == {}, "scrollWidth > innerWidth at 390 px"
