"""Fixtures for the browser tests: Debian's Chromium, the built site on 127.0.0.1, page weights.

The session's browser, built site and its server (``browser``, ``site_dir``, ``site_url``) are in
tests/conftest.py, shared with tests/readers. Without /usr/bin/chromium the tests skip with the
reason, unless SITE_TOOLS_REQUIRE_BROWSER=1 (set by .ci/run under CI), which turns a missing browser
into a failure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.browser.browser_support import PageLoad, content_links, serve
from tests.scrub.conftest import scrub_site


@pytest.fixture(scope="session")
def scrub_dir(tmp_path_factory: pytest.TempPathFactory, browser: Browser) -> Path:
    """tests/scrub's fixture site, built once for tests/browser/test_scrub*.py (none changes it)."""
    site = scrub_site(tmp_path_factory.mktemp("scrub-browser") / "site")
    run = site.build()
    assert run.returncode == 0, run.log
    return site.root / "site"


@pytest.fixture(scope="session")
def scrub_origin(scrub_dir: Path) -> Iterator[str]:
    url, stop = serve(scrub_dir)
    yield url
    stop()


# Page weights measured by the tests, printed in the terminal summary of every run.
PAGE_WEIGHTS: dict[str, int] = {}


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh profile per test (empty cache and storage), light system preference, desktop."""
    fresh = browser.new_context(color_scheme="light", viewport={"width": 1280, "height": 900})
    yield fresh
    fresh.close()


@pytest.fixture
def open_page(context: BrowserContext, site_url: str) -> Callable[[str], tuple[Page, PageLoad]]:
    """Open a site path in a new tab, watched from its first request to network idle."""

    def opener(path: str) -> tuple[Page, PageLoad]:
        page = context.new_page()
        load = PageLoad(site_url)
        load.watch(page)
        page.goto(site_url + "/" + path.lstrip("/"), wait_until="networkidle")
        return page, load

    return opener


@pytest.fixture(scope="session")
def blog_index(browser: Browser, site_url: str) -> dict[str, list[tuple[str, str]]]:
    """The links of the blog index and of each page its pagination leads to, by page URL."""
    context = browser.new_context()
    page = context.new_page()
    pages: dict[str, list[tuple[str, str]]] = {}
    queue = [f"{site_url}/blog/"]
    while queue:
        url = queue.pop(0)
        if url in pages:
            continue
        page.goto(url)
        pages[url] = content_links(page)
        queue += page.eval_on_selector_all(".md-pagination a[href]", "els => els.map(a => a.href)")
    context.close()
    return pages


@pytest.fixture(scope="session")
def post_urls(blog_index: dict[str, list[tuple[str, str]]]) -> dict[str, str]:
    """Post title -> URL, as the blog index links them."""
    return {text: href for links in blog_index.values() for text, href in links}


@pytest.fixture(scope="session")
def page_weights() -> dict[str, int]:
    return PAGE_WEIGHTS


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print each post page's total bytes (HTML and every response), so every run shows it."""
    if not PAGE_WEIGHTS:
        return
    terminalreporter.section("post page weight (HTML + all responses, uncompressed)")
    width = max(len(path) for path in PAGE_WEIGHTS)
    for path, size in sorted(PAGE_WEIGHTS.items()):
        terminalreporter.write_line(f"{path:<{width}}  {size / 1000:8.1f} kB")
