"""Citations of published values in a page's words: find them, check them, format and render them.

A citation is written ``{value}`file.py:name:format` ``, in the style of MyST's ``{glue}`` role:

- ``file.py`` is a snippet the page embeds (relative to ``snippets/``); inside an embed's
  ``caption`` or ``alt`` it may be left out, and then means that embed's snippet;
- ``name`` is what the snippet published with ``publish.value(name, ...)``;
- ``format`` is optional, a small part of Python's format mini-language: ``.1f`` (decimals),
  ``.0%`` (percent), ``,`` or ``,.0f`` (thousands separator), ``.2e``, ``.3g``, ``d`` (an int),
  ``+`` (a sign). Text values take no format.

The syntax keeps clear of Jinja (``{{ }}``, ``{% %}``, ``{# #}``) and of Markdown: citations are
replaced in the page's Markdown before Markdown, excerpts, the search index or the feed see it.
Code (fenced blocks and inline code spans) is left alone, so the syntax can be shown.
"""

from __future__ import annotations

import bisect
import difflib
import html
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from site_tools.engine.collect.discover import iter_fences
from site_tools.engine.model import RunResult
from site_tools.problems import Problem

ROLE = "{value}"
_SPEC = re.compile(r"^(?P<sign>\+)?(?P<comma>,)?(?:\.(?P<precision>\d{1,2}))?(?P<type>[fd%eg])?$")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
FORMATS = "`.1f` (decimals), `.0%` (percent), `,` or `,.0f` (thousands), `.2e`, `.3g`, `d`, `+`"


@dataclass(frozen=True)
class Citation:
    raw: str  # the whole citation as written
    start: int  # offsets in the text scanned
    end: int
    line: int  # 1-based line in the text scanned
    snippet: str | None  # as written, relative to snippets/ (``depth_vs_width.py``), or None
    name: str
    spec: str
    problem: str | None = None  # a syntax problem, found without running anything


def parse(raw: str, body: str, start: int, end: int, line: int) -> Citation:
    parts = body.strip().split(":")
    snippet = parts.pop(0) if len(parts) > 1 and parts[0].endswith(".py") else None
    name = parts[0] if parts else ""
    spec = ":".join(parts[1:])
    problem = None
    if not _NAME.match(name):
        problem = f"citation {raw}: write it as {ROLE}`file.py:name` or {ROLE}`file.py:name:format`"
    elif not _SPEC.match(spec):
        problem = f"citation {raw}: format `{spec}` is not one of {FORMATS}"
    return Citation(raw, start, end, line, snippet, name, spec, problem)


def find(text: str, *, skip_fences: bool = True) -> list[Citation]:
    """Every citation in ``text`` outside code, in order, with its line."""
    lines_start = [0] + [m.end() for m in re.finditer("\n", text)]
    found = []
    for lo, hi in _prose_ranges(text, skip_fences):
        for start, end, body in _scan(text, lo, hi):
            line = bisect.bisect_right(lines_start, start)
            found.append(parse(text[start:end], body, start, end, line))
    return found


def _prose_ranges(text: str, skip_fences: bool) -> Iterator[tuple[int, int]]:
    """Offsets of ``text`` outside fenced code blocks."""
    if not skip_fences:
        yield 0, len(text)
        return
    offsets = [0] + [m.end() for m in re.finditer("\n", text)] + [len(text)]
    position = 0
    for fence in iter_fences(text):
        start = offsets[fence.start - 1]
        yield position, start
        position = offsets[min(fence.end, len(offsets) - 1)]
    yield position, len(text)


def _scan(text: str, lo: int, hi: int) -> Iterator[tuple[int, int, str]]:
    """(start, end, body) of each citation in ``text[lo:hi]``, skipping inline code spans."""
    ticks = re.compile(r"`+")
    position = lo
    while True:
        run = ticks.search(text, position, hi)
        if run is None:
            return
        if text.endswith(ROLE, lo, run.start()) and len(run.group()) == 1:
            close = text.find("`", run.end(), hi)
            if close != -1 and "\n" not in text[run.end() : close]:
                yield run.start() - len(ROLE), close + 1, text[run.end() : close]
                position = close + 1
                continue
        # A code span: it ends at the next run of exactly as many backticks.
        closing = re.compile(rf"(?<!`){run.group()}(?!`)")
        match = closing.search(text, run.end(), hi)
        position = match.end() if match else run.end()


