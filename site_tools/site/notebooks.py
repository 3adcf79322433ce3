"""A jupytext notebook's two executed notebooks: the one its page shows and the one a reader downloads.

The page's notebook (which mkdocs-jupyter renders, or the Zensical pre-step turns into a Markdown
page) holds each figure as a post does: its box and the ``<picture>`` of its drawing files, linked
from the page's URL, so a phone gets the phone drawing without a script, both palettes follow the
reader, and zoom works. Those links mean nothing in a folder of its own, so the notebook a reader
downloads is another one, made beside it from the same run: each figure's wide drawing inside it
(``render/figure_files.embedded_img``), shown offline by Jupyter, VS Code or nbconvert.

Both are kept in the cache, keyed by the notebook's whole text, the page's URL and the code that makes
them (``notebook_folder``): a warm build only reads them, and names their figures' files for the site.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from site_tools.engine.collect.notebook_source import notebook_folder
from site_tools.engine.collect.source import read_source
from site_tools.engine.model import Figure
from site_tools.engine.sizes import utf8_size
from site_tools.files import write_whole
from site_tools.render.figure_box import box
from site_tools.render.figure_files import embedded_img, picture_html
from site_tools.site.figures import figure_drawings
from site_tools.site.page import relative_url
from site_tools.site.state import SiteState


def ipynb_uri(src_uri: str) -> str:
    """The page a jupytext notebook ``tutorials/x.py`` becomes: ``tutorials/x.ipynb``."""
    return posixpath.splitext(src_uri)[0] + ".ipynb"


def notebook_target(state: SiteState, src_uri: str, *, page_url: str) -> tuple[str, Path]:
    """Where the page's executed ``.ipynb`` of jupytext notebook ``src_uri`` lives: (its uri, its file);
    ``page_url`` is the URL its page is served at (its figures' files are linked from there)."""
    from site_tools.render.notebook import NOTEBOOK_CODE  # imports jupytext: sites with notebooks only

    snippet = state.notebooks[src_uri]
    uri = ipynb_uri(src_uri)
    # The run is keyed by the code alone; the page by the whole text (a Markdown cell's prose too).
    base = state.engine.cache.derived_dir(state.engine.known_key(snippet), "notebook")
    text = read_source(state.engine.config.root / snippet.path)
    folder = notebook_folder(base, text, NOTEBOOK_CODE, page_url=page_url)
    return uri, folder / uri


def download_file(target: Path) -> Path:
    """The notebook a reader downloads, kept beside the page's ``target``."""
    return target.with_suffix(".download.ipynb")


def write_notebook(state: SiteState, src_uri: str, target: Path, *, page_url: str) -> Path | None:
    """Write the page's executed notebook at ``target`` and the download beside it (a failed run: both
    without outputs, led by the error), and give the site its figures' files; returns the download
    (None while there is no result)."""
    snippet = state.notebooks[src_uri]
    result = state.engine.result(snippet)
    if result is None:
        return None
    cache = state.engine.cache
    drawing_bytes = 0
    for figure in result.figures:  # the page's files, whether its notebook is new or kept
        for drawing in figure_drawings(cache, result.key, figure):
            if drawing is not None:
                state.figure_files[drawing.uri] = drawing.content
                drawing_bytes += utf8_size(drawing.content)
    state.page_drawing_bytes[state.page_path(ipynb_uri(src_uri))] = drawing_bytes
    download = download_file(target)
    if target.is_file() and download.is_file() and result.ok:
        return download

    def page_figure(figure: Figure, fig_id: str, alt: str) -> str:
        wide, phone = figure_drawings(cache, result.key, figure)
        return box(picture_html(wide, phone, alt=alt, url=lambda uri: relative_url(uri, page_url)))

    def download_figure(figure: Figure, fig_id: str, alt: str) -> str:
        return embedded_img(figure_drawings(cache, result.key, figure)[0], alt=alt)

    from site_tools.render.notebook import executed_notebook  # imports jupytext: only when needed

    text = read_source(state.engine.config.root / snippet.path)
    stem = posixpath.basename(posixpath.splitext(src_uri)[0])
    target.parent.mkdir(parents=True, exist_ok=True)
    for path, render in ((target, page_figure), (download, download_figure)):
        content = executed_notebook(text, result, name=stem, render_figure=render)
        write_whole(path, content)
    return download
