"""A strict build of the real site, read back with a real HTML parser.

Checks what a reader gets: every post page with its title, date and categories, the blog index
and the feed listing all five posts, no leftover text anywhere, and nothing loaded from off site.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import frontmatter
import pytest
from bs4 import BeautifulSoup, Comment

from site_tools.render.budgets import FIGURE_BUDGET_KB, PAGE_BUDGET_KB
from tests.site.downloads_support import run_all

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[2]
POSTS = sorted((REPO_ROOT / "docs" / "blog" / "posts").glob("*.md"))
SITE_URL = "http://127.0.0.1:8000/"
LEFTOVERS = (
    "Feel free to customize",
    "ChatGPT can make mistakes",
    "/posts/2012/08/blog-post-4/",
    "sidebar_position: 1",
    "layout: post",
    "keywords: Deep Learning",
)
PLACEHOLDERS = (
    "deep-learning-neural-network",
    "cnn-rnn",
    "deep-learning-applications",
    "deep-learning-research",
)
TEXT_SUFFIXES = {".html", ".xml", ".json", ".js", ".css", ".txt", ".xsl", ".svg"}
OFF_SITE = re.compile(r"^(?:https?:)?//", re.I)


@pytest.fixture(scope="module")
def site(site_dir: Path) -> Path:
    """The session's strict build of the real site (tests/conftest.py)."""
    return site_dir


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def post_pages(site: Path) -> dict[str, BeautifulSoup]:
    """Post pages by their H1."""
    pages = {}
    for path in (site / "blog").glob("[0-9][0-9][0-9][0-9]/**/index.html"):
        page = soup(path)
        pages[page.select_one("article h1").get_text(strip=True)] = page
    return pages


def long_date(post: frontmatter.Post) -> str:
    date = post["date"]
    return f"{date:%B} {date.day}, {date.year}"


def test_there_are_five_posts() -> None:
    assert len(POSTS) == 5


@pytest.mark.parametrize("source", POSTS, ids=lambda p: p.stem)
def test_each_post_page_shows_title_date_and_categories(site: Path, source: Path) -> None:
    post = frontmatter.load(source)
    page = post_pages(site)[post["title"]]
    assert page.title.get_text().startswith(post["title"])
    meta = page.select_one(".md-post__meta")
    assert meta.select_one("time").get_text(strip=True) == long_date(post)
    shown = [a.get_text(strip=True) for a in meta.select("a[href*='/category/']")]
    assert shown == post["categories"]


def test_the_blog_index_lists_all_five(site: Path) -> None:
    index = soup(site / "blog" / "index.html")
    listed = {a.get_text(strip=True) for a in index.select("article.md-post h2 a")}
    assert listed == {frontmatter.load(path)["title"] for path in POSTS}


def test_the_home_page_leads_to_the_blog(site: Path) -> None:
    home = soup(site / "index.html")
    assert "computed" in home.select_one("article").get_text().lower()
    assert home.select_one("article a[href^='blog/']") is not None


def test_the_feed_has_five_items(site: Path) -> None:
    feed = BeautifulSoup((site / "feed_rss_created.xml").read_text(encoding="utf-8"), "xml")
    titles = {item.title.get_text() for item in feed.find_all("item")}
    assert titles == {frontmatter.load(path)["title"] for path in POSTS}
    assert len(feed.find_all("item")) == 5


def test_no_leftover_anywhere_in_the_built_site(site: Path) -> None:
    found = []
    for path in site.rglob("*"):
        if path.suffix in TEXT_SUFFIXES:
            text = path.read_text(encoding="utf-8", errors="replace")
            found += [(path.relative_to(site).as_posix(), s) for s in LEFTOVERS if s in text]
    assert found == []


def test_placeholders_never_show_as_words(site: Path) -> None:
    for title, page in post_pages(site).items():
        article = page.select_one("article")
        for comment in article.find_all(string=lambda s: isinstance(s, Comment)):
            comment.extract()
        words = set(article.get_text(" ").split())
        assert words.isdisjoint(PLACEHOLDERS), title


