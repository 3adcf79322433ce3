"""The package's layers, read from its source (AST; nothing is imported): no import cycle between its
modules, and an engine (``site_tools/engine/``) that depends on nothing above it.

What counts as an import: every ``import`` and ``from ... import`` anywhere in a module, at the top,
inside functions and classes, and under ``if TYPE_CHECKING:``; relative imports are resolved against
the importing module's package.

What a module depends on (module-to-module edges only):

- ``import a.b.c`` depends on the module ``a.b.c``, not on the packages ``a`` and ``a.b`` above it.
  Python does run ``a/__init__.py`` and ``a/b/__init__.py`` first, but counting that would make a
  package whose ``__init__`` re-exports its submodules (``site_tools/engine/__init__.py``) a cycle
  with each of them. A package's ``__init__`` is depended on only where it is named itself:
  ``import a.b``, ``from a.b import name`` where ``name`` is not a submodule.
- ``from a.b import c`` depends on the module ``a.b.c`` when there is one, else on ``a.b``.

A failing cycle check shows one cycle, as a path, for each group of modules that reach each other.

The engine's rule: no module under ``site_tools/engine/`` imports a higher layer (``HIGHER``), nor
holds a string that starts with ``site_tools.`` outside ``site_tools.engine`` (a module name such as
``"site_tools.render.notebook"``, as ``code_version`` or ``importlib`` would take it; ``NOT_MODULES``
are the exceptions): the engine learns such names from its callers.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

PACKAGE = "site_tools"
PACKAGE_DIR = Path(__file__).parents[1] / PACKAGE
ENGINE = f"{PACKAGE}.engine"
HIGHER = tuple(
    f"{PACKAGE}.{name}"
    for name in (
        "render",
        "site",
        "markdown",
        "mkdocs_plugin",
        "hosts",
        "cli",
        "pytest_plugin",
        "posts",
        "project",
        "settings",
        "mkdocs_yml",
        "configfile",  # what mkdocs_yml became: reading the site's configuration files
    )
)
# Strings that start like a module of the package but name something else.
NOT_MODULES = {f"{PACKAGE}.executors"}  # the entry-point group of third-party executors


@cache
def modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name, for its ``__init__``)."""
    found = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


@cache
def tree(name: str) -> ast.Module:
    path = modules()[name]
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imported(name: str) -> Iterator[str]:
    """Every module ``name`` imports, by dotted name, wherever in it the import is."""
    package = name if modules()[name].name == "__init__.py" else name.rpartition(".")[0]
    return imports_in(tree(name), package, set(modules()))


def imports_in(module: ast.Module, package: str, known: set[str]) -> Iterator[str]:
    """The dotted names ``module`` (of ``package``) imports; ``known``: the modules that exist."""
    for node in ast.walk(module):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                anchor = parts[: len(parts) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                yield submodule if submodule in known else base


def edges() -> dict[str, set[str]]:
    """Module -> the modules of the package it depends on (the rule in the docstring)."""
    return {name: {target for target in imported(name) if target in modules()} for name in modules()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (as a path that ends where it starts) per strongly connected group of modules."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's algorithm; the package is small enough to recurse
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in graph[node]:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [_cycle_path(graph, set(group)) for group in sorted(groups)]


def _cycle_path(graph: dict[str, set[str]], group: set[str]) -> list[str]:
    """A shortest cycle through the group's first module, staying inside the group."""
    start = min(group)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(graph[node] & group):
                if target == start:
                    return [*paths[node], start]
                if target not in paths:
                    paths[target] = [*paths[node], target]
                    following.append(target)
        frontier = following
    raise AssertionError(f"no cycle through {start}")  # a strongly connected group always has one


def _describe(found: list[list[str]]) -> str:
    return "import cycles:\n" + "\n".join("  " + " -> ".join(path) for path in found)


def _in(name: str, package: str) -> bool:
    return name == package or name.startswith(f"{package}.")


def _engine_modules() -> list[str]:
    return [name for name in modules() if _in(name, ENGINE)]


SAMPLE = """
import p.low
from p import mid, name
from . import sibling
from .. import up
from .deep.leaf import thing

def later():
    import p.inner

if TYPE_CHECKING:
    from p.typed import Type
"""


def test_the_import_rule_sees_every_kind_of_import() -> None:
    """Top level, inside functions, under TYPE_CHECKING, relative; a package is named, never implied."""
    known = {"p", "p.low", "p.mid", "p.q.sibling", "p.up", "p.q.deep.leaf", "p.inner", "p.typed"}
    found = set(imports_in(ast.parse(SAMPLE), "p.q", known))
    assert found == known  # "p" for `name`, not for `import p.low`
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"a"}, "b": set()}) == [["a", "a"]]


def test_no_import_cycle_in_the_package() -> None:
    found = cycles(edges())
    assert not found, _describe(found)


def test_no_import_cycle_in_the_engine() -> None:
    """On its own, so that it says so first if the package's check fails outside the engine."""
    graph = edges()
    engine = {name: {t for t in graph[name] if _in(t, ENGINE)} for name in _engine_modules()}
    found = cycles(engine)
    assert not found, _describe(found)


def test_the_engine_imports_no_higher_layer() -> None:
    found = [
        f"{modules()[name].relative_to(PACKAGE_DIR.parent)}: imports {target}"
        for name in _engine_modules()
        for target in sorted(set(imported(name)))
        if any(_in(target, layer) for layer in HIGHER)
    ]
    assert not found, "the engine depends on a layer above it:\n" + "\n".join(found)


def test_the_engine_names_no_module_outside_it_in_a_string() -> None:
    found = [
        f"{modules()[name].relative_to(PACKAGE_DIR.parent)}:{node.lineno}: {node.value!r}"
        for name in _engine_modules()
        for node in ast.walk(tree(name))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value.startswith(f"{PACKAGE}.")
        and not _in(node.value, ENGINE)
        and node.value not in NOT_MODULES
    ]
    assert not found, "the engine names modules above it (let the caller pass them):\n" + "\n".join(found)
    assert not NOT_MODULES & set(modules())
