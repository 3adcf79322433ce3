"""An executed ``.ipynb`` from a jupytext notebook and the engine's per-cell results.

The figures go in as HTML outputs holding the palette-aware inline SVG, so notebook pages follow
the reader's light or dark palette like every other page.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import nbformat

from site_tools.engine.collect.notebook_source import read_notebook
from site_tools.engine.model import RunResult

# The code that makes an executed notebook's page: its kept folder is keyed by it (``notebook_folder``).
NOTEBOOK_CODE = (
    __name__,
    "site_tools.render.html",
    "site_tools.engine.figures.svgtheme",
    "site_tools.engine.figures.palette",
)


def executed_notebook(
    text: str, result: RunResult, *, name: str, render_figure: Callable[[str, str, str], str]
) -> str:
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
            inline = render_figure(figure.svg, fig_id, alt)
            outputs.append(
                nbformat.v4.new_output(
                    "display_data",
                    data={
                        "text/html": f'<figure class="st-figure" id="{html.escape(fig_id)}">{inline}</figure>'
                    },
                )
            )
        cell.outputs = outputs
        cell.execution_count = count
    if not result.ok and result.status != "not-run":
        where = f" at {result.error_location}" if result.error_location else ""
        message = f"**This notebook failed ({result.status}){where}.**\n\n```text\n{result.error or ''}\n```"
        notebook.cells.insert(0, nbformat.v4.new_markdown_cell(message))
    for index, cell in enumerate(notebook.cells):
        cell.id = f"cell-{index}"
    return nbformat.writes(notebook)
