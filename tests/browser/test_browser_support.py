"""The checks the site tests rely on must catch what they are for: a page made here breaks them all."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser.browser_support import (
    PageLoad,
    contrast_failures,
    figure_colours,
    headings_problems,
    serve,
)

pytestmark = pytest.mark.browser

BROKEN = """<!doctype html><html><head><meta charset=utf-8><title>broken</title></head><body>
<h1>One</h1><h3>skips a level</h3><h1>Two</h1>
<figure class="st-figure"><svg id="f-svg" viewBox="0 0 10 10" width="10" height="10"
  style="--st-bg:#ffffff;--st-ink-1:#dddddd">
  <path d="M0 0h10v10H0z" style="fill:var(--st-bg)"/>
  <path d="M0 0L10 10" style="stroke:var(--st-ink-1)"/></svg></figure>
<img src="http://example.invalid/pixel.png" alt="">
<script>console.error("boom"); fetch("missing.json");</script>
</body></html>"""


def test_checks_catch_a_broken_page(browser: Browser, tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(BROKEN, encoding="utf-8")
    origin, stop = serve(tmp_path)
    context = browser.new_context()
    try:
        page = context.new_page()
        load = PageLoad(origin)
        load.watch(page)
        page.goto(origin + "/", wait_until="networkidle")
        problems = "\n".join(load.problems())
        assert "console error: boom" in problems
        assert "missing.json (HTTP 404)" in problems
        assert "leaving 127.0.0.1: http://example.invalid/pixel.png" in problems
        assert load.total_bytes >= len(BROKEN.encode())
        assert headings_problems(page) == [
            "2 h1 elements: ['One', 'Two']",
            "h3 'skips a level' follows h1",
        ]
        failures = contrast_failures(figure_colours(page))
        assert len(failures) == 1 and "#dddddd on #ffffff" in failures[0]
    finally:
        context.close()
        stop()
