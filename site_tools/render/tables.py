"""What a snippet prints, as the page shows it: text in a ``<pre>``, tables as tables.

Two kinds of printed table become HTML tables, and both print the same with plain ``python``:

- a Markdown pipe table (a header row, a ``|---|`` row, body rows), e.g. from a list of rows or
  ``DataFrame.to_markdown()``; every cell is escaped;
- an HTML ``<table>`` (``print(df.to_html())``, or ``print(obj._repr_html_())`` for any object
  with a rich display), sanitised by bleach to table markup only: no scripts, styles, event
  handlers or links.

Everything else is escaped text, shown as a terminal would show it (``\\r`` progress collapsed).
"""

from __future__ import annotations

import html
import re

from site_tools.render.terminal import as_terminal

TABLE_TAGS = frozenset(
    {"table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td", "b", "i", "em"}
)
TABLE_ATTRIBUTES = {"th": ["colspan", "rowspan", "scope"], "td": ["colspan", "rowspan"], "col": ["span"]}
# A printed HTML table: pandas wraps its own in a <div> with a <style>; both are dropped.
_HTML_TABLE = re.compile(
    r"(?:<div[^>]*>\s*)?(?:<style\b.*?</style>\s*)?<table\b.*?</table>(?:\s*</div>)?", re.S | re.I
)
_DROPPED_WITH_CONTENT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.S | re.I)
_ROW = re.compile(r"^\s*\|.*\|\s*$")
_SEPARATOR = re.compile(r"^\s*\|(\s*:?-{3,}:?\s*\|)+\s*$")


def stdout_html(text: str) -> str:
    """``text`` as HTML: printed tables as tables, the rest escaped in ``<pre>`` blocks."""
    parts: list[str] = []
    for kind, chunk in _segments(as_terminal(text)):
        if kind == "html":
            parts.append(sanitised_table(chunk))
        elif kind == "markdown":
            parts.append(markdown_table(chunk))
        elif chunk.strip():
            parts.append(f"<pre><code>{html.escape(chunk.strip(chr(10)).rstrip())}</code></pre>")
    return "".join(parts)


def _segments(text: str) -> list[tuple[str, str]]:
    segments: list[tuple[str, str]] = []
    position = 0
    for found in _HTML_TABLE.finditer(text):
        segments.extend(_markdown_segments(text[position : found.start()]))
        segments.append(("html", found.group()))
        position = found.end()
    segments.extend(_markdown_segments(text[position:]))
    return segments


def _markdown_segments(text: str) -> list[tuple[str, str]]:
    lines = text.split("\n")
    segments: list[tuple[str, str]] = []
    plain: list[str] = []
    i = 0
    while i < len(lines):
        if i + 1 < len(lines) and _ROW.match(lines[i]) and _SEPARATOR.match(lines[i + 1]):
            j = i + 2
            while j < len(lines) and _ROW.match(lines[j]):
                j += 1
            segments.append(("text", "\n".join(plain)))
            plain = []
            segments.append(("markdown", "\n".join(lines[i:j])))
            i = j
        else:
            plain.append(lines[i])
            i += 1
    segments.append(("text", "\n".join(plain)))
    return segments


def _cells(row: str) -> list[str]:
    return [cell.strip() for cell in row.strip().strip("|").split("|")]


def markdown_table(text: str) -> str:
    header, separator, *rows = text.split("\n")
    aligns = []
    for spec in _cells(separator):
        left, right = spec.startswith(":"), spec.endswith(":")
        aligns.append("center" if left and right else "right" if right else "left" if left else "")

    def row_html(cells: list[str], tag: str) -> str:
        out = []
        for n, cell in enumerate(cells):
            align = aligns[n] if n < len(aligns) and aligns[n] else ""
            style = f' style="text-align: {align}"' if align else ""
            out.append(f"<{tag}{style}>{html.escape(cell)}</{tag}>")
        return "<tr>" + "".join(out) + "</tr>"

    body = "".join(row_html(_cells(row), "td") for row in rows)
    return (
        f'<div class="st-table"><table><thead>{row_html(_cells(header), "th")}</thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def sanitised_table(markup: str) -> str:
    """Printed table HTML with only table markup left (bleach drops the rest, keeping cell text)."""
    markup = _DROPPED_WITH_CONTENT.sub("", markup)
    import bleach  # imported when a table is printed: 15 ms that a build of cached pages need not pay

    clean = bleach.clean(markup, tags=TABLE_TAGS, attributes=TABLE_ATTRIBUTES, strip=True)
    return f'<div class="st-table">{clean.strip()}</div>'
