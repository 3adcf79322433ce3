"""Cited values end to end: real `mkdocs build`, `mkdocs serve` and `site-tools check` of a small blog.

The template's post cites what its snippet publishes in the description, the excerpt, the prose, a
caption and an alt text; each place a reader (or a feed reader, or search) meets the words must show
the computed value, never the citation.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest
from bs4 import BeautifulSoup

from tests.robustness.support import POST, POST_URL, Server, Site, line_of

pytestmark = pytest.mark.slow
CITATION = "{value}"


def soup(text: str) -> BeautifulSoup:
    return BeautifulSoup(text, "lxml")


def test_prose_caption_and_alt_show_the_values_with_their_source(built: Site) -> None:
    article = soup(built.page(POST_URL)).select_one("article")
    shown_code = [code.extract().get_text() for code in article.select("code")]
    assert "{value}`curve.py:peak`" in shown_code  # the syntax shown in inline code stays as written
    assert CITATION not in article.get_text()
    prose = [(v["data-source"], v.get_text()) for p in article.select("p") for v in p.select("span.st-value")]
    assert prose == [
        ("snippets/curve.py:shape", "parabola"),
        ("snippets/curve.py:peak", "4.00"),
        ("snippets/curve.py:share", "46.3%"),
        ("snippets/curve.py:points", "41"),
    ]
    text = " ".join(article.get_text().split())
    assert "A parabola whose peak is 4.00, computed at build time." in text
    assert "Of its points, 46.3% lie below one; there are 41 in all." in text
    first = article.select_one("span.st-value")
    assert first["title"] == "snippets/curve.py:shape = 'parabola', computed by snippets/curve.py"
    figure = article.select_one("figure#fig-parabola")
    assert " ".join(figure.figcaption.get_text().split()) == "A parabola through 41 points, peaking at 4.0."
    assert [s["data-source"] for s in figure.figcaption.select("span.st-value")] == [
        "snippets/curve.py:points",
        "snippets/curve.py:peak",
    ]
    assert figure.find("img")["alt"] == "A parabola opening upwards, up to 4."  # the drawing's alt text


def test_description_excerpt_search_index_and_feed_show_values(built: Site) -> None:
    site = built.root / "site"
    page = soup(built.page(POST_URL))
    description = page.find("meta", attrs={"name": "description"})["content"]
    assert description == "A parabola through 41 computed points."
    index = soup((site / "blog" / "index.html").read_text(encoding="utf-8"))
    excerpt = index.select_one("article.md-post")
    assert " ".join(excerpt.get_text().split()).count("A parabola whose peak is 4.00") == 1
    assert excerpt.select_one("span.st-value[data-source='snippets/curve.py:peak']").get_text() == "4.00"
    search = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    texts = " ".join(doc["text"] + doc["title"] for doc in search["docs"])
    assert CITATION not in re.sub(r"<code>.*?</code>", "", texts, flags=re.DOTALL)  # code may show it
    assert "46.3% lie below one" in texts and "A parabola through 41 points, peaking at 4.0." in texts
    assert "Provenance" not in texts  # provenance lines are left out of search
    feed = BeautifulSoup((site / "feed_rss_created.xml").read_text(encoding="utf-8"), "xml")
    (item,) = feed.find_all("item")
    assert item.description.get_text().strip() == "A parabola through 41 computed points."
    assert CITATION not in feed.get_text()


def test_each_figure_has_a_permalink_and_collapsed_provenance_linked_from_the_report(built: Site) -> None:
    page = soup(built.page(POST_URL))
    figure = page.select_one("figure.st-figure")
    assert figure["id"] == "fig-parabola"
    assert figure.find_all(recursive=False)[-1].name == "figcaption"  # HTML: first or last child
    meta = figure.find_next_sibling()  # the permalink and provenance follow the figure
    assert meta is not None and "st-figure-meta" in meta["class"]
    assert meta.select_one("a.st-permalink")["href"] == "#fig-parabola"
    (details,) = meta.select("details.st-provenance")
    assert not details.has_attr("open") and details.has_attr("data-search-exclude")
    facts = " ".join(details.get_text().split())
    for fact in ("snippets/curve.py", "python 3.", "torch ", "matplotlib ", "device cpu", "seed 0", "ran "):
        assert fact in facts, facts
    assert re.search(r"at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", facts)
    assert re.search(r"key [0-9a-f]{12}", facts) and "computed in this build" in facts
    # One line of HTML, so that builds can be compared line by line without it.
    html = built.page(POST_URL)
    (line,) = [line for line in html.splitlines() if "st-provenance" in line]
    assert line.startswith('<details class="st-provenance"') and line.endswith("</details>")
    stylesheet = page.find("link", href=re.compile(r"assets/site-tools/provenance\.css$"))
    assert stylesheet is not None  # keeps the line small and the values dotted-underlined
    assert "st-provenance" in (built.root / "site" / "assets/site-tools/provenance.css").read_text()
    report = soup(built.page("execution-report"))
    links = [a["href"] for a in report.select("a[href*='#fig-']")]
    assert links == [f"../{POST_URL}#fig-parabola"]


def without_provenance(html: str) -> str:
    return "\n".join(line for line in html.splitlines() if "st-provenance" not in line)


def test_a_cached_build_shows_the_values_without_running(built: Site, site: Site) -> None:
    before = built.page(POST_URL)  # the first, executing build (the copy's site/ is not copied)
    run = site.build(env={"SITE_TOOLS_EXECUTE": "0"})
    assert run.returncode == 0, run.log
    assert run.counts() == (1, 0, 1, 0)
    after = site.page(POST_URL)
    assert without_provenance(after) == without_provenance(before)  # the only line that differs
    assert "from the cache" in soup(after).select_one(".st-provenance").get_text()
    assert "computed in this build" in soup(before).select_one(".st-provenance").get_text()


def test_a_value_changes_when_the_snippet_changes_and_the_page_with_it(site: Site) -> None:
    snippet = site.root / "snippets" / "curve.py"
    snippet.write_text(snippet.read_text().replace("range(-20, 21)", "range(-30, 31)"), encoding="utf-8")
    run = site.build()
    assert run.returncode == 0, run.log
    assert run.counts() == (1, 1, 0, 0)
    article = soup(site.page(POST_URL)).select_one("article")
    text = " ".join(article.get_text().split())
    assert "peak is 9.00" in text and "there are 61 in all" in text
    assert " ".join(article.figcaption.get_text().split()) == "A parabola through 61 points, peaking at 9.0."


BROKEN = {
    "unpublished": ("Its {value}`curve.py:peek:.1f` is here.", "snippets/curve.py publishes no value `peek`"),
    "wrong type": ("It is a {value}`curve.py:shape:.1f`.", "value `shape` of snippets/curve.py is text"),
    "not embedded": ("See {value}`other.py:peak`.", "cites other.py, which this page does not embed"),
}


def break_post(site: Site) -> dict[str, int]:
    """Add one broken citation of each kind to the post; return the line of each."""
    path = site.root / POST
    text = path.read_text(encoding="utf-8")
    for sentence, _ in BROKEN.values():
        text = text.replace("<!-- more -->\n", f"<!-- more -->\n\n{sentence}\n", 1)
    path.write_text(text, encoding="utf-8")
    return {kind: line_of(text, sentence) for kind, (sentence, _) in BROKEN.items()}


def test_each_broken_citation_fails_the_build_with_post_line_and_snippet(site: Site) -> None:
    lines = break_post(site)
    run = site.build()
    assert run.returncode != 0
    for kind, (_, message) in BROKEN.items():
        wanted = rf"ERROR\s+-\s+(site_tools: )?{POST}:{lines[kind]}: citation .*{re.escape(message)}"
        assert re.search(wanted, run.log), (kind, run.log)
    assert "3 problem(s) above" in run.log


def test_site_tools_check_reports_them_without_running(site: Site) -> None:
    lines = break_post(site)
    run = site.check()
    assert run.returncode == 1, run.log
    for kind, (_, message) in BROKEN.items():  # the cache holds curve.py's result: all three found
        assert f"{POST}:{lines[kind]}: citation" in run.log and message in run.log, (kind, run.log)
    assert "site_tools:" not in run.log  # nothing ran


def test_check_without_a_cached_result_still_finds_what_needs_no_run(site: Site) -> None:
    lines = break_post(site)
    with (site.root / POST).open("a", encoding="utf-8") as post:
        post.write("\nBad {value}`curve.py:peak:.1q`.\n")
    shutil.rmtree(site.root / ".cache")
    run = site.check()
    assert run.returncode == 1, run.log
    assert f"{POST}:{lines['not embedded']}: citation" in run.log
    assert "format `.1q` is not one of" in run.log
    assert "publishes no value" not in run.log  # cannot know without a result


@pytest.mark.serve
def test_serve_shows_a_broken_citation_on_its_page_and_keeps_serving(site: Site) -> None:
    break_post(site)
    server = Server(site)
    try:
        server.wait_ready()
        status, html = server.get(POST_URL)
        assert status == 200
        marks = [" ".join(m.get_text().split()) for m in soup(html).select("mark.st-value-error")]
        for _, message in BROKEN.values():
            assert any(message in mark for mark in marks), (message, marks)
        assert server.alive()
    finally:
        server.stop()
