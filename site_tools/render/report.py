"""The execution report page: every snippet of the site with its runtime, memory and cache state."""

from __future__ import annotations

from collections.abc import Mapping

from site_tools.engine import RunResult, Snippet


def report_markdown(
    rows: list[tuple[str, Snippet, RunResult | None]],
    notices: tuple[str, ...] = (),
    figures: Mapping[str, list[str]] | None = None,
) -> str:
    """``rows`` are (where it is embedded, snippet, its result); ``notices`` what the build recovered
    from; ``figures`` links each ``where`` to its figures (``page.md#fig-id``, relative to the report)."""
    figures = figures or {}
    lines = [
        "# Execution report",
        "",
        "Every snippet of this site, as the last build saw it. *Cached* results were computed by an earlier",
        "build from exactly the same code, helper modules, data and library versions; *remote* ones by",
        "another machine, and fetched from the shared result cache. *Ran on* is the worker that computed",
        "the result (`local`: the building machine's own pool) and its device.",
        "",
        "| Snippet | Page | Figures | Status | Runtime | Peak memory | Cached | torch | Ran on |",
        "| --- | --- | --- | --- | ---: | ---: | --- | --- | --- |",
    ]
    linked: set[str] = set()  # a place's figures are linked once, not from each variant of its grid
    for where, snippet, result in sorted(rows, key=lambda row: row[0]):
        if result is None:
            continue
        memory = f"{result.peak_memory / 2**20:.0f} MiB" if result.peak_memory else "–"
        runtime = f"{result.duration:.2f} s" if result.duration else "–"
        places = () if where in linked else figures.get(where, ())
        linked.add(where)
        links = " ".join(f"[{n}]({link})" for n, link in enumerate(places, 1)) or "–"
        lines.append(
            f"| `{snippet.name}` | `{where}` | {links} | {result.status} | {runtime} | {memory} | "
            f"{_cache_state(result)} | {result.torch_version or '–'} | {_ran_on(result)} |"
        )
    if len(lines) == 8:
        lines.append("| – | – | – | no snippets | | | | | |")
    if notices:
        lines += [
            "",
            "## Notices",
            "",
            "What this build recovered from by itself; nothing to fix on the pages.",
            "",
        ]
        lines += [f"- {notice}" for notice in notices]
    return "\n".join(lines) + "\n"


def _ran_on(result: RunResult) -> str:
    """``w-gpu, cuda:0 (H100)``: the worker and the device, as far as they are known."""
    return ", ".join(part for part in (result.worker, result.device) if part) or "–"


def _cache_state(result: RunResult) -> str:
    if result.from_remote:
        return "remote"
    return "yes" if result.cached else "no"
