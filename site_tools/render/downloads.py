"""Downloads of a snippet that run anywhere: its helper modules from ``snippets/`` travel inside."""

from __future__ import annotations

import nbformat

_REGISTER = '''import sys
import types


def _install_module(name: str, source: str) -> None:
    """Make `import name` work without the site's snippets/ folder."""
    module = types.ModuleType(name)
    exec(compile(source, f"{name}.py", "exec"), module.__dict__)
    sys.modules[name] = module

'''


def _helpers_code(helpers: dict[str, str]) -> str:
    """Code that installs each helper module (file name -> source) before the snippet imports it."""
    if not helpers:
        return ""
    calls = "".join(
        f"_install_module({name.removesuffix('.py')!r}, {source!r})\n"
        for name, source in sorted(helpers.items())
    )
    return _REGISTER + calls


def bundled_script(code: str, helpers: dict[str, str], *, source: str) -> str:
    """A ``.py`` that runs alone with ``python``: helpers inlined, figures shown at the end."""
    header = f"# {source} from the Computed Figures blog; needs torch, numpy and matplotlib.\n"
    helpers_block = _helpers_code(helpers)
    show = "\nimport matplotlib.pyplot as plt  # noqa: E402\n\nplt.show()\n"
    return header + (helpers_block + "\n" if helpers_block else "") + code.rstrip() + "\n" + show


def script_notebook(code: str, helpers: dict[str, str], *, source: str) -> str:
    """A ready-to-run ``.ipynb``: a title cell, a cell installing the helpers, the snippet's code."""
    cells = [
        nbformat.v4.new_markdown_cell(
            f"# `{source}`\n\nFrom the Computed Figures blog. Run all cells."
        )
    ]
    helpers_block = _helpers_code(helpers)
    if helpers_block:
        cells.append(nbformat.v4.new_code_cell(helpers_block.rstrip()))
    cells.append(nbformat.v4.new_code_cell(code.rstrip()))
    notebook = nbformat.v4.new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        },
    )
    for index, cell in enumerate(notebook.cells):
        cell.id = f"cell-{index}"  # stable ids: the same snippet gives the same file
    return nbformat.writes(notebook)
