"""Issue 19: the execution report reads well at 1280 and 390 px and shows where the build's time went.

At 1280 px its page-path column wrapped letter by letter and the table ran off the right edge,
hiding the *Ran on* column; at 390 px it was unusable.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

REPORT = "/execution-report/"
# For each path cell (snippet, page): its text and how many lines the text takes.
PATH_CELLS_JS = """
() => [...document.querySelectorAll('.md-content table tbody tr')].map((row) => {
  const cells = [...row.cells].slice(0, 2).map((cell) => cell.querySelector('.st-path') || cell);
  return cells.map((cell) => {
    const tops = new Set();
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const rect of range.getClientRects()) if (rect.width > 0) tops.add(Math.round(rect.top));
    }
    return {text: cell.textContent.trim(), lines: tops.size};
  });
}).flat()
"""

# Scrolls the table's nearest sideways-scrolling box to its right end; false if there is none.
SCROLL_TO_END_JS = """
(table) => {
  for (let box = table.parentElement; box; box = box.parentElement) {
    const style = getComputedStyle(box).overflowX;
    if (box.scrollWidth > box.clientWidth && (style === 'auto' || style === 'scroll')) {
      box.scrollLeft = box.scrollWidth;
      return true;
    }
  }
  return false;
}
"""


def _open(browser: Browser, site_url: str, width: int) -> Page:
    context = browser.new_context(color_scheme="light", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(site_url + REPORT, wait_until="networkidle")
    return page


def _header_box(page: Page, name: str) -> dict:
    box = page.locator(".md-content table thead th", has_text=name).bounding_box()
    assert box is not None, f"no column {name!r}"
    return box


def _words_per_line_ok(page: Page) -> list[str]:
    """Path cells that wrap into more lines than their words allow (letter-by-letter wrapping)."""
    bad = []
    for cell in page.evaluate(PATH_CELLS_JS):
        words = cell["text"].replace("/", "/ ").replace("-", "- ").split()
        if cell["lines"] > max(2, len(words) // 2 + 1) or cell["lines"] > 6:
            bad.append(f"{cell['text']!r} takes {cell['lines']} lines")
    return bad


@pytest.mark.parametrize("width", [1280, 390])
def test_the_report_reads_well(browser: Browser, site_url: str, width: int) -> None:
    page = _open(browser, site_url, width)
    try:
        assert _words_per_line_ok(page) == []
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the page itself scrolls sideways by {overflow} px"
        ran_on = _header_box(page, "Ran on")
        if width >= 1280:  # every column in view, no scrolling
            assert ran_on["x"] + ran_on["width"] <= width, ran_on
        else:  # the table scrolls in its own box, and its last column comes into view
            scrolled = page.locator(".md-content table").evaluate(SCROLL_TO_END_JS)
            assert scrolled, "the table is wider than the screen, and nothing scrolls it"
            ran_on = _header_box(page, "Ran on")
            assert ran_on["x"] >= 0 and ran_on["x"] + ran_on["width"] <= width, ran_on
        font = page.evaluate(
            "() => parseFloat(getComputedStyle(document.querySelector('.md-content table td')).fontSize)"
        )
        assert font >= 11, f"table text is {font} px"
    finally:
        page.context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_report_charts_each_snippets_run_time(browser: Browser, site_url: str, width: int) -> None:
    page = _open(browser, site_url, width)
    try:
        chart = page.locator("svg.st-runtime-chart")
        assert chart.count() == 1
        bars = chart.locator("rect")
        rows = page.locator(".md-content table tbody tr").count()
        assert 2 <= bars.count() <= rows  # one bar per snippet result
        widths = [bars.nth(i).bounding_box()["width"] for i in range(bars.count())]
        assert widths == sorted(widths, reverse=True) and widths[-1] > 0
        chart_box = chart.bounding_box()
        assert chart_box["width"] <= width and widths[0] == pytest.approx(chart_box["width"], abs=1)
        labels = chart.locator("text")
        heights = [labels.nth(i).bounding_box()["height"] for i in range(labels.count())]
        assert min(heights) >= 10, heights  # readable at both widths
        for i in range(labels.count()):  # no label runs out of the chart
            box = labels.nth(i).bounding_box()
            assert box["x"] + box["width"] <= chart_box["x"] + chart_box["width"] + 1
        fill = bars.first.evaluate("(bar) => getComputedStyle(bar).fill")
        assert fill not in ("rgb(0, 0, 0)", "none"), fill  # themed by the stylesheet
    finally:
        page.context.close()
