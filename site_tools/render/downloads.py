"""Downloads of a snippet that run anywhere: its helper modules from ``snippets/`` travel inside.

A ``.py`` download is the snippet with a block that serves its helpers (modules and packages, by
their path under ``snippets/``) from strings, through an import hook: ``import figstyle``,
``from probe_pkg.util import SLOPE`` and the package's relative imports work in an empty folder.
The block goes after what Python requires first (the module docstring and ``from __future__``
imports); the file is written as UTF-8, so a ``coding:`` line the snippet had is dropped.
"""

from __future__ import annotations

import ast

import nbformat

from site_tools.engine.collect.source import CODING_LINE

_HOOK = '''import importlib.abc
import importlib.util
import sys


class _BundledHelpers(importlib.abc.MetaPathFinder, importlib.abc.InspectLoader):
    """Imports the blog's helper modules from the sources below: no snippets/ folder needed."""

    def find_spec(self, name, path=None, target=None):
        if name not in _HELPERS:
            return None
        filename, _ = _HELPERS[name]
        is_package = filename.endswith("__init__.py")
        return importlib.util.spec_from_loader(name, self, origin=filename, is_package=is_package)

    def get_source(self, name):
        return _HELPERS[name][1]

    def exec_module(self, module):
        filename, source = _HELPERS[module.__name__]
        exec(compile(source, filename, "exec"), module.__dict__)


sys.meta_path.insert(0, _BundledHelpers())
'''


def module_name(path: str) -> str:
    """``probe_pkg/util.py`` -> ``probe_pkg.util``; ``probe_pkg/__init__.py`` -> ``probe_pkg``."""
    parts = path.removesuffix(".py").split("/")
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def helpers_code(helpers: dict[str, str]) -> str:
    """Code that makes each helper (path under ``snippets/`` -> source) importable."""
    if not helpers:
        return ""
    entries = "".join(
        f"    {module_name(path)!r}: ({path!r}, {source!r}),\n" for path, source in sorted(helpers.items())
    )
    return f"_HELPERS = {{\n{entries}}}\n\n\n{_HOOK}"


def split_preamble(code: str) -> tuple[str, str]:
    """(the lines that must stay first: shebang, docstring, ``__future__`` imports; the rest).

    A ``coding:`` line is dropped: the download is UTF-8 whatever the snippet's file was.
    """
    lines = code.splitlines(keepends=True)
    for index in (1, 0):
        if index < len(lines) and CODING_LINE.match(lines[index]):
            del lines[index]
    code = "".join(lines)
    try:
        body = ast.parse(code).body
    except SyntaxError:
        return "", code  # the download fails as the snippet does; nothing to place around
    end = 0
    for number, node in enumerate(body):
        is_docstring = (
            number == 0
            and isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        )
        is_future = isinstance(node, ast.ImportFrom) and node.module == "__future__"
        if not (is_docstring or is_future):
            break
        end = node.end_lineno or end
    return "".join(lines[:end]), "".join(lines[end:])


def bundled_script(code: str, helpers: dict[str, str], *, source: str) -> str:
    """A ``.py`` that runs alone with ``python``: helpers inlined, figures shown at the end."""
    header = f"# {source} from the Computed Figures blog; needs torch, numpy and matplotlib.\n"
    preamble, rest = split_preamble(code)
    shebang = ""
    if preamble.startswith("#!"):
        shebang, _, preamble = preamble.partition("\n")
        shebang += "\n"
    elif rest.startswith("#!"):
        shebang, _, rest = rest.partition("\n")
        shebang += "\n"
    block = helpers_code(helpers)
    parts = [shebang + header, preamble.rstrip() + "\n\n" if preamble.strip() else ""]
    if block:
        parts.append(block + "\n")
    parts.append(rest.strip("\n") + "\n")
    parts.append("\nimport matplotlib.pyplot as plt  # noqa: E402\n\nplt.show()\n")
    return "".join(parts)


def script_notebook(code: str, helpers: dict[str, str], *, source: str) -> str:
    """A ready-to-run ``.ipynb``: a title cell, a cell installing the helpers, the snippet's code."""
    cells = [nbformat.v4.new_markdown_cell(f"# `{source}`\n\nFrom the Computed Figures blog. Run all cells.")]
    if helpers:
        cells.append(nbformat.v4.new_code_cell(helpers_code(helpers).rstrip()))
    # The snippet stays one cell: a docstring and `from __future__` imports may open a cell.
    preamble, rest = split_preamble(code)
    cells.append(nbformat.v4.new_code_cell((preamble + rest).strip("\n")))
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
