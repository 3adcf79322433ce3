"""The options an embed takes, checked one by one so that a typo gets a suggestion, not a traceback."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping

from site_tools.engine.collect.grid import GridError, parse_grid
from site_tools.engine.model import Options

SOURCE_MODES = ("shown", "collapsed", "hidden")
EMBED_KEYS = (
    "file",
    "caption",
    "alt",
    "source",
    "stdout",
    "timeout",
    "data",
    "id",
    "resources",
    "vary",
    "default",
)
FILE_ONLY = ("file", "data", "vary", "default")  # options an inline ``python exec`` block does not take
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


class OptionError(ValueError):
    """A bad option; ``field`` names it and ``line`` (when known) is where it stands."""

    def __init__(self, message: str, *, field: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.line = line


def suggest(word: str, choices: tuple[str, ...] | list[str]) -> str:
    """`` (did you mean `x`?)`` for the nearest choice, or nothing."""
    match = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean `{match[0]}`?)" if match else ""


def parse_options(raw: Mapping[str, object], *, allow_file: bool) -> Options:
    keys = EMBED_KEYS if allow_file else tuple(k for k in EMBED_KEYS if k not in FILE_ONLY)
    for key in raw:
        if key not in keys:
            known = ", ".join(keys)
            raise OptionError(
                f"unknown option `{key}`{suggest(str(key), keys)}; known options: {known}", field=str(key)
            )
    source = raw.get("source", "shown")
    if source not in SOURCE_MODES:
        raise OptionError(
            f"option `source` is `{source}`; use one of: {', '.join(SOURCE_MODES)}", field="source"
        )
    stdout = raw.get("stdout", True)
    if not isinstance(stdout, bool):
        raise OptionError(f"option `stdout` is `{stdout}`; use true or false", field="stdout")
    timeout = raw.get("timeout")
    if timeout is not None and (
        isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0
    ):
        raise OptionError(f"option `timeout` is `{timeout}`; use a number of seconds > 0", field="timeout")
    ident = raw.get("id")
    if ident is not None and not (isinstance(ident, str) and _ID.match(ident)):
        raise OptionError(
            f"option `id` is `{ident}`; use letters, digits, '-' and '_', starting with a letter", field="id"
        )
    vary, default = _grid(raw)
    return Options(
        caption=_texts(raw, "caption"),
        alt=_texts(raw, "alt"),
        source=source,  # type: ignore[arg-type]
        stdout=stdout,
        timeout=float(timeout) if timeout is not None else None,
        data=_texts(raw, "data"),
        id=ident,
        resources=_resources(raw.get("resources")),
        vary=vary,
        default=default,
    )


def _grid(raw: Mapping[str, object]) -> tuple[tuple, tuple]:
    """``vary`` and ``default`` checked (site_tools/engine/collect/grid.py), or two empty tuples."""
    if "vary" not in raw:
        if "default" in raw:
            raise OptionError(
                "option `default` needs `vary`: the parameters and their values", field="default"
            )
        return (), ()
    try:
        return parse_grid(raw["vary"], raw.get("default"))
    except GridError as error:
        raise OptionError(str(error), field=error.field) from None


def _resources(value: object) -> tuple[tuple[str, float], ...]:
    """``{GPU: 1}``: what the snippet needs where it runs, as sorted (name, amount) pairs."""
    if value is None:
        return ()
    if not isinstance(value, Mapping) or not all(
        isinstance(name, str)
        and isinstance(amount, int | float)
        and not isinstance(amount, bool)
        and amount > 0
        for name, amount in value.items()
    ):
        raise OptionError(
            f"option `resources` is `{value}`; use a mapping of resource names to amounts > 0, "
            "such as `{GPU: 1}`",
            field="resources",
        )
    return tuple(sorted((name, float(amount)) for name, amount in value.items()))


def _texts(raw: Mapping[str, object], key: str) -> tuple[str, ...]:
    """A text or a list of texts (one per figure) as a tuple."""
    value = raw.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        return (value.strip(),)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(item.strip() for item in value)
    raise OptionError(f"option `{key}` must be a text or a list of texts (one per figure)", field=key)


def figure_count_problem(options: Options, figures: int) -> str | None:
    """Why ``figures`` figures do not fit the embed's captions, or None when they do.

    A caption promises a figure, and a list of captions one figure each: a snippet that draws
    nothing (or closes its figures) would otherwise leave an empty place under a caption.
    """
    if options.vary and figures != 1:
        made = "no figure" if not figures else f"{figures} figures"
        return (
            f"a scrubbable figure (`vary`) swaps one figure, but this variant made {made}; "
            "draw exactly one figure (several axes in it are fine)"
        )
    captions = len(options.caption)
    if captions == 0 or (captions == 1 and figures >= 1) or figures == captions:
        return None
    made = {0: "no figure", 1: "1 figure"}.get(figures, f"{figures} figures")
    if captions == 1:
        wanted = "its `caption` expects at least one"
    else:
        wanted = f"it lists {captions} captions, one per figure"
    return (
        f"the snippet made {made}, but {wanted}; draw with matplotlib and leave the figures "
        "open (no plt.close), or change `caption`"
    )


def empty_output_problem(options: Options, figures: int, stdout: str) -> str | None:
    """Why an embed would show nothing at all, or None.

    A snippet that closes its figures (or never draws) and prints nothing leaves an empty place
    in the post; with its source shown the code is still there, which may be the point.
    """
    if figures or options.caption or options.source == "shown" or (options.stdout and stdout.strip()):
        return None
    return (
        "the snippet made no figure and printed nothing, so this embed shows nothing but "
        f"{'a collapsed code box' if options.source == 'collapsed' else 'an empty place'}; leave its "
        "figures open (no plt.close), or print a result, or use `source: shown` for code alone"
    )
