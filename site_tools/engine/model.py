"""The engine's data: what a snippet is, how it is embedded, and what running it produced.

Everything here is a frozen dataclass: the engine hands these to adapters, which render them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

SourceMode = Literal["shown", "collapsed", "hidden"]
# "refused": sent to run but not started where it was placed (a GPU snippet where there is none);
# it fails the build but is not counted as executed. "not-run": execution is off.
Status = Literal["ok", "error", "timeout", "crashed", "memory", "refused", "not-run"]
Param = int | float | str  # one value of a scrubbable figure's parameter (site_tools/engine/collect/grid.py)


@dataclass(frozen=True)
class CodeCell:
    """A piece of code and the line of its file where it starts (tracebacks point there)."""

    code: str
    first_line: int = 1


@dataclass(frozen=True)
class Snippet:
    """Code the engine can run: a snippet file, an inline block of a page, or a notebook.

    ``name`` is what people see (``snippets/cnn.py``, ``docs/blog/posts/x.md::L40``); ``path`` is the
    repository-relative file that holds the code.
    """

    kind: Literal["file", "inline", "notebook"]
    name: str
    path: str
    cells: tuple[CodeCell, ...]
    data: tuple[str, ...] = ()
    timeout: float = 120.0
    resources: tuple[tuple[str, float], ...] = ()  # what it needs where it runs: (("GPU", 1.0),)
    params: tuple[tuple[str, Param], ...] = ()  # its point of an embed's grid: (("lr", 0.1),)

    @property
    def wants_gpu(self) -> bool:
        return dict(self.resources).get("GPU", 0) > 0


@dataclass(frozen=True)
class Options:
    """How an embed shows a snippet's results. ``timeout``, ``data`` and ``resources`` change what runs."""

    caption: tuple[str, ...] = ()
    alt: tuple[str, ...] = ()
    source: SourceMode = "shown"
    stdout: bool = True
    timeout: float | None = None
    data: tuple[str, ...] = ()
    id: str | None = None
    resources: tuple[tuple[str, float], ...] = ()
    vary: tuple[tuple[str, tuple[Param, ...]], ...] = ()  # a scrubbable figure's grid
    default: tuple[tuple[str, Param], ...] = ()  # the point the page shows first


@dataclass(frozen=True)
class Embed:
    """One place in a page where a snippet's results go: lines ``start``..``end`` (1-based, inclusive)."""

    page: str
    start: int
    end: int
    indent: str
    snippet: Snippet  # with a grid: the default point's variant
    options: Options
    variants: tuple[Snippet, ...] = ()  # with a grid: every point's variant, the default among them

    @property
    def runs(self) -> tuple[Snippet, ...]:
        """What this embed runs: every variant of its grid, or its one snippet."""
        return self.variants or (self.snippet,)

    @property
    def where(self) -> str:
        return f"{self.page}:{self.start}"


@dataclass(frozen=True)
class Figure:
    """One matplotlib figure, as the SVG text matplotlib wrote: drawn for a desktop column, and drawn
    again for a phone's by the same run (``engine/run/phone.py``), or "" with ``phone_note`` saying why."""

    svg: str
    phone_svg: str = ""
    phone_note: str = ""  # why there is no phone drawing (or what making it did); "" when all went well


@dataclass(frozen=True)
class CellOutput:
    stdout: str = ""
    stderr: str = ""
    figures: tuple[Figure, ...] = ()


@dataclass(frozen=True)
class RunResult:
    """What running a snippet produced. ``error`` is a traceback with repository-relative paths."""

    key: str
    status: Status
    cells: tuple[CellOutput, ...] = ()
    error: str | None = None
    error_location: str | None = None
    duration: float = 0.0
    peak_memory: int = 0
    torch_version: str = ""
    device: str = ""  # "cpu" or "cuda:0 (model)"
    worker: str = ""  # where it ran: "local", or the Dask worker's name
    cached: bool = False
    from_remote: bool = False  # this build took it from the remote cache (never stored locally)
    warnings: tuple[str, ...] = field(default=())
    notices: tuple[str, ...] = field(default=())  # what the run did for the author, logged as INFO
    # Provenance and published values (site_tools/engine/run/published_values.py); kept in the cached record.
    values: dict[str, int | float | bool | str] = field(default_factory=dict, hash=False)
    versions: dict[str, str] = field(default_factory=dict, hash=False)
    seed: int | None = None
    finished_at: str = ""  # UTC, ISO 8601, when the run ended

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def figures(self) -> tuple[Figure, ...]:
        return tuple(fig for cell in self.cells for fig in cell.figures)

    @property
    def stdout(self) -> str:
        return "".join(cell.stdout for cell in self.cells)
