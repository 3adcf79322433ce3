"""What a problem does, decided once for every host: a build stops and names it, serving shows it."""

from __future__ import annotations

from site_tools.settings import SiteToolsOptions
from site_tools.site.build_mode import BuildMode

PROBLEM = "docs/blog/posts/x.md:12: snippet snippets/a.py failed (error)"


def test_a_build_stops_on_any_problem_and_serving_never_does() -> None:
    assert BuildMode(serving=False).stops([PROBLEM])
    assert not BuildMode(serving=False).stops([])
    assert not BuildMode(serving=True).stops([PROBLEM])


def test_serving_shows_problems_and_warnings_on_their_pages() -> None:
    served = BuildMode(serving=True).renderer_options()
    assert served["show_problems"] and served["show_warnings"]
    built = BuildMode(serving=False).renderer_options()
    assert not built["show_problems"] and not built["show_warnings"]


def test_a_build_shows_warnings_when_the_options_ask() -> None:
    options = SiteToolsOptions(show_warnings=True, figure_budget_kb=7, scrub_budget_kb=9)
    given = BuildMode(serving=False, options=options).renderer_options()
    wanted = {"show_problems": False, "show_warnings": True, "figure_budget_kb": 7, "scrub_budget_kb": 9}
    assert given == wanted


def test_the_log_says_which_it_was() -> None:
    assert BuildMode(serving=False).problem_line(PROBLEM) == f"ERROR: {PROBLEM}"
    assert BuildMode(serving=True).problem_line(PROBLEM) == f"error, shown on its page: {PROBLEM}"
    assert BuildMode(serving=True).budget_line("a.svg: 600 KB") == "warning: a.svg: 600 KB"
    assert BuildMode.stop_message(2) == "site-tools found 2 problem(s) above; the build stops here."
