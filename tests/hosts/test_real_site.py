"""The real site on three hosts: MkDocs and ProperDocs with the plugin, Zensical through
``site-tools build --host zensical``; every post computes the same figures, outputs and values.

One copy of the site and one snippet cache serve every build of this module."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.hosts.support import BIN, build, computed, copy_real_site, host_available, post_pages, run

pytestmark = pytest.mark.slow
HOSTS = ("mkdocs", "properdocs", "zensical")
TUTORIAL = "tutorials/first-network/index.html"


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_real_site(tmp_path_factory.mktemp("real-site"))


@pytest.fixture(scope="module")
def sites(clone: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    if not (host_available("zensical") and host_available("properdocs")):
        pytest.skip("zensical or properdocs is not installed (their extras; make venv installs every host)")
    out = tmp_path_factory.mktemp("built")
    built = {}
    # Zensical first: the MkDocs builds after it must ignore the files its pre-step left in docs/.
    for host in ("zensical", "mkdocs", "properdocs"):
        done = build(host, clone, out / host)
        assert done.returncode == 0, f"{host}:\n{done.stdout[-3000:]}{done.stderr[-6000:]}"
        built[host] = out / host
    return built


def test_every_host_has_the_same_pages_at_the_same_urls(sites: dict[str, Path]) -> None:
    urls = {
        host: sorted(
            p.relative_to(site).as_posix() for site in [sites[host]] for p in site.rglob("index.html")
        )
        for host in HOSTS
    }
    posts = {host: [p.relative_to(sites[host]).as_posix() for p in post_pages(sites[host])] for host in HOSTS}
    assert len(posts["mkdocs"]) == 5
    assert posts["zensical"] == posts["properdocs"] == posts["mkdocs"]
    for host in HOSTS:
        assert TUTORIAL in urls[host] and "execution-report/index.html" in urls[host], host


@pytest.mark.parametrize("host", ["properdocs", "zensical"])
def test_every_post_computes_the_same_as_under_mkdocs(sites: dict[str, Path], host: str) -> None:
    for page in [*post_pages(sites["mkdocs"]), sites["mkdocs"] / TUTORIAL]:
        relative = page.relative_to(sites["mkdocs"])
        theirs, ours = computed(sites[host] / relative), computed(page)
        assert ours["figures"] and all(ours["figures"]), relative  # every figure has its drawing
        for what, shown in ours.items():
            assert theirs[what] == shown, f"{relative}: {what} differ on {host}"


def test_zensical_pages_link_their_stylesheet_downloads_and_report(sites: dict[str, Path]) -> None:
    site = sites["zensical"]
    page = post_pages(site)[0]
    html = page.read_text(encoding="utf-8")
    assert "assets/site-tools/provenance.css" in html
    assert html.count("katex.min.css") == 1  # mkdocs.yml's stylesheets once, ours added
    home = (site / "index.html").read_text(encoding="utf-8")
    assert home.count('href="./tutorials/first-network/" class="md-tabs__link"') == 1  # the notebook page
    assert "first-network.ipynb" not in home
    for href in computed(page)["downloads"]:
        assert (page.parent / href).resolve().is_file(), href
    report = (site / "execution-report" / "index.html").read_text(encoding="utf-8")
    assert "Execution report" in report and "activations.py" in report  # paths may break at "/"
    assert "Where the time went" in report
    scrubbed = 0
    for post in post_pages(site):  # each scrubbable figure's variants are files of the site
        soup = BeautifulSoup(post.read_text(encoding="utf-8"), "html.parser")
        for figure in soup.select("[data-st-scrub]"):
            for href in json.loads(figure["data-st-scrub"])["variants"].values():
                assert (site / href).is_file(), (post, href)  # named from the site's root
                scrubbed += 1
    assert scrubbed >= 2  # two posts have a grid
    assert "{value}`" not in html and "file: " not in computed(page)["outputs"]


ONE_PROCESS = """
import atexit, json, subprocess, sys
seen = {"collections": 0, "processes": []}
if sys.argv[2] == "count":  # importing the pre-step imports the engine: only where it is expected
    import site_tools.site.whole_site as whole_site
    collect = whole_site.collect_site
    def counted(*args, **kwargs):
        seen["collections"] += 1
        return collect(*args, **kwargs)
    whole_site.collect_site = counted  # before the command imports it
