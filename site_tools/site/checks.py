"""The checks every host and ``site-tools check`` share: an embed's error, a failure's message, citations."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from site_tools.engine import Embed, Inventory, RunResult, Snippet
from site_tools.engine.collect.embed_options import empty_output_problem, figure_count_problem
from site_tools.problems import Problem
from site_tools.render.values import ROLE, check_page, page_sources


def output_problem(embed: Embed, result: RunResult) -> str | None:
    """Why a run that worked still cannot show as its embed promised: figures its captions miss,
    or nothing at all to show."""
    figures = len(result.figures)
    return figure_count_problem(embed.options, figures) or empty_output_problem(
        embed.options, figures, result.stdout
    )


def embed_error(embed: Embed, result: RunResult | None, snippet: Snippet | None = None) -> str | None:
    """What stops the embed's output (or ``snippet``, one variant of its grid) from showing: a failed
    run, or an output problem. Messages name the variant: ``snippets/x.py[lr=0.1]``."""
    name = (snippet or embed.snippet).name
    if result is None or result.status == "not-run":
        return None
    if not result.ok:
        return failure_message(embed.where, name, result)
    problem = output_problem(embed, result)
    return f"{embed.where}: {name}: {problem}" if problem else None


def failure_message(where: str, name: str, result: RunResult) -> str:
    if result.status == "refused":  # it never started: no line of it to point at
        return f"{where}: snippet {name} was not run: {(result.error or '').strip()}"
    location = f" at {result.error_location}" if result.error_location else ""
    details = (result.error or "").rstrip()
    return f"{where}: snippet {name} failed ({result.status}){location}:\n{details}"


def output_problems(inventory: Inventory, result_of: Callable[[Snippet], RunResult | None]) -> list[Problem]:
    """Embeds whose result (where there is one) would show nothing, or fewer figures than captions."""
    problems = []
    for embed in inventory.embeds:
        for snippet in embed.runs:  # every variant of a scrubbable figure
            result = result_of(snippet)
            if result is None or not result.ok:
                continue
            problem = output_problem(embed, result)
            if problem:
                problems.append(Problem(embed.page, embed.start, None, f"{snippet.name}: {problem}"))
    return problems


def citation_problems(
    texts: Mapping[str, str],
    inventory: Inventory,
    result_of: Callable[[Snippet], RunResult | None],
    snippets_prefix: str,
) -> list[Problem]:
    """Cited values that cannot be shown: bad syntax or format, snippet not on the page, and (where
    ``result_of`` has a result) a value not published or of a type its format does not fit."""
    problems = []
    for page, text in texts.items():
        if ROLE in text and page in inventory.pages:
            scan = inventory.pages[page]
            sources = page_sources(scan.embeds, result_of, snippets_prefix)
            problems += check_page(page, text, scan.embeds, sources, scan.refused)
    return problems
