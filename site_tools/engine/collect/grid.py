"""Scrubbable figures: an embed's parameter grid, its points, and how a point is named and passed on.

An embed declares ``vary:`` (parameter -> the values it takes) and ``default:`` (the point the page
shows first). Every point of the grid is a ``Snippet`` of its own, with ``params`` set: its own cache
key, run by any executor like any other. The run receives its point as JSON in ``PARAMS_ENV``;
``snippets/vary.py`` reads it (and returns the snippet's own defaults when it is absent).

A parameter is *ordered* (numbers: a slider) or *named* (words: radio buttons). Its values print as
``param_text`` writes them: that text names variants in pytest ids, URL fragments and file names.
"""

from __future__ import annotations

import ast
import itertools
import json
import re
from collections.abc import Mapping
from dataclasses import replace

from site_tools.engine.model import Param, Snippet

PARAMS_ENV = "SITE_TOOLS_PARAMS"
GRID_LIMIT = 256  # points per scrubbable figure: each one is a run in every cold build and in CI
POST_LIMIT = 1024  # points of all the scrubbable figures of one post together
# A word is letters of any script (Greek sigma or lambda, ``Adam``), digits and ``. _ + -``: file names hold
# no value (variant files are named by digest) and the script encodes them in the URL fragment.
_WORD = re.compile(r"[\w.+-]+")

Grid = tuple[tuple[str, tuple[Param, ...]], ...]
Point = tuple[tuple[str, Param], ...]


class GridError(ValueError):
    """A bad ``vary`` or ``default``; ``field`` names which (the line is found from it)."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def param_text(value: Param) -> str:
    """How a value is written in ids, fragments and labels: ``0.1``, ``1.0``, ``3``, ``relu``."""
    return value if isinstance(value, str) else repr(value)


def variant_label(point: Point, sep: str = "-") -> str:
    """``lr=0.1-activation=relu`` (pytest ids) or, with ``sep=","``, the URL fragment's spelling."""
    return sep.join(f"{name}={param_text(value)}" for name, value in point)


def is_ordered(values: tuple[Param, ...]) -> bool:
    """Numbers take a slider; words take radio buttons."""
    return all(not isinstance(value, str) for value in values)


def parse_grid(vary: object, default: object) -> tuple[Grid, Point]:
    """``vary`` and ``default`` as written in the embed, checked; ``(grid, default point)``."""
    if not isinstance(vary, Mapping) or not vary:
        raise GridError(
            "option `vary` must map parameter names to lists of values, such as "
            "`{lr: [0.01, 0.1], activation: [sigmoid, relu]}`",
            "vary",
        )
    grid: list[tuple[str, tuple[Param, ...]]] = []
    for name, values in vary.items():
        grid.append((_checked_name(name), _checked_values(name, values)))
    points = 1
    for _, values in grid:
        points *= len(values)
    if points > GRID_LIMIT:
        sizes = " x ".join(str(len(values)) for _, values in grid)
        raise GridError(
            f"option `vary` makes {sizes} = {points} variants, over the limit of {GRID_LIMIT} per "
            "figure: every variant is a run in each cold build and in CI; vary fewer parameters or "
            "fewer values (figures that vary one parameter each are computed separately)",
            "vary",
        )
    return tuple(grid), _checked_default(tuple(grid), default)


def _checked_name(name: object) -> str:
    if not isinstance(name, str) or not name.isidentifier():
        raise GridError(
            f"option `vary`: parameter `{name}` must be a Python identifier (letters of any script, "
            "digits, _)",
            "vary",
        )
    return name


def _checked_values(name: str, values: object) -> tuple[Param, ...]:
    if not isinstance(values, list) or not values:
        raise GridError(f"option `vary`: `{name}` must list its values, such as `[0.01, 0.1]`", "vary")
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise GridError(f"option `vary`: value `{value}` of `{name}` must be a number or a word", "vary")
        if isinstance(value, str) and not _WORD.fullmatch(value):
            raise GridError(
                f"option `vary`: value `{value}` of `{name}` must be one word (letters of any script, "
                "digits, . _ + -)",
                "vary",
            )
    if len({type(value) is str for value in values}) > 1:
        raise GridError(
            f"option `vary`: `{name}` mixes numbers and words; a slider takes numbers, radio buttons words",
            "vary",
        )
    if len({param_text(value) for value in values}) != len(values):
        raise GridError(f"option `vary`: `{name}` lists a value twice", "vary")
    return tuple(values)


def _checked_default(grid: Grid, default: object) -> Point:
    if default is None:
        return tuple((name, values[0]) for name, values in grid)
    names = [name for name, _ in grid]
    if not isinstance(default, Mapping) or set(default) != set(names):
        raise GridError(
            f"option `default` must give one value for each varied parameter ({', '.join(names)}), "
            f"such as `{{{', '.join(f'{n}: {param_text(v[0])}' for n, v in grid)}}}`",
            "default",
        )
    point = []
    for name, values in grid:
        value = default[name]
        if value not in values or isinstance(value, bool):
            listed = ", ".join(param_text(v) for v in values)
            raise GridError(
                f"option `default`: `{name}: {value}` is not one of the values `vary` lists ({listed})",
                "default",
            )
        point.append((name, values[values.index(value)]))
    return tuple(point)


def grid_points(grid: Grid) -> list[Point]:
    """Every point of ``grid``, the first parameter slowest."""
    names = [name for name, _ in grid]
    return [tuple(zip(names, combo, strict=True)) for combo in itertools.product(*(v for _, v in grid))]


def variant(snippet: Snippet, point: Point) -> Snippet:
    """``snippet`` at one point of its grid: named ``snippets/x.py[lr=0.1-activation=relu]``."""
    return replace(snippet, name=f"{snippet.path}[{variant_label(point)}]", params=point)


def params_json(point: Point) -> str:
    """The point as the run receives it in ``PARAMS_ENV`` (empty: no grid, the defaults apply)."""
    return json.dumps(dict(point), sort_keys=True) if point else ""


def declared_params(code: str) -> dict[str, object] | None:
    """The keywords of the snippet's ``vary.params(...)`` call (literal defaults, else None), or None
    when it has no such call. Read from the source, without running it."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _is_params_call(node.func):
            found: dict[str, object] = {}
            for keyword in node.keywords:
                if keyword.arg is not None:
                    try:
                        found[keyword.arg] = ast.literal_eval(keyword.value)
                    except ValueError:
                        found[keyword.arg] = None
            return found
    return None


def _is_params_call(func: ast.expr) -> bool:
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "params"
        and isinstance(func.value, ast.Name)
        and func.value.id == "vary"
    )


def grid_problem(grid: Grid, default: Point, code: str, path: str) -> tuple[str, str] | None:
    """Why the embed's grid does not fit the snippet's ``vary.params(...)`` call: (field, message)."""
    declared = declared_params(code)
    names = ", ".join(f"{name}=..." for name, _ in grid)
    if declared is None:
        return "vary", (
            f"option `vary`: {path} does not read its parameters; call `p = vary.params({names})` "
            "(snippets/vary.py) with each parameter's default"
        )
    missing = [name for name, _ in grid if name not in declared]
    if missing:
        known = ", ".join(declared) or "none"
        return "vary", (
            f"option `vary`: {path}'s vary.params() has no parameter {', '.join(missing)} "
            f"(it takes: {known}); add it as a keyword with its default"
        )
    for name, value in default:
        own = declared[name]
        if own is not None and own != value:
            return "default", (
                f"option `default`: `{name}: {param_text(value)}`, but {path} defaults to "
                f"`{name}={own!r}` when run alone (its downloads): make them the same"
            )
    return None
