"""``site-tools serve --host zensical``: a real Zensical server on 127.0.0.1. A failing snippet shows
on its page and the server keeps serving; saving the snippet, or a helper module it imports, renders
its page again, and every page that uses a helper, at each of ten saves in a row while a second build
loads the machine. The two tests share one server (its start-up is the pre-step's cold build)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.hosts.support import BIN, ENV, REPO_ROOT, HostServer, copy_real_site, host_available

pytestmark = [pytest.mark.serve, pytest.mark.slow]
POST = "docs/blog/posts/2023-08-15-understanding-deep-learning-unraveling-the-depths.md"
SERVE = [str(BIN / "site-tools"), "serve", "--host", "zensical"]
URL = "blog/2023/08/15/understanding-deep-learning-unraveling-the-depths/"
DOWNLOAD = "downloads/activations.py"
REPORT = "execution-report/"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostServer]:
    if not host_available("zensical"):
        pytest.skip("zensical is not installed (the `zensical` extra)")
    root = copy_real_site(tmp_path_factory.mktemp("served"))
    started = HostServer(root, [*SERVE, "--root", str(root)], url=URL)
    yield started
    started.stop()


def failures(html: str) -> list[str]:
    return [node.get_text() for node in BeautifulSoup(html, "lxml").select(".admonition.failure")]


def report_row(html: str, name: str) -> str:
    """The execution report's row of snippet ``name``, as text ("" when there is none)."""
    rows = [row.get_text(" ", strip=True) for row in BeautifulSoup(html, "lxml").select("tr")]
    return next((row for row in rows if name in row.replace(" ", "")), "")


def test_a_saved_snippet_renders_its_page_again_and_a_failure_shows_there(server: HostServer) -> None:
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


# Every page that embeds a snippet importing snippets/figstyle.py: the five posts (grep -l figstyle
# snippets/*.py, then the posts embedding those files), by URL, with the post; every snippet block of
# these posts imports it.
HELPER_PAGES = {
    "blog/{}/{}/{}/{}/".format(*Path(post).stem.split("-", 3)): post
    for post in [
        "docs/blog/posts/2023-06-29-exploring-the-wonders-of-deep-learning.md",
        "docs/blog/posts/2023-07-18-deep-learning-unraveling-the-power-of-neural-networks.md",
        POST,
        "docs/blog/posts/2023-11-09-unraveling-the-layers-a-journey-into-the-depths-of-deep-learning.md",
        "docs/blog/posts/2024-02-20-deep-learning-how-neural-networks-learn-from-data.md",
    ]
}
EDITS = 10
EDIT_TIMEOUT_S = 120.0
LOAD_LIMIT_S = 600  # the second build's loop ends by itself after this, whatever happens here


