"""``site-tools serve --host zensical``: a real Zensical server on 127.0.0.1. A failing snippet shows
on its page and the server keeps serving; saving the snippet, or a helper module it imports, renders
its page again."""

from __future__ import annotations

import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.hosts.support import BIN, ENV, copy_real_site, host_available
from tests.robustness import support

pytestmark = [pytest.mark.serve, pytest.mark.slow]
POST = "docs/blog/posts/2023-08-15-understanding-deep-learning-unraveling-the-depths.md"
SERVE = [str(BIN / "site-tools"), "serve", "--host", "zensical"]
URL = "blog/2023/08/15/understanding-deep-learning-unraveling-the-depths/"
DOWNLOAD = "downloads/activations.py"
REPORT = "execution-report/"


class Server(support.Server):
    """The robustness tests' server (log, ``get``, ``stop`` by its process group) running
    ``site-tools serve --host zensical``; Ctrl-C (SIGINT) ends it and Zensical with it."""

    def __init__(self, root: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}/"
        self.root = root
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [*SERVE, "--root", str(root), "--dev-addr", f"127.0.0.1:{self.port}"],
            cwd=root,
            env=ENV,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its own process group: stopped by its pid, with Zensical
        )
        threading.Thread(target=self._read, daemon=True).start()

    def wait_for(self, test: Callable[[str], bool], what: str, timeout: float = 240, url: str = URL) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.alive(), f"the server exited:\n{self.log}"
            try:
                status, html = self.get(url)
            except (urllib.error.URLError, ConnectionError):
                status, html = 0, ""
            if status == 200 and test(html):
                return html
            time.sleep(1)
        raise AssertionError(f"{what}: not seen in {timeout} s\n{self.log[-4000:]}")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    if not host_available("zensical"):
        pytest.skip("the `hosts` extra is not installed")
    started = Server(copy_real_site(tmp_path))
    yield started
    started.stop()


def failures(html: str) -> list[str]:
    return [node.get_text() for node in BeautifulSoup(html, "lxml").select(".admonition.failure")]


def report_row(html: str, name: str) -> str:
    """The execution report's row of snippet ``name``, as text ("" when there is none)."""
    rows = [row.get_text(" ", strip=True) for row in BeautifulSoup(html, "lxml").select("tr")]
    return next((row for row in rows if name in row.replace(" ", "")), "")


def test_a_saved_snippet_renders_its_page_again_and_a_failure_shows_there(server: Server) -> None:
    root = server.root
    first = server.wait_for(lambda html: "st-figure" in html, "the post with its figures")
    assert not failures(first)
    snippet = root / "snippets" / "activations.py"
    good = snippet.read_text(encoding="utf-8")
    snippet.write_text(good + "\nraise RuntimeError('broken while serving')\n", encoding="utf-8")
    broken = server.wait_for(lambda html: "broken while serving" in html, "the failure on the page")
    [failure] = failures(broken)
    assert f"{POST}:36: snippet snippets/activations.py failed (error)" in failure
    assert server.get("")[0] == 200  # the rest of the site is still served
    # What the pre-step generated is made again once the runs end: the download and the report.
    server.wait_for(lambda text: "broken while serving" in text, "the new download", url=DOWNLOAD)
    server.wait_for(
        lambda html: "error" in report_row(html, "activations.py"), "the report's row", url=REPORT
    )
    snippet.write_text(good, encoding="utf-8")
    fixed = server.wait_for(lambda html: not failures(html), "the page again without the failure")
    assert fixed.count("st-figure") == first.count("st-figure")
    server.wait_for(lambda html: "ok" in report_row(html, "activations.py"), "the report mended", url=REPORT)
    # A helper module is a snippet's input too: saving it runs its importers again.
    helper = root / "snippets" / "figstyle.py"
    style = helper.read_text(encoding="utf-8")
    helper.write_text(style + "\nraise RuntimeError('helper broken while serving')\n", encoding="utf-8")
    broken = server.wait_for(lambda html: "helper broken while serving" in html, "the helper's failure")
    assert any("snippets/activations.py failed (error)" in text for text in failures(broken))
    helper.write_text(style, encoding="utf-8")
    server.wait_for(lambda html: not failures(html), "the page again after the helper was mended")
