"""What the browser tests share: the posts they expect, a page-load monitor, figure colours."""

from __future__ import annotations

import http.server
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

import frontmatter
import pytest
from playwright.sync_api import Page, Request, Response

from site_tools.engine.collect.discover import iter_fences
from site_tools.render.svgtheme import MIN_CONTRAST, contrast_ratio

REPO = Path(__file__).resolve().parents[2]
POSTS_DIR = REPO / "docs" / "blog" / "posts"
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MAX_PAGE_BYTES = 1_500_000
MIN_FIGURES_PER_POST = 2
FIGURES = "figure.st-figure picture.st-drawing img"  # each figure's drawing, a file (render/figure_files.py)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # stdlib signature
        """Keep the test output for test results, not access logs."""


def serve(directory: Path) -> tuple[str, Callable[[], None]]:
    """Serve ``directory`` on 127.0.0.1 on a free port; return its origin and a stop function."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(_QuietHandler, directory=str(directory))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join()

    return f"http://127.0.0.1:{server.server_address[1]}", stop


@dataclass(frozen=True)
class Post:
    """A published post as its source file declares it."""

    source: Path
    title: str
    words: frozenset[str]

    @property
    def slug(self) -> str:
        return self.source.stem


def prose(markdown: str) -> str:
    """The post's own text: fenced blocks (code, snippet embeds and their captions) left out."""
    lines = markdown.splitlines()
    for fence in reversed(iter_fences(markdown)):
        del lines[fence.start - 1 : fence.end]
    return "\n".join(lines)


def published_posts() -> list[Post]:
    """Every post under docs/blog/posts that is not a draft, with its title and body words."""
    posts = []
    for source in sorted(POSTS_DIR.rglob("*.md")):
        document = frontmatter.load(source)
        if document.metadata.get("draft") is True:
            continue
        title = document.metadata.get("title")
        if not isinstance(title, str) or not title.strip():
            raise AssertionError(f"{source.relative_to(REPO)}: front matter has no title")
        words = frozenset(w.lower() for w in re.findall(r"[A-Za-z]{7,}", prose(document.content)))
        posts.append(Post(source, title.strip(), words))
    return posts


def post_path(post: Post, post_urls: dict[str, str]) -> str:
    """The post's path on the site, as the blog index links it (fails the test when it does not)."""
    if post.title not in post_urls:
        pytest.fail(f"{post.source.name}: no link titled {post.title!r} on the blog index")
    return urlsplit(post_urls[post.title]).path


def search_word(post: Post, others: list[Post]) -> str:
    """A word of the post's body that no other post uses, so one search result must be it."""
    elsewhere = set().union(*(o.words for o in others if o != post))
    unique = sorted(post.words - elsewhere, key=lambda w: (-len(w), w))
    if not unique:
        raise AssertionError(f"{post.source.name}: no body word of 7+ letters unique to the post")
    return unique[0]


@dataclass
class PageLoad:
    """Everything a page did while loading: errors, failed or foreign requests, bytes."""

    origin: str
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    bytes_by_url: dict[str, int] = field(default_factory=dict)

    def watch(self, page: Page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.console_errors.append(f"pageerror: {error}"))
        page.on("request", self._request)
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        page.on("response", self._response)
        page.on("requestfinished", self._finished)

    def _console(self, message: object) -> None:
        if message.type == "error":  # type: ignore[attr-defined]
            self.console_errors.append(message.text)  # type: ignore[attr-defined]

    def _request(self, request: Request) -> None:
        url = urlsplit(request.url)
        if url.scheme in {"data", "blob", "about"}:
            return
        if f"{url.scheme}://{url.netloc}" != self.origin:
            self.foreign.append(request.url)

    def _response(self, response: Response) -> None:
        if response.status >= 400:
            self.failed.append(f"{response.url} (HTTP {response.status})")

    def _finished(self, request: Request) -> None:
        if urlsplit(request.url).scheme in {"http", "https"}:
            self.bytes_by_url[request.url] = request.sizes()["responseBodySize"]

    @property
    def total_bytes(self) -> int:
        return sum(self.bytes_by_url.values())

    def problems(self) -> list[str]:
        return (
            [f"console error: {e}" for e in self.console_errors]
            + [f"failed request: {f}" for f in self.failed]
            + [f"request leaving 127.0.0.1: {f}" for f in self.foreign]
        )


