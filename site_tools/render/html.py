"""Turn an embed and its run result into Markdown and HTML for a page. Everything printed is escaped."""

from __future__ import annotations

import html
import re
import textwrap
from collections.abc import Callable

from site_tools.engine.model import Embed, Figure, RunResult
from site_tools.render.provenance import FIGURE_META_CLASS, permalink_html, provenance_html
from site_tools.render.source_box import CLASS as SOURCE_BOX
from site_tools.render.tables import stdout_html

# (figure, figure_id, alt) -> its drawing in its box (site/figures.py: the <picture> of its files)
FigureRenderer = Callable[[Figure, str, str], str]
# (figure_id, caption, alt, rendered figure) -> (more attributes of its <figure>, what replaces the
# rendered figure): how a scrubbable figure (render/scrub.py) adds its controls
FigureDecorator = Callable[[str, str, str, str], tuple[str, str]]


def source_markdown(embed: Embed) -> str:
    """The snippet's code as a fenced block: shown, in a collapsed note, or nothing.

    A collapsed note's code waits in the page until the reader opens it (render/source_box.py)."""
    if embed.options.source == "hidden" or embed.snippet.kind == "notebook":
        return ""
    code = "".join(cell.code for cell in embed.snippet.cells)
    title = embed.snippet.path if embed.snippet.kind == "file" else "python"
    block = fenced(code, "python", title)
    if embed.options.source == "collapsed":
        return f'??? example {SOURCE_BOX} "Source: {title}"\n\n{textwrap.indent(block, "    ")}\n'
    return block + "\n"


def fenced(text: str, language: str, title: str | None = None) -> str:
    """``text`` in a fenced block whose fence is longer than any backtick run inside it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    attributes = f' title="{_attr(title)}"' if title else ""
    return f"{fence}{language}{attributes}\n{text.rstrip()}\n{fence}\n"


def figure_id(embed: Embed, index: int, taken: set[str]) -> str:
    """A page-unique id: the embed's ``id`` option, else one made from the snippet's name."""
    base = embed.options.id or re.sub(r"[^a-z0-9]+", "-", _source(embed).lower()).strip("-")
    candidate = f"fig-{base}-{index + 1}" if (embed.options.id is None or index) else f"fig-{base}"
    unique, n = candidate, 2
    while unique in taken:
        unique, n = f"{candidate}-{n}", n + 1
    taken.add(unique)
    return unique


def output_html(
    embed: Embed,
    result: RunResult,
    *,
    render_figure: FigureRenderer,
    taken_ids: set[str],
    downloads: tuple[tuple[str, str], ...] = (),
    caption_markup: Callable[[str], str] = html.escape,
    plain_text: Callable[[str], str] = str,
    alt_markup: Callable[[str], str | None] = lambda alt: None,
    decorate: FigureDecorator | None = None,
) -> str:
    """Figures with captions, each followed by its permalink and provenance, then stdout (escaped;
    printed tables as tables), then downloads.

    ``caption_markup`` turns a caption into HTML and ``plain_text`` an alt text into text (both
    resolve cited values, site_tools/render/values.py); ``alt_markup`` gives an alt text that must
    follow another figure's choice as HTML, for the figure's ``data-st-alt`` (render/scrub.py).
    """
    parts = []
    for index, figure in enumerate(result.figures):
        fig_id = figure_id(embed, index, taken_ids)
        caption = _pick(embed.options.caption, index)
        written_alt = _pick(embed.options.alt, index) or caption or f"Figure {index + 1} of {_source(embed)}"
        alt = plain_text(written_alt)
        caption_html = f"<figcaption>{caption_markup(caption)}</figcaption>" if caption else ""
        rendered, attributes = render_figure(figure, fig_id, alt), ""
        if decorate is not None:
            attributes, rendered = decorate(fig_id, caption, written_alt, rendered)
        if following := alt_markup(written_alt):
            attributes += f' data-st-alt="{html.escape(following)}"'
        # The caption is the figure's last child (HTML wants it first or last); the permalink and
        # the provenance line follow the figure, in a block of their own.
        parts.append(
            f'<figure class="st-figure" id="{fig_id}"{attributes}>{rendered}{caption_html}</figure>\n'
            f'<div class="{FIGURE_META_CLASS}">{permalink_html(fig_id)}'
            f"{provenance_html(result, embed.snippet.name)}</div>"
        )
    if embed.options.stdout and result.stdout.strip():
        parts.append(
            '<div class="st-stdout"><span class="st-label">Output</span>'
            f"{stdout_html(result.stdout)}</div>"
        )
    if downloads:
        links = " · ".join(
            f'<a href="{html.escape(url)}" download>{html.escape(label)}</a>'
            for label, url in downloads
        )
        parts.append(f'<p class="st-downloads">Download: {links}</p>')
    return "\n".join(parts)


def _source(embed: Embed) -> str:
    """The embed's snippet as readers know it: its file (not a variant of its grid), or its block."""
    return embed.snippet.path if embed.snippet.kind == "file" else embed.snippet.name


def _pick(texts: tuple[str, ...], index: int) -> str:
    if not texts:
        return ""
    return texts[index] if index < len(texts) else texts[-1]


def problem_markdown(title: str, details: str) -> str:
    """A failure admonition with escaped details, for pages shown while serving."""
    body = textwrap.indent(fenced(details, "text"), "    ")
    return f'!!! failure "{_attr(title)}"\n\n{body}\n\n'


def not_run_html(embed: Embed) -> str:
    return (
        '<div class="admonition info st-not-run"><p class="admonition-title">Not executed</p>'
        f"<p>{html.escape(embed.snippet.name)} has no cached result and execution is off "
        "(<code>SITE_TOOLS_EXECUTE=0</code>); build with execution on to see its figures.</p></div>"
    )


def _attr(text: str) -> str:
    return text.replace('"', "'")
