"""A post's scrubbable figures together: parameters linked by name, and the points they run.

Figures of one post that vary a parameter of the same name share it: one choice of the reader
moves them all (the page's script, render/scrub_script.py). So the name must mean the same thing
in each: the same values, in the same order, and the same default. Each figure is still computed
over its own parameters only (its own grid), so a post of figures varying ``lr`` (5 values),
``lr x depth`` (5 x 4) and ``depth`` (4) runs 5 + 20 + 4 points; together at most ``POST_LIMIT``.
A snippet file shown twice in one post is shown with one grid: a value the post cites from it must
follow one figure, not two that the reader moves apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from site_tools.engine.collect.grid import POST_LIMIT, param_text
from site_tools.engine.model import Embed, Param


@dataclass(frozen=True)
class Refusal:
    """Why ``embed`` cannot join its post's other figures: ``field`` (``vary``/``default``), message."""

    embed: Embed
    field: str
    message: str


def _values(values: tuple[Param, ...]) -> str:
    return "[" + ", ".join(param_text(value) for value in values) + "]"


def linked_problems(embeds: list[Embed]) -> list[Refusal]:
    """The embeds (in page order) whose grid disagrees with an earlier figure's on a shared name,
    or whose points would take the post over ``POST_LIMIT``."""
    first: dict[str, tuple[Embed, tuple[str, ...], str]] = {}  # name -> (embed, values, default)
    refused: list[Refusal] = []
    points: set[str] = set()  # distinct runs: two embeds of one snippet share their common points
    shown: dict[str, Embed] = {}  # snippet file -> its first embed in the post
    for embed in embeds:
        twin = shown.setdefault(embed.snippet.path, embed) if embed.snippet.kind == "file" else embed
        if twin is not embed and _grid(twin) != _grid(embed) and (embed.options.vary or twin.options.vary):
            refused.append(_twin_refusal(embed, twin))
            continue
        if not embed.options.vary:
            continue
        refusal = _disagreement(embed, first)
        new = {s.name for s in embed.variants} - points
        if refusal is None and len(points) + len(new) > POST_LIMIT:
            refusal = Refusal(
                embed,
                "vary",
                f"option `vary`: this figure's {len(embed.variants)} points take the post's scrubbable "
                f"figures to {len(points) + len(new)} points, over the limit of {POST_LIMIT} per post "
                f"(the figures before it run {len(points)}): vary fewer values, or split the post",
            )
        if refusal is not None:
            refused.append(refusal)
            continue
        points |= new
        default = dict(embed.options.default)
        for name, values in embed.options.vary:
            first.setdefault(name, (embed, tuple(param_text(v) for v in values), param_text(default[name])))
    return refused


def _disagreement(embed: Embed, first: dict[str, tuple[Embed, tuple[str, ...], str]]) -> Refusal | None:
    default = dict(embed.options.default)
    for name, values in embed.options.vary:
        if name not in first:
            continue
        other, other_values, other_default = first[name]
        texts = tuple(param_text(v) for v in values)
        if texts != other_values:
            return Refusal(
                embed,
                "vary",
                f"option `vary`: `{name}` is linked by its name to the figure at {other.where}, which "
                f"lists {_values(other.options.vary[_index(other, name)][1])}, but this figure "
                f"({embed.where}) lists {_values(values)}: give both the same values, or name them "
                "differently",
            )
        if param_text(default[name]) != other_default:
            return Refusal(
                embed,
                "default",
                f"option `default`: `{name}` is linked by its name to the figure at {other.where}, "
                f"whose default is `{name}: {other_default}`, but this figure ({embed.where}) defaults "
                f"to `{name}: {param_text(default[name])}`: give both the same default",
            )
    return None


def _grid(embed: Embed) -> tuple:
    return embed.options.vary, embed.options.default if embed.options.vary else ()


def _grid_text(embed: Embed) -> str:
    if not embed.options.vary:
        return "without `vary`"
    default = dict(embed.options.default)
    return "varying " + ", ".join(
        f"{name}: {_values(values)} (default {param_text(default[name])})"
        for name, values in embed.options.vary
    )


def _twin_refusal(embed: Embed, twin: Embed) -> Refusal:
    name = embed.snippet.path
    return Refusal(
        embed,
        "vary",
        f"option `vary`: {name} is also shown at {twin.where} {_grid_text(twin)}, and here ({embed.where}) "
        f"{_grid_text(embed)}: a value the post cites from {name} cannot follow "
        "both; give both embeds the same `vary` and `default`, or show it once",
    )


def _index(embed: Embed, name: str) -> int:
    return [n for n, _ in embed.options.vary].index(name)
