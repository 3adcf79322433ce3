"""Issue 7 case 5 and issue 3's serve test: a real `mkdocs serve --livereload` (the Makefile's flags).

Under serve, every problem shows on its page, the server keeps running, and the next rebuild after
a fix shows the page again, without a restart; a phone-wide window previews a figure's phone drawing.
Rebuilds are awaited the way a browser does: by the ``/livereload/<epoch>/<id>`` long poll of the
script MkDocs injects into every page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from bs4 import BeautifulSoup

from site_tools.engine.run.phone import PHONE_WIDTH_PX
from tests.robustness import test_embeds, test_front_matter
from tests.robustness.support import POST, POST_URL, Server, Site, embed, line_of, post_text

pytestmark = pytest.mark.serve

GOOD_POST = post_text(embed("curve.py", caption="A parabola.", id="parabola"))
RAISES = "import matplotlib.pyplot as plt\n\nplt.plot([1, 2])\nraise ValueError('the data is <missing>')\n"


@pytest.fixture
def serve(site: Site) -> Iterator[Callable[[], Server]]:
    started: list[Server] = []

    def start() -> Server:
        server = Server(site)
        started.append(server)
        server.wait_ready()
        return server

    yield start
    for server in started:
        server.stop()


def text_of(html: str) -> str:
    return BeautifulSoup(html, "lxml").get_text()


def show(server: Server, url: str = POST_URL) -> str:
    """The page's visible text; the server must answer and keep running."""
    status, html = server.get(url)
    assert status == 200, (status, server.log)
    assert server.alive()
    return text_of(html)


def change(server: Server, site: Site, path: str, text: str | bytes | None) -> None:
    """Write (or delete, for None) a file and wait until the server has rebuilt the site."""
    epoch = server.epoch()
    if text is None:
        (site.root / path).unlink()
    else:
        site.write(path, text)
    server.wait_rebuild(epoch)


def test_failing_snippet_shows_on_page_then_recovers_with_live_reload(site: Site, serve) -> None:
    good = (site.root / "snippets/curve.py").read_text()
    site.write("snippets/curve.py", RAISES)
    site.write(POST, GOOD_POST)
    server = serve()
    status, html = server.get(POST_URL)
    assert status == 200
    soup = BeautifulSoup(html, "lxml")
    failure = soup.select_one(".admonition.failure")
    assert failure is not None, html
    where = f"{POST}:{line_of(GOOD_POST, '```snippet')}"
    assert failure.select_one(".admonition-title").get_text() == "Snippet failed: snippets/curve.py"
    details = failure.get_text()
    assert f"{where}: snippet snippets/curve.py failed (error) at snippets/curve.py:4" in details
    assert "ValueError: the data is <missing>" in details  # escaped in the HTML, shown as written
    assert str(site.root) not in html
    assert show(server, "")  # the rest of the site is served too

    # Live reload: the page carries MkDocs' script, and its long poll answers once a rebuild is done.
    scripts = [tag.get_text() for tag in soup.find_all("script")]
    assert any("livereload(" in script for script in scripts)
    epoch = server.epoch(POST_URL)
    site.write("snippets/curve.py", good + "# fixed: a new version, not in the cache\n")
    newer = server.wait_rebuild(epoch)
    assert newer > epoch and server.epoch(POST_URL) == newer
    page = show(server)
    assert "Snippet failed" not in page and "A parabola." in page and "curve drawn" in page
    assert "site_tools: 2 snippets, 1 executed, 1 cached, 0 failed" in server.log  # only the fixed one


def test_snippet_deleted_while_serving(site: Site, serve) -> None:
    server = serve()
    assert "A parabola." in show(server)
    curve = (site.root / "snippets/curve.py").read_text()
    change(server, site, "snippets/curve.py", None)
    page = show(server)
    line = line_of(post_text(embed("curve.py")), "file: curve.py")
    assert f"This block cannot run: {POST}:{line}" in page
    assert "snippet `curve.py` does not exist in snippets/" in page
    change(server, site, "snippets/curve.py", curve)
    assert "A parabola." in show(server)


def test_post_renamed_while_serving(site: Site, serve) -> None:
    server = serve()
    text = (site.root / POST).read_bytes()
    epoch = server.epoch()
    renamed = site.root / POST.replace("curves", "parabola")
    (site.root / POST).rename(renamed)
    server.wait_rebuild(epoch)
    page = show(server)  # same title and date, so the same URL
    assert "A parabola." in page and "curve drawn" in page
    assert renamed.read_bytes() == text
    assert "site_tools: 2 snippets, 0 executed, 2 cached, 0 failed" in server.log.split("Detected")[-1]


def test_bad_front_matter_shows_on_its_page_and_the_server_lives(site: Site, serve) -> None:
    cases = test_front_matter.CASES
    first = next(iter(cases))
    site.write(POST, cases[first][0])
    server = serve()  # starts with a broken post
    for name, (text, line, words) in cases.items():
        if name != first:
            change(server, site, POST, text)
        page = show(server)
        assert "This post cannot be built: 1 problem in" in page, (name, page)
        assert f"{POST}:{line}: " in page, name
        assert all(word in page for word in words), (name, page)
        written = text if isinstance(text, bytes) else text.encode()
        assert (site.root / POST).read_bytes() == written  # the author's file, untouched
    change(server, site, POST, GOOD_POST)
    page = show(server)
    assert "This post cannot be built" not in page and "A parabola." in page


def test_bad_embeds_show_on_the_page_while_serving(site: Site, serve) -> None:
    server = serve()
    for name, (body, (needle, occurrence), words) in test_embeds.CASES.items():
        text = post_text(body)
        change(server, site, POST, text)
        page = show(server)
        assert f"This block cannot run: {POST}:{line_of(text, needle, occurrence)}" in page, name
        assert all(word in page for word in words), (name, page)


DRAWN = """(img) => new Promise((done) => {
  const told = () => done({src: img.currentSrc, width: img.naturalWidth});
  if (img.complete && img.naturalWidth) { told(); } else { img.addEventListener("load", told, {once: true}); }
})"""


def test_a_narrow_window_previews_the_phone_drawing(site: Site, serve, browser) -> None:
    """Issue 28: an author previewing with `mkdocs serve` sees in a phone-wide window the drawing a
    phone gets (the figure's phone drawing, PHONE_WIDTH_PX wide), and the wide one once it widens:
    the browser picks it from the page's <picture>, as on the built site."""
    server = serve()
    context = browser.new_context(viewport={"width": 390, "height": 800})
    try:
        page = context.new_page()
        page.goto(server.base + POST_URL, wait_until="load")
        img = page.locator("figure.st-figure picture.st-drawing img").first
        img.scroll_into_view_if_needed()  # it loads lazily
        phone = img.evaluate(DRAWN)
        page.set_viewport_size({"width": 1280, "height": 800})  # a wider window, or a phone turned
        page.wait_for_function(
            "(src) => document.querySelector('figure.st-figure img').currentSrc !== src", arg=phone["src"]
        )
        wide = img.evaluate(DRAWN)
    finally:
        context.close()
    assert phone["width"] == PHONE_WIDTH_PX, phone
    assert wide["width"] > phone["width"] and wide["src"] != phone["src"], (phone, wide)
    assert server.alive()