start = subprocess.Popen.__init__
def recorded(self, args, *rest, **kwargs):
    seen["processes"].append(args if isinstance(args, str) else [str(arg) for arg in args])
    start(self, args, *rest, **kwargs)
subprocess.Popen.__init__ = recorded
atexit.register(lambda: print(json.dumps(
    {**seen, "jupytext": "jupytext" in sys.modules, "engine": "site_tools.engine" in sys.modules}
)))
from site_tools.hosts.cli import main
sys.argv = ["site-tools", "build", "--host", "zensical", "--root", sys.argv[1]]
main()
"""
POST = "docs/blog/posts/2023-08-15-understanding-deep-learning-unraveling-the-depths.md"
POST_PAGE = "blog/2023/08/15/understanding-deep-learning-unraveling-the-depths/index.html"


def build_in_one_process(clone: Path, *, count: bool) -> tuple[dict, str]:
    done = run([sys.executable, "-P", "-c", ONE_PROCESS, str(clone), "count" if count else "-"], clone)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1]), done.stderr


def test_a_no_change_zensical_build_is_zensical_alone_and_an_edit_one_collection_in_one_python(
    clone: Path, sites
) -> None:
    """Nothing changed since the module's builds: Zensical builds from its caches and the engine is not
    even imported (site_tools/site/unchanged.py). A same-length edit of a post with its mtime set back
    is seen: the pre-step and Zensical's pages share one collection, in one process, no second Python
    starts, and with the notebook unchanged jupytext is not imported."""
    seen, log = build_in_one_process(clone, count=False)
    assert seen == {"collections": 0, "processes": [], "jupytext": False, "engine": False}, seen
    assert "nothing changed since the last build" in log, log[-2000:]
    assert (clone / "site" / POST_PAGE).is_file()
    post = clone / POST
    text, before = post.read_text(encoding="utf-8"), post.stat()
    try:
        post.write_text(text.replace("neural", "NEURAL", 1), encoding="utf-8")
        os.utime(post, ns=(before.st_atime_ns, before.st_mtime_ns))  # size and mtime as they were
        seen, log = build_in_one_process(clone, count=True)
        assert seen == {"collections": 1, "processes": [], "jupytext": False, "engine": True}, seen
        assert ", 0 executed," in log, log[-2000:]
        assert "NEURAL" in (clone / "site" / POST_PAGE).read_text(encoding="utf-8")
    finally:
        post.write_text(text, encoding="utf-8")


def test_a_failing_snippet_stops_the_zensical_build_naming_post_and_line(clone: Path, sites) -> None:
    snippet = clone / "snippets" / "activations.py"
    good = snippet.read_text(encoding="utf-8")
    post = POST
    lines = (clone / post).read_text(encoding="utf-8").splitlines()
    line = next(
        n for n, text in enumerate(lines, 1) if text.startswith("```snippet") and "activations" in lines[n]
    )
    try:
        snippet.write_text(good + "\nraise RuntimeError('broken on purpose')\n", encoding="utf-8")
        done = run([str(BIN / "site-tools"), "build", "--host", "zensical", "--root", str(clone)], clone)
        assert done.returncode != 0
        assert f"{post}:{line}: snippet snippets/activations.py failed (error)" in done.stderr, done.stderr
        assert "broken on purpose" in done.stderr and "the build stops here" in done.stderr
        # A plain `zensical build` (no pre-step) stops too, in the extension, naming the post.
        plain = run([sys.executable, "-m", "zensical", "build", "-f", ".site-tools-zensical.yml"], clone)
        assert plain.returncode != 0
        assert f"{post}:{line}: snippet snippets/activations.py failed" in plain.stdout + plain.stderr
    finally:
        snippet.write_text(good, encoding="utf-8")
