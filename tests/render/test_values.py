"""Citations of published values: the syntax, the formats, code left alone, and each problem."""

from __future__ import annotations

import pytest

from site_tools.engine.model import Embed, Options, RunResult, Snippet
from site_tools.render.values import Citer, Source, check_page, find, format_value, page_sources

RESULT = RunResult(
    "k" * 64, "ok", values={"speedup": 8.2345, "params": 12865, "share": 0.873, "label": "deep", "ok": True}
)
SOURCES = {"depth.py": Source("snippets/depth.py", RESULT)}


@pytest.mark.parametrize(
    ("value", "spec", "shown"),
    [
        (8.2345, ".1f", "8.2"),
        (8.2345, ".0f", "8"),
        (0.873, ".0%", "87%"),
        (0.873, ".1%", "87.3%"),
        (12865, ",", "12,865"),
        (12865, ",d", "12,865"),
        (1234567.891, ",.2f", "1,234,567.89"),
        (0.000123, ".1e", "1.2e-04"),
        (3.0, "+.1f", "+3.0"),
        (12865, "", "12865"),
        (8.25, "", "8.25"),
        ("deep", "", "deep"),
        (True, "", "yes"),
    ],
)
def test_formats(value, spec, shown) -> None:
    assert format_value(value, spec) == shown


@pytest.mark.parametrize(
    ("value", "spec", "reason"),
    [("deep", ".1f", "text takes no format"), (8.5, "d", "needs an int"), (True, ".1f", "bool")],
)
def test_a_value_of_the_wrong_type_for_its_format_is_refused(value, spec, reason) -> None:
    with pytest.raises(TypeError, match=reason):
        format_value(value, spec)


def test_citations_are_found_with_snippet_name_format_and_line() -> None:
    text = "Intro.\n\nIt is {value}`depth.py:speedup:.1f`× better ({value}`share:.0%`).\n"
    first, second = find(text)
    assert (first.snippet, first.name, first.spec, first.line) == ("depth.py", "speedup", ".1f", 3)
    assert (second.snippet, second.name, second.spec) == (None, "share", ".0%")
    assert text[first.start : first.end] == "{value}`depth.py:speedup:.1f`"


def test_code_shows_the_syntax_and_is_left_alone() -> None:
    text = (
        "Write `` {value}`depth.py:speedup` `` in prose.\n\n"
        "```markdown\nIt is {value}`depth.py:speedup:.1f`× better.\n```\n\n"
        "Real: {value}`depth.py:speedup:.1f`.\n"
    )
    citer = Citer(SOURCES)
    out = citer.markdown(text)
    assert out.count('class="st-value"') == 1
    assert "`` {value}`depth.py:speedup` ``" in out
    assert "It is {value}`depth.py:speedup:.1f`× better." in out
    assert citer.problems == []


def test_rendered_value_names_its_source_and_survives_markdown() -> None:
    out = Citer(SOURCES).markdown("about {value}`depth.py:speedup:.1f`× better")
    assert out == (
        'about <span class="st-value" data-source="snippets/depth.py:speedup" data-format=".1f"'
        ' title="snippets/depth.py:speedup = 8.2345, computed by snippets/depth.py">8.2</span>× better'
    )


def test_caption_html_escapes_text_and_defaults_to_its_snippet() -> None:
    citer = Citer(SOURCES)
    html = citer.caption_html("<b>{value}`params:,`</b> parameters", "depth.py")
    assert html.startswith("&lt;b&gt;<span class=\"st-value\"") and ">12,865</span>&lt;/b&gt;" in html
    assert citer.plain("{value}`share:.0%` on the symbol", "depth.py") == "87% on the symbol"


@pytest.mark.parametrize(
    ("citation", "message"),
    [
        ("{value}`depth.py:speedp:.1f`", "publishes no value `speedp` (did you mean `speedup`?)"),
        ("{value}`depth.py:label:.1f`", "value `label` of snippets/depth.py is text"),
        ("{value}`other.py:speedup`", "cites other.py, which this page does not embed"),
        ("{value}`speedup`", "must name its snippet"),
        ("{value}`depth.py:speedup:.1q`", "format `.1q` is not one of"),
        ("{value}`depth.py:`", "write it as"),
    ],
)
def test_each_problem_is_named(citation: str, message: str) -> None:
    citer = Citer(SOURCES)
    out = citer.markdown(f"A {citation} here.")
    assert len(citer.problems) == 1 and message in citer.problems[0], citer.problems
    assert 'class="st-value-error"' in out  # shown on the page while serving


def test_a_snippet_without_a_result_shows_a_placeholder_not_an_error() -> None:
    citer = Citer({"depth.py": Source("snippets/depth.py", RunResult("k", "not-run"))})
    out = citer.markdown("{value}`depth.py:speedup:.1f`")
    assert citer.problems == [] and "st-value-pending" in out


def test_check_page_gives_the_line_of_prose_and_of_an_embed_caption(tmp_path) -> None:
    text = (
        "---\ntitle: T\n---\n\nProse {value}`depth.py:nope`.\n\n"
        "```snippet\nfile: depth.py\ncaption: 'fits {value}`speedup:.1f`x, {value}`nada`'\n```\n"
    )
    snippet = Snippet("file", "snippets/depth.py", "snippets/depth.py", ())
    embed = Embed("docs/p.md", 7, 10, "", snippet, Options())
    sources = page_sources([embed], lambda s: RESULT, "snippets")
    problems = check_page("docs/p.md", text, [embed], sources)
    assert [(p.line, "nope" in p.message or "nada" in p.message) for p in problems] == [(5, True), (9, True)]
    assert str(problems[0]).startswith("docs/p.md:5: citation {value}`depth.py:nope`: snippets/depth.py")


def test_the_syntax_means_nothing_to_jinja() -> None:
    """mkdocs-macros and other Jinja plugins render pages as templates: citations pass through them."""
    import jinja2

    text = "It is {value}`depth.py:speedup:.1f`× better, {value}`share:.0%` of it; {value}`depth.py:label`."
    assert jinja2.Environment().from_string(text).render() == text
