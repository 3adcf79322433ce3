"""The box a figure's drawing sits in, the one place scripts and styles find a figure's drawing.

In the page: ``<div class="st-fig-box">DRAWING</div>``, the first child of ``figure.st-figure`` (or of
a scrubbable figure's ``.st-scrub-view``). DRAWING is the figure's ``<picture>`` of drawing files
(``render/figure_files.py``): its ``<img>`` and ``<source>`` say each drawing's width and height, so
the page keeps the figure's place before the file arrives (no layout shift) and an image below the
fold is fetched and decoded only as the reader nears it, off the page's main work (issue 27: the
inline SVGs cost the longest post 1.3 s of style and layout before the first paragraph showed).
Zoom moves the drawing out of its box and back; a variant of a scrubbable figure replaces it.
"""

from __future__ import annotations

from site_tools.render.figure_files import PHONE_MEDIA

CLASS = "st-fig-box"

CSS = f"""\
/* site-tools: the box of a figure's drawing (site_tools/render/figure_box.py) */
.md-typeset .st-fig-box {{ max-width: 100%; }}
.md-typeset .st-fig-box > svg {{ display: block; }}
/* A notebook's page (mkdocs-jupyter) on a phone: a figure gets the column's width, as in a post (no
   notebook padding, no "Out" prompt beside it), so its phone drawing shows at its own size. */
@media {PHONE_MEDIA} {{
  .md-typeset .jupyter-wrapper :is(.jp-Notebook, .jp-Cell) {{ padding-inline: 0; }}
  .md-typeset .jupyter-wrapper .jp-OutputArea-child:has(.st-figure) > .jp-OutputPrompt {{ display: none; }}
}}
"""


def box(drawing: str) -> str:
    """``drawing`` (a figure's picture, or the marker standing for it) in its box."""
    return f'<div class="{CLASS}">{drawing}</div>'
