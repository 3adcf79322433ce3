"""Figures: each drawing's self-theming file made once per result (a derived store,
``render/figure_files.py``), and markers that stand for a figure's ``<picture>`` in a page.

A marker keeps a figure's markup out of what search, feeds and excerpts read; a host puts the figure
in where its HTML is final (MkDocs: ``on_post_page``; the Markdown extension: its stash).
"""

from __future__ import annotations

import re
from functools import lru_cache

from site_tools.engine.model import Figure
from site_tools.engine.store.cache import ResultCache
from site_tools.engine.store.derived import DerivedStore, code_version

FIGURE_PREFIX = "<!-- site-tools:figure:"
FIGURE_MARKER = FIGURE_PREFIX + "{} -->"
FIGURE_MARKER_RE = re.compile(re.escape(FIGURE_PREFIX) + r"\d+ -->")
THEMING_CODE = ("site_tools.engine.figures.svgtheme", "site_tools.engine.figures.palette")
FILE_CODE = (*THEMING_CODE, "site_tools.render.figure_files")


def figure_renderer(cache: ResultCache, key: str):
    """Themes the figures of result ``key`` through its derived store: each once, then only read."""
    store = DerivedStore(cache.derived_dir(key, "themed"), code_version(*THEMING_CODE), ".html")

    def render(svg: str, figure_id: str, alt: str) -> str:
        return _inline_figure(store, svg, figure_id, alt)

    return render


@lru_cache(maxsize=256)  # under a serving host every rebuild would read the same figures again
def _inline_figure(store: DerivedStore, svg: str, figure_id: str, alt: str) -> str:
    def make() -> str:
        from site_tools.render.svgtheme import render_inline_svg  # lxml: only when a figure is new

        return render_inline_svg(svg, figure_id=figure_id, alt=alt)

    return store.text((svg, figure_id, alt), make)


def figure_drawings(cache: ResultCache, key: str, figure: Figure):
    """The figure's wide drawing and its phone drawing (None without one) as files
    (``render/figure_files.Drawing``), themed once per result and then only read."""
    return _drawing(cache.derived_dir(key, "files"), figure.svg), (
        _drawing(cache.derived_dir(key, "files"), figure.phone_svg) if figure.phone_svg else None
    )


@lru_cache(maxsize=512)  # under a serving host every rebuild would read the same figures again
def _drawing(folder, svg: str):
    from site_tools.render.figure_files import Drawing, drawing_file, drawing_of  # lxml: when new

    store = DerivedStore(folder, code_version(*FILE_CODE), ".svg")
    content = store.text((svg,), lambda: drawing_file(svg).content)
    return drawing_of(content, svg) if content else Drawing("", "", 0, 0)


class FigureMarkers:
    """Markers handed out for themed figures, and the figures they stand for."""

    def __init__(self) -> None:
        self.figures: dict[str, str] = {}

    def marker(self, cache: ResultCache, key: str, svg: str, figure_id: str, alt: str) -> str:
        return self.add(figure_renderer(cache, key)(svg, figure_id, alt))

    def add(self, html: str) -> str:
        """A marker for ``html`` that Markdown must not read (a figure; the report's table)."""
        marker = FIGURE_MARKER.format(len(self.figures))
        self.figures[marker] = html
        return marker

    def insert(self, output: str) -> str:
        if FIGURE_PREFIX not in output:
            return output
        return FIGURE_MARKER_RE.sub(lambda m: self.figures.get(m.group(0), m.group(0)), output)
