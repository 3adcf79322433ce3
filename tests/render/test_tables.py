"""Printed tables become HTML tables; everything else stays escaped text."""

from __future__ import annotations

from bs4 import BeautifulSoup

from site_tools.render.tables import stdout_html

MARKDOWN = "before\n| model | loss |\n|:---|---:|\n| <b>mlp</b> | 0.12 |\n| cnn | 0.05 |\nafter\n"
PANDAS_LIKE = (
    "<div>\n<style scoped>\n    .dataframe tbody tr th { vertical-align: top; }\n</style>\n"
    '<table border="1" class="dataframe" onclick="alert(1)">\n  <thead><tr><th>loss</th></tr></thead>\n'
    '  <tbody><tr><td><a href="javascript:alert(2)">0.5</a><script>alert(3)</script>'
    '<img src=x onerror="alert(4)"></td></tr></tbody>\n</table>\n</div>\n'
)


def test_a_printed_markdown_table_is_a_table_with_escaped_cells() -> None:
    page = BeautifulSoup(stdout_html(MARKDOWN), "lxml")
    table = page.select_one("table")
    assert [th.get_text() for th in table.select("th")] == ["model", "loss"]
    assert [td.get_text() for td in table.select("td")] == ["<b>mlp</b>", "0.12", "cnn", "0.05"]
    assert table.select_one("b") is None  # cell text is escaped, never markup
    assert table.select("td")[1]["style"] == "text-align: right"
    assert [pre.get_text() for pre in page.select("pre")] == ["before", "after"]


def test_a_printed_html_table_is_sanitised_to_table_markup() -> None:
    out = stdout_html(PANDAS_LIKE)
    page = BeautifulSoup(out, "lxml")
    assert [td.get_text() for td in page.select("td")] == ["0.5"]
    for bad in ("alert", "<script", "<style", "onclick", "javascript:", "<img", "<a ", "vertical-align"):
        assert bad not in out, bad


def test_text_that_only_looks_like_markup_is_escaped() -> None:
    out = stdout_html("<script>alert('x')</script>\n| not a table |\n")
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "<table" not in out
