"""The box a figure's drawing sits in: it has the drawing's size before the drawing is laid out.

A post's figures are most of its page: thousands of SVG elements that the browser would style and
lay out before the reader sees the first paragraph (Lighthouse measured 1.3 s of style and layout on
the longest post, most of it for figures far below the fold). The box says how large its drawing is
(its width, and its height through ``aspect-ratio``), so ``content-visibility: auto`` can skip a
drawing until it nears the screen without the page jumping when it is drawn. Find in page, print,
zoom and the accessibility tree still reach a skipped drawing; nothing waits for JavaScript.

In the page: ``<div class="st-fig-box" style="width:Wpx;aspect-ratio:W/H">DRAWING</div>``, the first
child of ``figure.st-figure`` (or of a scrubbable figure's ``.st-scrub-view``). Scripts find a
figure's drawing as ``.st-fig-box > svg``.
"""

from __future__ import annotations

from site_tools.engine.figures.size import natural_size

CLASS = "st-fig-box"

CSS = """\
/* site-tools: a figure's drawing waits off screen in a box of its size (site_tools/render/figure_box.py) */
.md-typeset .st-fig-box { max-width: 100%; content-visibility: auto; }
.md-typeset .st-fig-box > svg { display: block; }
@media print { .md-typeset .st-fig-box { content-visibility: visible; } }
"""


def boxed(drawing: str, svg: str) -> str:
    """``drawing`` (the themed figure, or the marker standing for it) in a box sized from ``svg``."""
    size = natural_size(svg)
    if size is None:  # no size to reserve: the drawing is laid out as it comes
        return f'<div class="{CLASS}" style="content-visibility:visible">{drawing}</div>'
    width, height = size
    return (
        f'<div class="{CLASS}" style="width:{width:.6g}px;aspect-ratio:{width:.6g}/{height:.6g}">'
        f"{drawing}</div>"
    )