def content_links(page: Page) -> list[tuple[str, str]]:
    """(text, absolute URL without fragment) of every link in the page's content area."""
    return page.eval_on_selector_all(
        ".md-content a[href]",
        "els => els.map((a) => [a.textContent.trim(), a.href.split('#')[0]])",
    )


# Reads, for every inline figure, the computed colour of each painted element and of the text,
# with the kind of variable it comes from (ink, area or bg), and the figure's own background.
FIGURE_COLOURS_JS = """
(selector) => [...document.querySelectorAll(selector)].map((svg) => {
  const marks = [];
  const add = (el, prop, kind) => {
    const value = getComputedStyle(el)[prop];
    if (value && value !== 'none') marks.push([kind, prop, value]);
  };
  for (const el of svg.querySelectorAll('[style*="var(--st-"]')) {
    for (const prop of ['fill', 'stroke']) {
      const raw = el.style.getPropertyValue(prop);
      const m = raw.match(/var\\(--st-(ink|area|bg)/);
      if (m) add(el, prop, m[1]);
    }
  }
  for (const el of svg.querySelectorAll('text, [id*="-text_"] use')) add(el, 'fill', 'text');
  const patch = svg.querySelector('[style*="fill:var(--st-bg)"]');
  return {
    id: svg.id,
    background: patch ? getComputedStyle(patch).fill : null,
    marks,
  };
})
"""


def css_hex(value: str) -> str:
    """``rgb(r, g, b)`` as computed by the browser, as ``#rrggbb``; alpha must be 1."""
    numbers = re.findall(r"[\d.]+", value)
    if not value.startswith("rgb") or len(numbers) not in (3, 4):
        raise AssertionError(f"unexpected computed colour {value!r}")
    if len(numbers) == 4 and float(numbers[3]) != 1.0:
        raise AssertionError(f"translucent computed colour {value!r}: contrast undefined")
    return "#" + "".join(f"{round(float(n)):02x}" for n in numbers[:3])


def figure_colours(page: Page) -> list[dict[str, object]]:
    """The computed colours of every figure on the page (see FIGURE_COLOURS_JS): of its inline SVGs,
    and of each drawing file it shows, opened in the same browser at the URL the page's image has
    (its fragment, #light or #dark, is the palette the file themes itself for)."""
    found = page.evaluate(FIGURE_COLOURS_JS, "figure.st-figure svg")
    urls = page.eval_on_selector_all(  # the drawing its picture chose, with the palette asked for now
        FIGURES, "imgs => imgs.map((img) => (img.currentSrc || img.src).split('#')[0]"
        " + (img.src.includes('#') ? '#' + img.src.split('#')[1] : ''))",
    )
    if urls:
        document = page.context.new_page()
        try:
            for url in urls:
                document.goto(url)
                found += document.evaluate(FIGURE_COLOURS_JS, ":root")
        finally:
            document.close()
    return found


def contrast_failures(figures: list[dict[str, object]]) -> list[str]:
    """Each painted colour whose contrast with its figure's background breaks the rule."""
    failures = []
    for figure in figures:
        if figure["background"] is None:
            failures.append(f"{figure['id']}: no background patch")
            continue
        background = css_hex(figure["background"])  # type: ignore[arg-type]
        seen = set()
        for kind, prop, value in figure["marks"]:  # type: ignore[union-attr]
            colour = css_hex(value)
            if kind == "bg" or (kind, colour) in seen:
                continue
            seen.add((kind, colour))
            need = MIN_CONTRAST["area"] if kind == "area" else MIN_CONTRAST["text"]
            ratio = contrast_ratio(colour, background)
            if ratio < need:
                failures.append(
                    f"{figure['id']}: {kind} {prop} {colour} on {background} is {ratio:.2f}:1"
                    f" (needs {need}:1)"
                )
    return failures


def headings_problems(page: Page) -> list[str]:
    """One h1 per page, and no heading level skipped in the document's order."""
    levels = page.evaluate(
        "() => [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')]"
        ".map((h) => [Number(h.tagName[1]), h.textContent.trim()])"
    )
    problems = []
    h1s = [text for level, text in levels if level == 1]
    if len(h1s) != 1:
        problems.append(f"{len(h1s)} h1 elements: {h1s}")
    previous = 0
    for level, text in levels:
        if level > previous + 1:
            problems.append(f"h{level} {text!r} follows h{previous}")
        previous = level
    return problems
