"""The execution report: a run-time chart written as SVG from the recorded run times, and a table
whose paths are short and break only between words."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from site_tools.engine.model import CellOutput, Figure, RunResult, Snippet
from site_tools.render.report import report_markdown, report_table_html, short_name
from site_tools.render.runtime_chart import Timing, runtime_chart_svg

SVG = "{http://www.w3.org/2000/svg}"


def test_the_chart_has_one_bar_per_snippet_longest_first_scaled_to_the_longest() -> None:
    svg = runtime_chart_svg(
        [Timing("a.py", 1.0, False), Timing("b<c>.py", 4.0, True), Timing("never.py", 0.0, False)]
    )
    root = ET.fromstring(svg)  # well-formed XML, the label escaped
    bars = root.findall(f"{SVG}rect")
    assert [bar.get("width") for bar in bars] == ["100.0%", "25.0%"]
    assert [bar.get("class") for bar in bars] == ["st-bar st-bar-cached", "st-bar"]
    labels = [text.text for text in root.findall(f"{SVG}text")]
    assert labels == ["b<c>.py · 4.00 s · cached", "a.py · 1.00 s"]
    assert root.get("aria-label") == "Run time per snippet, longest first; 5.0 s in all"
    assert root.get("width") == "100%" and "viewBox" not in svg  # text keeps its size at any width
    assert "fill=" not in svg and "style=" not in svg  # colours come from the theme's stylesheet
    assert runtime_chart_svg([Timing("x.py", 0.0, False)]) == ""


def _result(key: str, duration: float, **kwargs) -> RunResult:
    return RunResult(key * 64, "ok", duration=duration, worker="local", device="cpu", **kwargs)


def test_the_report_charts_each_result_once_and_keeps_every_column() -> None:
    cnn = Snippet("file", "snippets/cnn.py", "snippets/cnn.py", ())
    rows = [
        ("docs/blog/posts/2024-01-01-a-long-post-name.md::L12", cnn, _result("a", 2.5)),
        ("docs/blog/posts/2024-02-02-another.md::L40", cnn, _result("a", 2.5)),  # embedded twice
        ("docs/index.md::L5", cnn, _result("b", 0.5, cached=True, from_remote=True)),
    ]
    page = report_markdown(rows)
    assert page.count("<rect ") == 2
    assert "| Ran on |" in page and page.count("| local, cpu |") == 3
    assert page.count("| remote |") == 1
    page_cell = '<span class="st-path" title="docs/blog/posts/2024-01-01-a-long-post-name.md::L12">'
    assert page_cell + "2024-01-01-a-long-post-name.md:12</span>" in page
    assert '<code class="st-path">snippets/<wbr>cnn.py</code>' in page  # breaks after a slash
    assert re.search(r"^hide: \[navigation, toc\]", page, re.M)


def test_the_html_table_says_what_the_markdown_table_says() -> None:
    """A host that knows the pages' URLs gets the table as HTML (no Markdown pass over its rows): the
    same cells, the same alignment, the figure links at their final URLs, each place linked once."""
    import markdown

    grid = Snippet("file", "snippets/g.py[lr=0.1]", "snippets/g.py", (), params=(("lr", 0.1),))
    other = Snippet("file", "snippets/g.py[lr=1.0]", "snippets/g.py", (), params=(("lr", 1.0),))
    rows = [
        ("docs/a.md::L3", grid, _result("a", 1.5, peak_memory=3 * 2**20)),
        ("docs/a.md::L3", other, _result("b", 0.25, cached=True)),
        ("docs/b.md::L9", Snippet("inline", "docs/b.md::L9", "", ()), None),  # no result: not shown
    ]
    table = report_table_html(rows, {"docs/a.md::L3": ["../a/#fig-1", "../a/#fig-2"]})
    page = report_markdown(rows, figures={"docs/a.md::L3": ["x#fig-1", "x#fig-2"]})
    after_heading = page.split("Every snippet<a")[-1].split("</h2>", 1)[-1]
    from_markdown = markdown.markdown(after_heading, extensions=["tables"])

    def cells(html: str) -> list[str]:
        found = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", html)
        return [re.sub(r"<a href=\"[^\"]*\">", "<a>", cell) for cell in found]

    assert cells(table) == cells(from_markdown) and len(cells(table)) == 30
    assert re.findall(r"<td[^>]*>", table) == re.findall(r"<td[^>]*>", from_markdown)  # right-aligned numbers
    assert table.count('<a href="../a/#fig-1">1</a> <a href="../a/#fig-2">2</a>') == 1  # once per place
    marked = report_markdown(rows, table_marker="<!-- table -->")
    assert "<!-- table -->" in marked and "| Snippet |" not in marked


def test_short_names() -> None:
    assert short_name("docs/blog/posts/x.md::L40") == "x.md:40"
    assert short_name("docs/tutorials/first-network.py") == "first-network.py"


def test_the_report_counts_phone_drawings_and_lists_each_figure_without_one_with_why() -> None:
    figures = (Figure("<svg/>", "<svg/>"), Figure("<svg/>", "", "raster: its panels are pictures"))
    both = RunResult("c" * 64, "ok", cells=(CellOutput(figures=figures),), duration=1.0)
    cnn = Snippet("file", "snippets/cnn.py", "snippets/cnn.py", ())
    plain = Snippet("file", "snippets/text.py", "snippets/text.py", ())
    page = report_markdown([("docs/a.md::L3", cnn, both), ("docs/b.md::L4", plain, _result("d", 1.0))])
    assert "| 1 of 2 |" in page and "| – |" in page  # the second result has no figure
    section = page.split("Figures with one drawing", 1)[1]
    assert "- `snippets/cnn.py`, figure 2: raster: its panels are pictures" in section
    assert "figure 1" not in section
    assert "Figures with one drawing" not in report_markdown([("docs/b.md::L4", plain, _result("d", 1.0))])
