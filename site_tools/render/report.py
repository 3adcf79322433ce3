"""The execution report page: every snippet of the site with its runtime, memory and cache state.

It reads at any width: a chart of where the build's time went (render/runtime_chart.py), then a
table in its own horizontal scroller whose paths break only at ``/`` and ``-`` (never letter by
letter) and whose short cells never break. Its few style rules (``CSS``) are in the site's
stylesheet (render/assets.py), scoped to what only this page has: HTML allows no <style> in a body.
Its section headings are HTML, not Markdown: the page hides its table of contents, and a table of
contents on a page outside the nav makes Material write a <label for> that points at no control.
The page needs no Markdown extension.

The table is a Markdown table whose figure links the host resolves and checks, or, where the host
has already told each page's URL (``table_marker``), HTML that it puts in after Markdown: a site of a
thousand snippets then spends no second of its build on a thousand table rows through Markdown.
"""

from __future__ import annotations

import html
import posixpath
from collections.abc import Mapping
from operator import itemgetter

from site_tools.engine import RunResult, Snippet
from site_tools.engine.collect.grid import variant_label
from site_tools.render.runtime_chart import Timing, runtime_chart_svg

COLUMNS = (
    "Snippet", "Page", "Figures", "Phone", "Status", "Runtime", "Peak memory", "Cached", "torch", "Ran on"
)
RIGHT = (False, False, False, False, False, True, True, False, False, False)  # the numbers' columns
NO_SNIPPETS = ("–", "–", "–", "–", "no snippets", "", "", "", "", "")  # the one row of a site without any
# The table is the page's only one with .st-path cells: its short cells never wrap, its paths
# wrap only at their break opportunities, and it scrolls sideways in its own box when too wide.
CSS = """\
/* site-tools: the execution report (site_tools/render/report.py) */
.md-typeset table:has(.st-path) { display: block; max-width: 100%; overflow-x: auto; font-size: 0.7rem; }
.md-typeset table:has(.st-path) :is(th, td) { white-space: nowrap; padding: 0.5em 0.8em; }
.md-typeset .st-path {
  display: inline-block; min-width: 10em; max-width: 17em;
  white-space: normal; word-break: normal; overflow-wrap: normal;
}
.md-typeset .st-variant { font-size: 0.9em; white-space: normal; }
.md-typeset .st-runtime-chart { display: block; margin: 0.5em 0 1em; font-size: 12px; }
.md-typeset .st-runtime-chart text { fill: var(--md-default-fg-color); }
.md-typeset .st-runtime-chart .st-bar { fill: var(--md-typeset-a-color); }
.md-typeset .st-runtime-chart .st-bar-cached { fill: var(--md-default-fg-color--lighter); }
"""


Row = tuple[str, Snippet, "RunResult | None"]


def _heading(title: str) -> str:
    """An h2 as the toc extension writes one (id and permalink), but in HTML: no table of contents."""
    anchor = title.lower().replace(" ", "-")
    return (
        f'<h2 id="{anchor}">{html.escape(title)}'
        f'<a class="headerlink" href="#{anchor}" title="Permanent link">&para;</a></h2>'
    )  # where it is embedded, the snippet, its result


def report_markdown(
    rows: list[Row],
    notices: tuple[str, ...] = (),
    figures: Mapping[str, list[str]] | None = None,
    *,
    table_marker: str = "",
) -> str:
    """``rows`` are (where it is embedded, snippet, its result); ``notices`` what the build recovered
    from; ``figures`` links each ``where`` to its figures (``page.md#fig-id``, relative to the report).
    With ``table_marker``, the table is that marker, for the host to replace with ``report_table_html``.
    """
    figures = figures or {}
    shown = _shown(rows)
    lines = [
        "---",
        "hide: [navigation, toc]  # Material: the table gets the page's whole width",
        "search: {exclude: true}  # Material: a table of file names is no search result; the posts are",
        "---",
        "",
        "# Execution report",
        "",
        "Every snippet of this site, as the last build saw it. *Cached* results were computed by an earlier",
        "build from exactly the same code, helper modules, data and library versions; *remote* ones by",
        "another machine, and fetched from the shared result cache. *Ran on* is the worker that computed",
        "the result (`local`: the building machine's own pool) and its device. *Phone* counts the",
        "figures drawn again for a phone's column by the same run (a narrow screen shows that drawing).",
        "",
    ]
    chart = runtime_chart_svg(_timings(shown))
    if chart:
        lines += [
            _heading("Where the time went"),
            "",
            "Each snippet's run time as recorded when it ran; grey bars ran in an earlier build and cost",
            "this one nothing.",
            "",
            f'<div class="st-report-chart" data-search-exclude>{chart}</div>',
            "",
            _heading("Every snippet"),
            "",
        ]
    if table_marker:
        lines.append(table_marker)
    else:
        lines += [
            "| " + " | ".join(COLUMNS) + " |",
            "| " + " | ".join("---:" if right else "---" for right in RIGHT) + " |",
        ]
        for where, snippet, result, links in _with_links(shown, figures):
            link_cell = " ".join(f"[{n}]({link})" for n, link in enumerate(links, 1)) or "–"
            lines.append("| " + " | ".join(_cells(where, snippet, result, link_cell)) + " |")
        if not shown:
            lines.append("| " + " | ".join(NO_SNIPPETS) + " |")
    lines += _single_drawings(shown)
    if notices:
        lines += [
            "",
            _heading("Notices"),
            "",
            "What this build recovered from by itself; nothing to fix on the pages.",
            "",
        ]
        lines += [f"- {notice}" for notice in notices]
    return "\n".join(lines) + "\n"