class SecondBuild:
    """``site-tools build --host zensical`` of another copy of the site, cold each time (its caches are
    emptied first, the manifest of its last build with them), again and again in one background shell:
    the load beside the server. Bounded by ``LOAD_LIMIT_S``; stopped by its own process group."""

    def __init__(self, root: Path) -> None:
        self.root, self.log = root, root / "second-builds.log"
        build = f"{BIN / 'site-tools'} build --host zensical --root {root}"
        script = (
            f"end=$((SECONDS + {LOAD_LIMIT_S})); n=0; while [ $SECONDS -lt $end ]; do n=$((n + 1)); "
            f'rm -rf .cache site; echo "build $n started"; {build} >build-$n.out 2>&1; '
            f'echo "build $n rc=$?"; done'
        )
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                ["bash", "-c", script],
                cwd=root,
                env=ENV,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: the builds and their workers stop with it
            )

    def stop(self) -> str:
        """End the loop (and the build under way) by its process group; what it did, as text."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        return self.log.read_text(encoding="utf-8")


@pytest.fixture
def second_build(tmp_path: Path) -> Iterator[SecondBuild]:
    loader = SecondBuild(copy_real_site(tmp_path))  # a copy of its own, never the server's
    yield loader
    loader.stop()


def wait_pages(server: HostServer, test: Callable[[str, str], bool], what: str, timeout: float) -> None:
    """Until every page of ``HELPER_PAGES`` passes ``test(url, html)``; a page that passed is not
    asked again (each edit's check tells it from the pages before it)."""
    deadline, waiting = time.monotonic() + timeout, list(HELPER_PAGES)
    last: dict[str, str] = {}
    while waiting and time.monotonic() < deadline:
        assert server.alive(), f"the server exited:\n{server.log}"
        for url in list(waiting):
            try:
                status, html = server.get(url)
            except (urllib.error.URLError, ConnectionError):
                status, html = 0, ""
            shown = "; ".join(failures(html))[-300:] or f"no failure, {html.count('st-figure')} figures"
            last[url] = shown if status == 200 else f"HTTP {status}"
            if status == 200 and test(url, html):
                waiting.remove(url)
        if waiting:
            time.sleep(0.5)
    shown = "\n".join(f"  {url}: {last.get(url, 'not fetched')}" for url in waiting)
    assert not waiting, (
        f"{what}: not on every page in {timeout:.0f} s; still showing:\n{shown}\n{server.log[-4000:]}"
    )


def test_every_page_using_a_helper_shows_each_of_ten_saves_under_load(
    server: HostServer, second_build: SecondBuild
) -> None:
    """Ten saves of snippets/figstyle.py in a row, each awaited on all five posts that use it while the
    second build runs: odd saves break it with an error numbered by the save (the importers fail fast),
    even saves put the good module back (its results are cached again). A miss names the save."""
    root = server.root
    helper, activations = root / "snippets" / "figstyle.py", root / "snippets" / "activations.py"
    style = (REPO_ROOT / "snippets" / "figstyle.py").read_text(encoding="utf-8")
    for path in (helper, activations):  # as in the repository, whatever the other test left
        good = (REPO_ROOT / "snippets" / path.name).read_text(encoding="utf-8")
        if path.read_text(encoding="utf-8") != good:
            path.write_text(good, encoding="utf-8")
    assert URL in HELPER_PAGES
    blocks = {
        url: (root / post).read_text(encoding="utf-8").count("```snippet")
        for url, post in HELPER_PAGES.items()
    }
    figures: dict[str, int] = {}
    for url in HELPER_PAGES:
        html = server.wait_for(lambda html: "st-figure" in html and not failures(html), url, url=url)
        figures[url] = html.count("st-figure")
    seconds: list[float] = []
    for edit in range(1, EDITS + 1):
        started = time.monotonic()
        if edit % 2:
            message = f"helper edit {edit} of {EDITS}"
            helper.write_text(style + f"\nraise RuntimeError({message!r})\n", encoding="utf-8")

            def shows(url: str, html: str, message: str = message) -> bool:
                found = failures(html)
                numbered = [text for text in found if re.search(re.escape(message) + r"\b", text)]
                return len(numbered) == len(found) == blocks[url]

            what = f"save {edit} ({message!r} shown by every snippet block of the page)"
        else:
            helper.write_text(style, encoding="utf-8")

            def shows(url: str, html: str) -> bool:
                return not failures(html) and html.count("st-figure") == figures[url]

            what = f"save {edit} (the good module back: no failure, every figure)"
        wait_pages(server, shows, what, EDIT_TIMEOUT_S)
        seconds.append(time.monotonic() - started)
    done = second_build.stop()
    builds = re.findall(r"build (\d+) rc=(\d+)", done)
    print(
        f"\nsaves seen on every page after (s): {', '.join(f'{s:.1f}' for s in seconds)}; "
        f"second builds: {done.count('started')} started, {len(builds)} ended {builds}"
    )
    assert "build 1 started" in done, done  # the load ran
    failed = [n for n, rc in builds if rc != "0"]
    assert not failed, (
        f"a second build failed:\n{done}\n"
        + (second_build.root / f"build-{failed[0]}.out").read_text(encoding="utf-8")[-3000:]
    )
