"""How long a reader waits when one control moves every linked figure of a real post (issue 29: within
50 ms of the input event, once the variants are loaded).

In Debian's Chromium, driven by Playwright: the post is opened, every value of the range control
that moves the most figures is chosen once (so each variant and drawing is fetched and checked),
then the control steps back and forth between two values; each switch is timed with
``performance.now()`` from the ``input`` event to the moment the last linked figure shows its new
variant (a ``MutationObserver`` on ``data-st-variant``). The caller serves the site (``make bench``
uses the Lighthouse part's server) and passes the post's URL.
"""

from __future__ import annotations

import os
import statistics

CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
GOAL_MS = 50.0

# The range control's name that the most figures share: the one that moves the most.
_BUSIEST = """() => {
  const names = [...document.querySelectorAll('figure[data-st-scrub] input[type=range]')].map((r) => r.name);
  return names.sort((a, b) => names.filter((n) => n === b).length - names.filter((n) => n === a).length)[0];
}"""
# Step the first range control of that name to `value` and resolve with the milliseconds until every
# figure linked to it shows its new variant (null if `value` is the choice already).
_SWITCH = """async ([name, value]) => {
  const range = document.querySelector(`figure[data-st-scrub] input[type=range][name="${name}"]`);
  if (range.value === String(value)) { return null; }
  const linked = [...document.querySelectorAll('figure[data-st-scrub]')].filter(
    (f) => f.querySelector(`input[type=range][name="${name}"]`));
  const swapped = (f) => new Promise((done) => new MutationObserver((m, o) => {
    o.disconnect(); done(performance.now()); }).observe(f, {attributeFilter: ['data-st-variant']}));
  const all = Promise.all(linked.map(swapped));
  const start = performance.now();
  range.value = String(value);
  range.dispatchEvent(new Event('input', {bubbles: true}));
  const ends = await all;
  range.dispatchEvent(new Event('change', {bubbles: true}));
  return {ms: Math.max(...ends) - start, figures: linked.length};
}"""
_STEPS = '(name) => Number(document.querySelector(`input[type=range][name="${name}"]`).max)'
_SETTLED = "() => !document.querySelector('figure[aria-busy]')"


def measure(url: str, *, switches: int = 21) -> dict:
    """Every switch's milliseconds on the post at ``url`` (its range control shared by the most
    figures), their median and maximum, the goal."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROME, args=["--headless", "--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(url, wait_until="networkidle")
            name = page.evaluate(_BUSIEST)
            last = int(page.evaluate(_STEPS, name))
            for value in [*range(last, -1, -1), *range(1, last + 1)]:  # every variant fetched and checked
                page.evaluate(_SWITCH, [name, value])
                page.wait_for_function(_SETTLED)
            times, figures = [], 0
            for i in range(switches):
                page.wait_for_timeout(50)  # a reader's pace, not a burst
                step = page.evaluate(_SWITCH, [name, last - 1 if i % 2 == 0 else last])
                times.append(step["ms"])
                figures = step["figures"]
        finally:
            browser.close()
    median = statistics.median(times)
    return {
        "url": url,
        "figures": figures,
        "ms": [round(t, 1) for t in times],
        "median_ms": round(median, 1),
        "max_ms": round(max(times), 1),
        "goal_ms": GOAL_MS,
        "met": median <= GOAL_MS,
    }
