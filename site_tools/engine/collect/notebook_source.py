"""Jupytext notebooks (``# %%`` cells in a ``.py`` file) as snippets: one code cell, one engine cell.

Reading a notebook's cells costs importing jupytext (~0.15 s) and parsing it; a build whose notebook
did not change pays neither: the cells are kept in the cache under the digest of the notebook's whole
text (and of this module and jupytext's version), so any edit, whatever its size and time, parses
again, and an unchanged text never does.
"""

from __future__ import annotations

import json
from importlib import metadata
from pathlib import Path

from site_tools.engine.collect.source import read_source
from site_tools.engine.model import CodeCell, Snippet
from site_tools.engine.store.derived import DerivedStore, code_version

CELLS_DIR = "notebook-cells"  # under the cache folder: each notebook text's code cells, as JSON


def read_notebook(text: str):
    import jupytext  # here: a build whose notebooks did not change never imports it

    return jupytext.reads(text, fmt="py:percent")


def notebook_snippet(path: Path, *, root: Path, timeout: float, cache_dir: Path | None = None) -> Snippet:
    """The code cells of the notebook at ``path``, each with the file line where its code starts;
    read from ``cache_dir`` while the notebook's text is one already read."""
    text = read_source(path)
    if cache_dir is None:
        cells = _code_cells(text)
    else:
        store = DerivedStore(cache_dir / CELLS_DIR, _cells_version(), ".json")
        cells = json.loads(store.text([text], lambda: json.dumps(_code_cells(text))))
    name = path.resolve().relative_to(root.resolve()).as_posix()
    return Snippet(
        "notebook", name, name, tuple(CodeCell(code, line) for code, line in cells), timeout=timeout
    )


def _code_cells(text: str) -> list[tuple[str, int]]:
    cells = []
    position = 0
    for cell in read_notebook(text).cells:
        if cell.cell_type != "code":
            continue
        found = text.find(cell.source, position) if cell.source else -1
        if found < 0:
            found = position
        cells.append((cell.source + "\n", text.count("\n", 0, found) + 1))
        position = found + len(cell.source)
    return cells


def _cells_version() -> str:
    return f"{code_version(__name__)} jupytext {metadata.version('jupytext')}"


def notebook_folder(base: Path, text: str, makers: tuple[str, ...], *, page_url: str = "") -> Path:
    """Where the executed notebook made from ``text`` is kept, under its run's folder ``base``.

    The run is keyed by the code cells alone (editing prose runs nothing again), but the page holds
    the Markdown cells too: the folder is keyed by the whole text, by the page's URL (its figures'
    files are linked from there) and by the code that renders it, ``makers``: the modules named by
    the caller (``render.notebook.NOTEBOOK_CODE``), which the engine does not know.
    """
    return DerivedStore(base, code_version(*makers)).path([text, page_url])
