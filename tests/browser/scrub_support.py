"""The scrub fixture site in Chromium, shared by tests/browser/test_scrub.py and test_scrub_linked.py:
a page opened at a width with its loads watched, and its problems once its requests have ended."""

from __future__ import annotations

from playwright.sync_api import Browser, Page

from tests.browser.browser_support import PageLoad


def open_page(browser: Browser, origin: str, path: str, width: int = 1280) -> tuple[Page, PageLoad]:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    load = PageLoad(origin)
    load.watch(page)
    page.goto(origin + path, wait_until="networkidle")
    return page, load


def settled_problems(page: Page, load: PageLoad) -> list[str]:
    """The page's problems once its requests have ended (variants fetched ahead may be in flight)."""
    page.wait_for_load_state("networkidle")
    return load.problems()