def test_no_asset_is_loaded_from_off_site(site: Path) -> None:
    off_site = []
    for path in site.rglob("*.html"):
        page = soup(path)
        refs = [tag["src"] for tag in page.find_all("script", src=True)]
        refs += [
            tag["href"]
            for tag in page.find_all("link", href=True)
            if {"canonical", "alternate"}.isdisjoint(tag.get("rel", []))
        ]
        for style in page.find_all("style"):
            refs += css_references(style.get_text())
        off_site += [(path.name, ref) for ref in refs if is_off_site(ref)]
    for path in site.rglob("*.css"):
        css = path.read_text(encoding="utf-8", errors="replace")
        off_site += [(path.name, ref) for ref in css_references(css) if is_off_site(ref)]
    assert off_site == []


def css_references(css: str) -> list[str]:
    """URLs a stylesheet makes the browser fetch: @import targets and @font-face sources."""
    refs = re.findall(r"@import\s+(?:url\()?\s*['\"]?([^'\")\s;]+)", css)
    for block in re.findall(r"@font-face\s*{[^}]*}", css):
        refs += re.findall(r"url\(\s*['\"]?([^'\")]+)", block)
    return refs


def is_off_site(ref: str) -> bool:
    return bool(OFF_SITE.match(ref)) and not ref.startswith(SITE_URL)


def test_math_is_typeset_by_the_vendored_katex(site: Path) -> None:
    """Every page loads the small loader; it loads the vendored KaTeX, named from its own URL
    (../assets/katex/), only on a page with math, so a page without math pays nothing for it."""
    home = soup(site / "index.html")
    scripts = [tag["src"] for tag in home.find_all("script", src=True)]
    assert "javascripts/katex.js" in scripts
    assert not [src for src in scripts if "assets/katex/" in src]
    loader = (site / "javascripts" / "katex.js").read_text(encoding="utf-8")
    for wanted in ("katex.min.js", "contrib/auto-render.min.js"):
        assert f'"{wanted}"' in loader
        assert (site / "assets" / "katex" / wanted).is_file()
    assert '"../assets/katex/"' in loader
    css = (site / "assets" / "katex" / "katex.min.css").read_text(encoding="utf-8")
    for font in re.findall(r"url\((fonts/[^)]+\.woff2)\)", css):
        assert (site / "assets" / "katex" / font).is_file()


def test_every_post_has_two_captioned_computed_figures(site: Path) -> None:
    for name, page in post_pages(site).items():
        figures = page.select("figure.st-figure")
        assert len(figures) >= 2, f"{name}: {len(figures)} computed figure(s)"
        for figure in figures:
            assert figure.figcaption is not None and figure.figcaption.get_text(strip=True), name
            img = figure.select_one(
                ".st-fig-box > picture.st-drawing img"
            )  # its drawings as files (lxml nests it in <source>)
            assert img is not None and img.get("alt", "").strip(), name
            sources = [img["src"], *(s["srcset"] for s in figure.select("picture > source"))]
            folder = site / "blog" / "2000" / "01" / "01" / "post"  # every post is that deep
            assert all((folder / src).resolve().is_file() for src in sources), (name, sources)
        assert page.select(".st-downloads a[href$='.ipynb']"), f"{name}: no notebook download"


def test_the_tutorial_notebook_is_executed_and_linked(site: Path) -> None:
    folder = site / "tutorials" / "first-network"
    tutorial = soup(folder / "index.html")
    drawings = tutorial.select("figure.st-figure > .st-fig-box > picture.st-drawing")  # as in a post
    assert len(drawings) >= 2  # outputs computed by the engine
    for picture in drawings:
        sources = [picture.img["src"], *(s["srcset"] for s in picture.select("source"))]
        assert len(sources) == 2 and all((folder / src).resolve().is_file() for src in sources), sources
    assert "test accuracy" in tutorial.get_text()
    blog = soup(site / "blog" / "index.html")
    assert any(a["href"].rstrip("/").endswith("tutorials/first-network") for a in blog.select("a[href]"))


def test_execution_report_lists_every_snippet(site: Path) -> None:
    report = soup(site / "execution-report" / "index.html").get_text()
    for snippet in sorted((Path(__file__).parents[2] / "snippets").glob("*.py")):
        helpers = ("figstyle", "training", "publish", "vary", "deep_stack", "moons_training")  # imported
        if snippet.stem not in helpers:
            assert f"snippets/{snippet.name}" in report
    assert "docs/tutorials/first-network.py" in report


