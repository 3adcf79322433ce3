"""Jupytext notebooks (``# %%`` cells in a ``.py`` file) as snippets: one code cell, one engine cell."""

from __future__ import annotations

from pathlib import Path

import jupytext

from site_tools.engine.collect.source import read_source
from site_tools.engine.model import CodeCell, Snippet
from site_tools.engine.store.derived import DerivedStore, code_version


def read_notebook(text: str):
    return jupytext.reads(text, fmt="py:percent")


def notebook_snippet(path: Path, *, root: Path, timeout: float) -> Snippet:
    """The code cells of the notebook at ``path``, each with the file line where its code starts."""
    text = read_source(path)
    cells = []
    position = 0
    for cell in read_notebook(text).cells:
        if cell.cell_type != "code":
            continue
        found = text.find(cell.source, position) if cell.source else -1
        if found < 0:
            found = position
        cells.append(CodeCell(cell.source + "\n", text.count("\n", 0, found) + 1))
        position = found + len(cell.source)
    name = path.resolve().relative_to(root.resolve()).as_posix()
    return Snippet("notebook", name, name, tuple(cells), timeout=timeout)


def notebook_folder(base: Path, text: str, makers: tuple[str, ...], *, page_url: str = "") -> Path:
    """Where the executed notebook made from ``text`` is kept, under its run's folder ``base``.

    The run is keyed by the code cells alone (editing prose runs nothing again), but the page holds
    the Markdown cells too: the folder is keyed by the whole text, by the page's URL (its figures'
    files are linked from there) and by the code that renders it, ``makers``: the modules named by
    the caller (``render.notebook.NOTEBOOK_CODE``), which the engine does not know.
    """
    return DerivedStore(base, code_version(*makers)).path([text, page_url])