@dataclass(frozen=True)
class Source:
    """A snippet a page embeds: its repository path and its result (None before it has one)."""

    path: str  # ``snippets/depth_vs_width.py``
    result: RunResult | None


@dataclass(frozen=True)
class Outcome:
    citation: Citation
    source: str = ""  # ``snippets/x.py:name``
    text: str = ""  # the formatted value
    title: str = ""
    problem: str | None = None
    pending: bool = False  # no result to read (not run, or the snippet failed: reported elsewhere)


def resolve(citation: Citation, sources: Mapping[str, Source], default: str | None = None) -> Outcome:
    """What ``citation`` shows, given the page's snippets (by name under ``snippets/``)."""
    if citation.problem:
        return Outcome(citation, problem=citation.problem)
    snippet = citation.snippet or default
    if snippet is None:
        return Outcome(
            citation,
            problem=f"citation {citation.raw} must name its snippet: {ROLE}`file.py:{citation.name}`",
        )
    if snippet not in sources:
        embedded = ", ".join(sorted(sources)) or "none"
        return Outcome(
            citation,
            problem=f"citation {citation.raw} cites {snippet}, which this page does not embed"
            f" (embedded snippets: {embedded})",
        )
    source = sources[snippet]
    where = f"{source.path}:{citation.name}"
    result = source.result
    if result is None or not result.ok:
        return Outcome(citation, where, "?", f"{where}: not computed in this build", pending=True)
    if citation.name not in result.values:
        published = ", ".join(sorted(result.values)) or "nothing"
        hint = difflib.get_close_matches(citation.name, list(result.values), n=1)
        guess = f" (did you mean `{hint[0]}`?)" if hint else ""
        return Outcome(
            citation,
            problem=f"citation {citation.raw}: {source.path} publishes no value `{citation.name}`{guess};"
            f" it publishes: {published}",
        )
    value = result.values[citation.name]
    try:
        text = format_value(value, citation.spec)
    except TypeError as error:
        return Outcome(
            citation, problem=f"citation {citation.raw}: value `{citation.name}` of {source.path} {error}"
        )
    return Outcome(citation, where, text, f"{where} = {value!r}, computed by {source.path}")


def format_value(value: object, spec: str) -> str:
    """``value`` as ``spec`` asks; ``TypeError`` (with the reason) when the type does not fit."""
    match = _SPEC.match(spec)
    if match is None:
        raise TypeError(f"has an unknown format `{spec}`")
    kind = match["type"]
    if isinstance(value, str):
        if spec:
            raise TypeError(f"is text ({value!r}); text takes no format, cite it without `:{spec}`")
        return value
    if isinstance(value, bool):
        if spec:
            raise TypeError(f"is a bool ({value}); a bool takes no format")
        return "yes" if value else "no"
    if kind == "d" and not isinstance(value, int):
        raise TypeError(f"is a float ({value!r}); format `{spec}` needs an int: use `.0f`")
    if kind == "d" and match["precision"]:
        raise TypeError(f"format `{spec}`: an int takes no decimals")
    if not isinstance(value, int | float):
        raise TypeError(f"is a {type(value).__name__}; format `{spec}` needs a number")
    if not spec:
        return str(value) if isinstance(value, int) else format(value, "g")
    if match["precision"] is None and kind in (None, "") and isinstance(value, float):
        spec += "g"  # `,` alone on a float: shortest digits with a thousands separator
    return format(value, spec)


# -- rendering ------------------------------------------------------------------------------------
def _markdown_safe(text: str) -> str:
    """``text`` escaped for HTML and protected from Markdown's inline syntax."""
    escaped = html.escape(text)
    return re.sub(r"[`*_\[\]\\{}#|~]", lambda m: f"&#{ord(m.group())};", escaped)


def outcome_html(outcome: Outcome, *, markdown: bool = True) -> str:
    """The element a reader sees: the value, hovering shows where it came from."""
    protect = _markdown_safe if markdown else html.escape
    if outcome.problem:
        title = html.escape(outcome.problem)
        return f'<mark class="st-value-error" title="{title}">⚠ {protect(outcome.problem)}</mark>'
    classes = "st-value st-value-pending" if outcome.pending else "st-value"
    spec = outcome.citation.spec  # with the source, what a scrubbable figure's variant files key by
    return (
        f'<span class="{classes}" data-source="{html.escape(outcome.source)}"'
        + (f' data-format="{html.escape(spec)}"' if spec else "")
        + f' title="{html.escape(outcome.title)}">{protect(outcome.text)}</span>'
    )


