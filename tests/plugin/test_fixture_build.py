"""End to end: a real `mkdocs build` of the fixture site, checked by parsing its HTML."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.plugin.conftest import appended, build_site

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cold(fixture_site: Path):
    return build_site(fixture_site)


def _page(build, path: str) -> BeautifulSoup:
    return BeautifulSoup((build.site / path).read_text(encoding="utf-8"), "lxml")


def test_cold_build_runs_each_snippet_once(cold) -> None:
    assert cold.returncode == 0, cold.log
    assert cold.counts == {"total": 2, "executed": 2, "cached": 0, "failed": 0}
    assert cold.log.count("snippets/wave.py: ok") == 1  # not again for excerpts or archive pages


def test_post_shows_captioned_accessible_figure(cold) -> None:
    post = next(cold.site.glob("blog/20*/**/index.html"))
    soup = BeautifulSoup(post.read_text(encoding="utf-8"), "lxml")
    figures = soup.select("figure.st-figure")
    assert len(figures) == 1
    assert figures[0].figcaption.get_text() == "A sine wave."
    img = figures[0].select_one("picture.st-drawing img")  # its drawings, files beside the page
    assert img["alt"] == "One period of a sine wave drawn as a line."
    assert (post.parent / img["src"]).resolve().is_file()
    assert "peak 1.99" in soup.select_one(".st-stdout").get_text()
    assert soup.select_one("details") is not None  # source: collapsed
    links = [a["href"] for a in soup.select(".st-downloads a")]
    assert [Path(link).name for link in links] == ["wave.py", "wave.ipynb"]
    for link in links:
        assert (post.parent / link).resolve().is_file()


def test_excerpt_and_index_pages_hold_no_slots(cold) -> None:
    for page in cold.site.rglob("*.html"):
        assert "site-tools:slot" not in page.read_text(encoding="utf-8"), page


def test_printed_script_is_escaped(cold) -> None:
    html = (cold.site / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html
    output = _page(cold, "index.html").select_one(".st-stdout").get_text()
    assert "<script>alert('x')</script>" in output


def test_syntax_shown_in_a_longer_fence_is_not_run(cold) -> None:
    assert "file: wave.py" in _page(cold, "index.html").get_text()


def test_report_page_lists_every_snippet(cold) -> None:
    text = _page(cold, "execution-report/index.html").get_text()
    assert "snippets/wave.py" in text and "docs/index.md::L5" in text


def test_downloaded_script_runs_alone(cold, tmp_path: Path) -> None:
    import subprocess
    import sys

    script = tmp_path / "wave.py"
    script.write_text((cold.site / "downloads" / "wave.py").read_text())
    done = subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"MPLBACKEND": "Agg"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "peak 1.99" in done.stdout


def test_second_build_is_all_cache_hits(cold, fixture_site: Path) -> None:
    warm = build_site(fixture_site)
    assert warm.returncode == 0, warm.log
    assert warm.counts == {"total": 2, "executed": 0, "cached": 2, "failed": 0}
    assert (warm.site / "index.html").read_bytes() == (cold.site / "index.html").read_bytes()


def test_warm_build_reads_themed_figures_from_the_store(cold, fixture_site: Path) -> None:
    themed = sorted((fixture_site / ".cache" / "site_tools" / "derived").glob("*/files/*.svg"))
    assert themed  # each drawing's file, themed once by the cold build
    originals = {path: path.read_text(encoding="utf-8") for path in themed}
    assert all("<svg" in text[:200] for text in originals.values())
    # A warm build takes the stored file as it is: a mark put into it is in the site's figure files.
    for path, text in originals.items():
        path.write_text(text.replace("<style>", "<style>/*stored*/", 1), encoding="utf-8")
    try:
        warm = build_site(fixture_site)
    finally:
        for path, text in originals.items():
            path.write_text(text, encoding="utf-8")
    assert warm.returncode == 0, warm.log
    drawings = list(warm.site.glob("assets/site-tools/figures/*.svg"))
    assert drawings and all("/*stored*/" in path.read_text(encoding="utf-8") for path in drawings)


def test_warm_build_imports_neither_theming_nor_notebook_code(cold, fixture_site: Path) -> None:
    script = (
        "import sys\n"
        "from mkdocs.__main__ import cli\n"
        "try:\n"
        "    cli(['build', '-q', '-d', sys.argv[1]])\n"
        "except SystemExit as done:\n"
        "    assert not done.code, done.code\n"
        "names = ('nbformat', 'jupytext', 'site_tools.render.svgtheme', 'site_tools.render.downloads')\n"
        "print('loaded:', [name for name in names if name in sys.modules])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(fixture_site / "site")],
        cwd=fixture_site,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "loaded: []" in done.stdout, done.stdout + done.stderr


def test_every_figure_marker_is_replaced_in_the_written_pages(cold) -> None:
    for page in cold.site.rglob("*.html"):
        assert "site-tools:figure" not in page.read_text(encoding="utf-8"), page


def test_editing_one_snippet_runs_only_that_one(cold, fixture_site: Path) -> None:
    with appended(fixture_site / "snippets" / "wave.py", "# an edit\n"):
        edited = build_site(fixture_site)
    assert edited.counts == {"total": 2, "executed": 1, "cached": 1, "failed": 0}


def test_helper_edit_reruns_its_users(cold, fixture_site: Path) -> None:
    with appended(fixture_site / "snippets" / "helper.py", "# an edit\n"):
        edited = build_site(fixture_site)
    assert edited.counts["executed"] == 1  # wave.py imports helper; the inline block does not


def test_execution_off_uses_cache_or_placeholder(cold, fixture_site: Path, tmp_path: Path) -> None:
    off = build_site(fixture_site, env={"SITE_TOOLS_EXECUTE": "0"})
    assert off.returncode == 0 and off.counts["executed"] == 0 and off.counts["cached"] == 2
    config = fixture_site / "mkdocs-empty-cache.yml"
    config.write_text(
        "INHERIT: mkdocs.yml\nplugins:\n  - site-tools:\n"
        f"      cache_dir: {tmp_path}/empty\n      validate_posts: false\n"
    )
    try:
        empty = build_site(fixture_site, "-f", str(config), env={"SITE_TOOLS_EXECUTE": "0"})
    finally:
        config.unlink()
    assert empty.returncode == 0, empty.log
    assert empty.counts["executed"] == 0 and "execution is off" in empty.log
    assert "Not executed" in (empty.site / "index.html").read_text(encoding="utf-8")


def test_failing_snippet_fails_the_build_with_its_line(cold, fixture_site: Path) -> None:
    with appended(fixture_site / "snippets" / "wave.py", "\nraise RuntimeError('broken on purpose')\n"):
        broken = build_site(fixture_site)
    assert broken.returncode != 0
    assert (
        "docs/blog/posts/post.md:11: snippet snippets/wave.py failed (error) at snippets/wave.py:13"
        in broken.log
    )
    assert "RuntimeError: broken on purpose" in broken.log
    assert str(fixture_site) not in broken.log.split("Aborted")[0].replace(f"-d {fixture_site}", "")


def test_blocks_above_and_below_the_recent_posts_marker_render(cold, fixture_site: Path) -> None:
    below = "\n<!-- recent-posts -->\n\n```python exec\nprint('below the marker')\n```\n"
    with appended(fixture_site / "docs" / "index.md", below):
        built = build_site(fixture_site)
    assert built.returncode == 0, built.log
    page = _page(built, "index.html")
    assert page.select(".st-stdout")[-1].get_text().strip().endswith("below the marker")
    assert page.find("a", string="post") is not None  # the listing the marker became
