"""CJK and emoji in a figure reach the reader as characters, never as placeholder boxes.

The figure is made as the worker makes it (matplotlib's default font lacks these characters, so
the text stays SVG text), themed like every figure, and shown by Chromium; each character of
each text element is drawn on a canvas in that element's font and compared with the box Chromium
draws for a code point no font has. CI installs the Noto CJK and emoji fonts (.ci/run).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest
from playwright.sync_api import Browser

from site_tools.engine.run.child import SVG_RC
from site_tools.engine.run.snippet_warnings import WarningRecorder, save_figure
from site_tools.render.svgtheme import render_inline_svg
from tests.browser.browser_support import serve

pytestmark = pytest.mark.browser

TITLE = "損失 📉"
LABEL = "エポック"

# For each character: is it drawn differently from a code point no font has (U+10FFFD, private
# use) and from nothing at all? Both in the font the browser computed for the text element.
_PLACEHOLDERS = """
(selector) => {
  const canvas = document.createElement("canvas");
  canvas.width = 64; canvas.height = 64;
  const ctx = canvas.getContext("2d", {willReadFrequently: true});
  const draw = (ch, font) => {
    ctx.clearRect(0, 0, 64, 64);
    ctx.font = font; ctx.fillStyle = "#000"; ctx.textBaseline = "middle";
    ctx.fillText(ch, 8, 32);
    return Array.from(ctx.getImageData(0, 0, 64, 64).data).join(",");
  };
  const found = [];
  for (const el of document.querySelectorAll(selector)) {
    const style = getComputedStyle(el);
    const font = `40px ${style.fontFamily}`;
    const box = draw("\\u{10FFFD}", font), empty = draw("", font);
    for (const ch of Array.from(el.textContent)) {
      if (ch.trim() === "") continue;
      const shape = draw(ch, font);
      if (shape === box || shape === empty) found.push(ch);
    }
  }
  return found;
}
"""


def _figure_page(folder: Path) -> Path:
    matplotlib.rcdefaults()
    matplotlib.rcParams.update(SVG_RC)
    fig, ax = plt.subplots()
    ax.plot([3, 2, 1])
    ax.set_title(TITLE)
    ax.set_xlabel(LABEL)
    recorder = WarningRecorder("snippets/glyphs.py", "/nonexistent", "/nonexistent")
    save_figure(fig, folder / "figure.svg", 1, recorder)
    plt.close(fig)
    assert any("missing glyphs" in text for text in recorder.texts)
    inline = render_inline_svg(
        (folder / "figure.svg").read_text(encoding="utf-8"), figure_id="fig-g", alt="A loss"
    )
    page = folder / "index.html"
    page.write_text(
        f'<!doctype html><html lang="en"><meta charset="utf-8"><title>glyphs</title>'
        f'<body><figure class="st-figure">{inline}</figure>'
        # A control the check must flag: U+0378 is unassigned, so no font draws it.
        '<svg id="control" width="80" height="40"><text x="0" y="30">a\u0378</text></svg></body></html>',
        encoding="utf-8",
    )
    return page


def test_cjk_and_emoji_in_a_figure_are_drawn_not_boxed(browser: Browser, tmp_path: Path) -> None:
    _figure_page(tmp_path)
    origin, stop = serve(tmp_path)
    assert origin.startswith("http://127.0.0.1:")
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{origin}/index.html", wait_until="load")
        texts = [
            text.strip()
            for text in page.eval_on_selector_all("figure svg text", "els => els.map(e => e.textContent)")
        ]
        assert TITLE in texts and LABEL in texts  # kept as text, for the browser to draw
        assert page.evaluate(_PLACEHOLDERS, "#control text") == ["\u0378"]  # the check sees a box
        boxed = page.evaluate(_PLACEHOLDERS, "figure svg text")
        assert boxed == [], f"drawn as placeholder boxes: {boxed}"
    finally:
        context.close()
        stop()
