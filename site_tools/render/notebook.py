"""An executed ``.ipynb`` from a jupytext notebook and the engine's per-cell results.

Each figure goes in as an HTML output, ``<figure class="st-figure">`` around what ``render_figure``
makes of it: for the page, the ``<picture>`` of its drawing files that a post's figure has (the
phone drawing on a phone, both palettes, zoom); for the download, its wide drawing inside the
notebook, so a reader sees it offline (``site/notebooks.py`` makes both).
"""

from __future__ import annotations

import html
from collections.abc import Callable

from site_tools.engine.collect.notebook_source import read_notebook
from site_tools.engine.model import Figure, RunResult

# The code that makes an executed notebook's page: its kept folder is keyed by it (``notebook_folder``).
NOTEBOOK_CODE = (
    __name__,
    "site_tools.site.notebooks",
    "site_tools.render.figure_files",
    "site_tools.render.figure_box",
    "site_tools.engine.figures.svgtheme",
    "site_tools.engine.figures.palette",
)


def executed_notebook(
    text: str, result: RunResult, *, name: str, render_figure: Callable[[Figure, str, str], str]
) -> str:
    """The notebook ``text`` with ``result``'s outputs; ``render_figure(figure, id, alt)`` is the HTML
    inside each figure's ``<figure>``."""
    import nbformat  # here: NOTEBOOK_CODE is read on every build, a notebook made only on a change

    notebook = read_notebook(text)
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    figure_number = 0
    for count, (cell, output) in enumerate(zip(code_cells, result.cells, strict=False), start=1):
        outputs = []
        if output.stdout:
            outputs.append(nbformat.v4.new_output("stream", name="stdout", text=output.stdout))
        if output.stderr:
            outputs.append(nbformat.v4.new_output("stream", name="stderr", text=output.stderr))
        for figure in output.figures:
            figure_number += 1
            fig_id = f"fig-{name}-{figure_number}"
            alt = f"Figure {figure_number} of the notebook {name}"
            drawing = render_figure(figure, fig_id, alt)
            figure_html = f'<figure class="st-figure" id="{html.escape(fig_id)}">{drawing}</figure>'
            data = {"text/html": figure_html, "text/plain": alt}  # plain: what a terminal shows
            outputs.append(nbformat.v4.new_output("display_data", data=data))
        cell.outputs = outputs
        cell.execution_count = count
    if not result.ok and result.status != "not-run":
        where = f" at {result.error_location}" if result.error_location else ""
        message = f"**This notebook failed ({result.status}){where}.**\n\n```text\n{result.error or ''}\n```"
        notebook.cells.insert(0, nbformat.v4.new_markdown_cell(message))
    for index, cell in enumerate(notebook.cells):
        cell.id = f"cell-{index}"
    return nbformat.writes(notebook)