def _single_drawings(shown: list[tuple[str, Snippet, RunResult]]) -> list[str]:
    """The section listing each figure that has only its wide drawing, and why (``phone_note``)."""
    items, seen = [], set()
    for _, snippet, result in shown:
        for number, figure in enumerate(result.figures, 1):
            if figure.phone_svg or (result.key, number) in seen:
                continue
            seen.add((result.key, number))
            why = figure.phone_note or "made before phone drawings were"
            items.append(f"- `{snippet.name}`, figure {number}: {why}")
    if not items:
        return []
    return [
        "",
        _heading("Figures with one drawing"),
        "",
        "These figures show their wide drawing on every screen (a phone scales it to its column).",
        "",
        *items,
    ]


def report_table_html(rows: list[Row], figures: Mapping[str, list[str]]) -> str:
    """The table as HTML, as Markdown would make it; ``figures`` links each ``where`` to its figures
    by their final URLs (relative to the report page)."""
    head = "".join(f"<th{_align(right)}>{name}</th>" for name, right in zip(COLUMNS, RIGHT, strict=True))
    body = []
    for where, snippet, result, links in _with_links(_shown(rows), figures):
        link_cell = " ".join(f'<a href="{html.escape(link)}">{n}</a>' for n, link in enumerate(links, 1))
        body.append(_cells(where, snippet, result, link_cell or "–"))
    rows_html = "\n".join(
        "<tr>"
        + "".join(f"<td{_align(right)}>{cell}</td>" for cell, right in zip(cells, RIGHT, strict=True))
        + "</tr>"
        for cells in body or [list(NO_SNIPPETS)]
    )
    return f"<table>\n<thead>\n<tr>{head}</tr>\n</thead>\n<tbody>\n{rows_html}\n</tbody>\n</table>"


def _align(right: bool) -> str:
    return ' style="text-align: right;"' if right else ""


def _shown(rows: list[Row]) -> list[tuple[str, Snippet, RunResult]]:
    """The rows that have a result, by where they are embedded."""
    return [(where, snippet, result) for where, snippet, result in sorted(rows, key=itemgetter(0)) if result]


def _with_links(shown, figures: Mapping[str, list[str]]):
    """Each row with its figure links: a place's figures once, not on each variant of its grid."""
    linked: set[str] = set()
    for where, snippet, result in shown:
        yield where, snippet, result, () if where in linked else figures.get(where, ())
        linked.add(where)


def _timings(rows: list[tuple[str, Snippet, RunResult]]) -> list[Timing]:
    """One run time per snippet result (a snippet embedded twice ran once)."""
    seen: dict[str, Timing] = {}
    for _, snippet, result in rows:
        seen.setdefault(result.key, Timing(short_name(snippet.name), result.duration, result.cached))
    return list(seen.values())


def _cells(where: str, snippet: Snippet, result: RunResult, figure_links: str) -> list[str]:
    """One row's cells (HTML), in the order of ``COLUMNS``; ``figure_links`` as the table writes links."""
    memory = f"{result.peak_memory / 2**20:.0f} MiB" if result.peak_memory else "–"
    runtime = f"{result.duration:.2f} s" if result.duration else "–"
    return [
        _snippet_cell(snippet),
        f'<span class="st-path" title="{html.escape(where)}">{_breakable(short_name(where))}</span>',
        figure_links,
        _phone_count(result),
        result.status,
        runtime,
        memory,
        _cache_state(result),
        result.torch_version or "–",
        _ran_on(result),
    ]


def _phone_count(result: RunResult) -> str:
    """How many of the result's figures have a phone drawing: ``2 of 2``, or a dash without figures."""
    figures = result.figures
    if not figures:
        return "–"
    return f"{sum(1 for figure in figures if figure.phone_svg)} of {len(figures)}"


def _snippet_cell(snippet: Snippet) -> str:
    """The snippet's file, and a scrubbable figure's point on a line of its own (not in the path)."""
    if not snippet.params:
        return f'<code class="st-path">{_breakable(snippet.name)}</code>'
    point = f'<span class="st-variant">{html.escape(variant_label(snippet.params, ", "))}</span>'
    return f'<code class="st-path">{_breakable(snippet.path)}</code><br>{point}'


def short_name(where: str) -> str:
    """``docs/blog/posts/x.md::L40`` as ``x.md:40``; ``snippets/cnn.py`` as ``cnn.py``."""
    path, _, line = where.partition("::L")
    return posixpath.basename(path) + (f":{line}" if line else "")


def _breakable(text: str) -> str:
    """``text`` escaped, with a line-break opportunity after each ``/`` (``-`` already is one)."""
    return html.escape(text).replace("/", "/<wbr>")


def _ran_on(result: RunResult) -> str:
    """``w-gpu, cuda:0 (H100)``: the worker and the device, as far as they are known."""
    return ", ".join(part for part in (result.worker, result.device) if part) or "–"


def _cache_state(result: RunResult) -> str:
    if result.from_remote:
        return "remote"
    return "yes" if result.cached else "no"