def test_every_post_cites_values_its_snippets_computed(site: Path) -> None:
    total = 0
    for name, page in post_pages(site).items():
        article = page.select_one("article")
        values = article.select("span.st-value")
        assert values, f"{name}: cites no computed value"
        for value in values:
            assert re.fullmatch(r"snippets/\w+\.py:\w+", value["data-source"]), value
            assert value.get_text(strip=True) not in ("", "?"), value
        for code in article.select("code, pre"):
            code.extract()
        assert "{value}" not in article.get_text(), name
        assert not article.select(".st-value-error"), name
        total += len(values)
    assert total >= 8


def test_every_figure_has_a_permalink_and_provenance(site: Path) -> None:
    figures = 0
    for name, page in post_pages(site).items():
        figures += len(page.select("figure.st-figure"))
        for figure in page.select("figure.st-figure"):
            assert figure["id"].startswith("fig-"), name
            assert figure.find_all(recursive=False)[-1].name == "figcaption", name  # first or last
            meta = figure.find_next_sibling()
            assert meta is not None and "st-figure-meta" in meta["class"], name
            assert meta.select_one("a.st-permalink")["href"] == f"#{figure['id']}", name
            provenance = meta.select_one("details.st-provenance")
            assert provenance is not None and not provenance.has_attr("open"), name
            assert "torch 2.13.0" in provenance.get_text(), name
    report = soup(site / "execution-report" / "index.html")
    links = [a["href"] for a in report.select("a[href*='#fig-']")]  # each snippet to its figures
    assert len(set(links)) == len(links) == figures
    for link in links:
        target, anchor = link.split("#")
        page = soup((site / "execution-report" / target / "index.html").resolve())
        assert page.select_one(f"figure.st-figure#{anchor}") is not None, link


def test_every_download_runs_alone_in_an_empty_folder(site: Path, tmp_path: Path) -> None:
    downloads = sorted((site / "downloads").glob("*.py")) + sorted((site / "downloads").glob("*.ipynb"))
    scripts = {path.stem for path in downloads if path.suffix == ".py"}
    assert scripts and scripts == {path.stem for path in downloads if path.suffix == ".ipynb"}
    failed = [
        f"{outcome.name} (exit {outcome.returncode}):\n{outcome.output[-2000:]}"
        for outcome in run_all(downloads, tmp_path)
        if outcome.returncode != 0
    ]
    assert failed == [], "\n\n".join(failed)


def test_every_figure_and_page_is_at_most_half_its_budget(site: Path) -> None:
    """The defaults leave room: the real site uses at most half of each (see render/budgets.py): each
    drawing half the figure budget (a figure's two drawings, wide and phone, count together in it)."""
    figure_limit, page_limit = FIGURE_BUDGET_KB * 1024 // 2, PAGE_BUDGET_KB * 1024 // 2
    over = []
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        drawings = 0  # a figure counts its files, both drawings; a page its HTML and its figures'
        for figure in soup(path).select("figure.st-figure"):
            links = [
                e.get("src") or e.get("srcset")
                for e in figure.select(".st-fig-box > picture :is(img, source)")
            ]
            sizes = [(path.parent / link).resolve().stat().st_size for link in links if link]
            drawings += sum(sizes)
            if max(sizes, default=0) > figure_limit or sum(sizes) > 2 * figure_limit:
                over.append(f"{path.relative_to(site)} {figure.get('id')}: {sizes} bytes")
        if len(text.encode()) + drawings > page_limit:
            over.append(f"{path.relative_to(site)}: {len(text.encode()) + drawings} bytes with its figures")
    assert over == []


def test_search_index_holds_every_caption_and_no_svg(site: Path) -> None:
    """Figures reach the page after search has read it: captions are indexed, SVG paths are not."""
    raw = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    text = " ".join(doc["text"] for doc in json.loads(raw)["docs"])
    captions = [
        caption
        for path in POSTS
        for caption in re.findall(r'^caption: "([^"]+)"$', path.read_text(encoding="utf-8"), flags=re.M)
    ]
    assert captions
    for caption in captions:
        assert " ".join(caption.split()[:4]) in text, caption
    assert "site-tools:figure" not in raw and "<svg" not in raw