def outcome_text(outcome: Outcome) -> str:
    """The value as plain text (alt text, descriptions)."""
    return f"⚠ {outcome.problem}" if outcome.problem else outcome.text


def substitute(text: str, render: Callable[[Citation], str], *, skip_fences: bool = True) -> str:
    """``text`` with each citation replaced by what ``render`` returns for it."""
    parts, position = [], 0
    for citation in find(text, skip_fences=skip_fences):
        parts += [text[position : citation.start], render(citation)]
        position = citation.end
    return "".join(parts) + text[position:]


class Citer:
    """Citations for one page: renders them and keeps the problems met."""

    def __init__(self, sources: Mapping[str, Source]) -> None:
        self.sources = sources
        self.problems: list[str] = []

    def _outcome(self, citation: Citation, default: str | None) -> Outcome:
        outcome = resolve(citation, self.sources, default)
        if outcome.problem:
            self.problems.append(outcome.problem)
        return outcome

    def markdown(self, text: str) -> str:
        """Page Markdown (prose): citations become inline HTML; code is left alone."""
        return substitute(text, lambda c: outcome_html(self._outcome(c, None)))

    def caption_html(self, text: str, default: str | None) -> str:
        """A caption as HTML: the text escaped, the citations as elements."""
        parts, position = [], 0
        for citation in find(text, skip_fences=False):
            parts += [html.escape(text[position : citation.start])]
            parts.append(outcome_html(self._outcome(citation, default), markdown=False))
            position = citation.end
        return "".join(parts) + html.escape(text[position:])

    def plain(self, text: str, default: str | None = None) -> str:
        """Alt text or a description: citations become the bare value."""
        return substitute(text, lambda c: outcome_text(self._outcome(c, default)), skip_fences=False)


def cite_elsewhere(
    text: str, sources: Mapping[str, Source], page: str, line: int
) -> tuple[str, list[Problem]]:
    """A page's words (a post's description) shown on another page (a list of posts), as Markdown.

    Citations are resolved against ``sources``, the snippets of the page the words belong to (at
    ``page``:``line``), and become the same elements as on that page. One that cannot be resolved is
    returned as a problem and shows as a pending value, never as the warning text.
    """
    problems: list[Problem] = []

    def render(citation: Citation) -> str:
        outcome = resolve(citation, sources)
        if outcome.problem is None:
            return outcome_html(outcome)
        problems.append(Problem(page, line + citation.line - 1, "value", outcome.problem))
        hidden = Outcome(citation, text="?", title="not shown: see the build's problems", pending=True)
        return outcome_html(hidden)

    return substitute(text, render, skip_fences=False), problems


# -- checking a whole page ------------------------------------------------------------------------
def page_sources(embeds, result_of: Callable, snippets_prefix: str) -> dict[str, Source]:
    """The snippet files a page embeds, by their name under ``snippets/``, with their results."""
    prefix = snippets_prefix.rstrip("/") + "/"
    return {
        embed.snippet.path.removeprefix(prefix): Source(embed.snippet.path, result_of(embed.snippet))
        for embed in embeds
        if embed.snippet.kind == "file"
    }


def check_page(
    page: str, text: str, embeds, sources: Mapping[str, Source], refused: frozenset[str] = frozenset()
) -> list[Problem]:
    """Every citation problem of one page (its whole file ``text``), each with its line.

    Prose and front matter cite with the snippet named; an embed's own lines (its caption and alt)
    may leave it out. Citations of snippets without a result yet are not checked, nor those of a
    snippet whose embed was ``refused`` (its own problem says why; one error, not one per citation).
    """
    lines = text.split("\n")
    found = [(citation, None) for citation in find(text)]
    prefix = {source.path: name for name, source in sources.items()}
    for embed in embeds:
        block = "\n".join(lines[embed.start : embed.end - 1])  # between the fence lines
        default = prefix.get(embed.snippet.path) if embed.snippet.kind == "file" else None
        for citation in find(block, skip_fences=False):
            moved = Citation(**{**citation.__dict__, "line": citation.line + embed.start})
            found.append((moved, default))
    problems = []
    for citation, default in found:
        if (citation.snippet or default) in refused:
            continue
        outcome = resolve(citation, sources, default)
        if outcome.problem:
            problems.append(Problem(page, citation.line, "value", outcome.problem))
    return sorted(problems, key=lambda problem: problem.line or 0)
