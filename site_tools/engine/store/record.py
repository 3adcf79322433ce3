"""A run result as files: one JSON record plus one SVG per figure, named ``fig-<cell>-<n>.svg``, and
its phone drawing where it has one, ``fig-<cell>-<n>.phone.svg`` (``engine/run/phone.py``).

Workers write results this way and the cache stores them this way; this module is the one place
that turns such a record back into a ``RunResult`` (and a result into a record).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from site_tools.engine.model import CellOutput, Figure, RunResult

_TUPLE_FIELDS = tuple(
    f.name for f in dataclasses.fields(RunResult) if str(f.type).startswith("tuple") and f.name != "cells"
)


def figure_name(cell: int, number: int) -> str:
    return f"fig-{cell}-{number}.svg"


def phone_figure_name(cell: int, number: int) -> str:
    """The figure's phone drawing (``engine/run/phone.py``), beside its wide one."""
    return f"fig-{cell}-{number}.phone.svg"


def to_record(result: RunResult) -> tuple[dict[str, Any], dict[str, str]]:
    """``result`` as a JSON-ready record and its figure files (name -> SVG text)."""
    files: dict[str, str] = {}
    cells = []
    for c, cell in enumerate(result.cells):
        names, phones = [], []
        for n, figure in enumerate(cell.figures):
            names.append(figure_name(c, n))
            files[names[-1]] = figure.svg
            phones.append(phone_figure_name(c, n) if figure.phone_svg else None)
            if figure.phone_svg:
                files[phones[-1]] = figure.phone_svg
        notes = [figure.phone_note for figure in cell.figures]
        cells.append(
            {
                "stdout": cell.stdout,
                "stderr": cell.stderr,
                "figures": names,
                "phones": phones,
                "phone_notes": notes,
            }
        )
    record = dataclasses.asdict(result)
    record.update(cells=cells, cached=False)
    return record, files


def from_record(record: dict[str, Any], read_text: Callable[[str], str]) -> RunResult:
    """The result a record describes; ``read_text`` reads one of its figure files by name.

    Unknown keys are ignored and missing ones take their defaults, so records written by an older or
    newer engine of the same format version still load.
    """
    known = {f.name for f in dataclasses.fields(RunResult)}
    values = {name: value for name, value in record.items() if name in known}
    values["cells"] = tuple(
        CellOutput(
            stdout=cell["stdout"],
            stderr=cell["stderr"],
            figures=tuple(
                Figure(read_text(name), read_text(phone) if phone else "", note)
                for name, phone, note in zip(
                    cell["figures"],
                    cell.get("phones") or [None] * len(cell["figures"]),
                    cell.get("phone_notes") or [""] * len(cell["figures"]),
                    strict=True,
                )
            ),
        )
        for cell in record.get("cells", ())
    )
    for name in _TUPLE_FIELDS:
        if name in values:
            values[name] = tuple(values[name])
    return RunResult(**values)
