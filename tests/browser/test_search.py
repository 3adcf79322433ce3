"""Material's search box finds each post by a word only its body uses."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.browser_support import Post, published_posts, search_word

pytestmark = pytest.mark.browser

POSTS = published_posts()


@pytest.mark.parametrize("post", POSTS, ids=lambda p: p.slug)
def test_search_finds_post_by_a_body_word(post: Post, browser: Browser, site_url: str) -> None:
    word = search_word(post, POSTS)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site_url + "/", wait_until="networkidle")
    box = page.locator("input.md-search__input")
    box.click()  # in the header at desktop width
    box.press_sequentially(word)  # Material searches on key events, as a reader types
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible(timeout=10_000)
    titles = page.locator(".md-search-result__article h1")
    expect(titles.filter(has_text=post.title)).not_to_have_count(0, timeout=10_000)
    context.close()
