"""Issue 10: what a snippet says reaches the author, and the page shows it as a terminal would.

One real build of a post with snippets that warn, write to stderr, draw text their font lacks,
print `\\r` progress and tables, and one saved with a BOM; then builds that change one option.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.robustness.support import POST, POST_URL, Server, Site, copy_site, embed, line_of, post_text

SNIPPETS: dict[str, str | bytes] = {
    "warns.py": (
        "import sys\nimport warnings\n\nimport matplotlib.pyplot as plt\n\n"
        'warnings.warn("the learning rate is high", UserWarning)\n'
        'print("half done", file=sys.stderr)\n'
        'fig, ax = plt.subplots()\nax.set_title("損失 📉")\n'
    ),
    "progress.py": 'for step in range(1, 201):\n    print(f"\\rstep {step}/200", end="")\nprint()\n',
    "table.py": (
        'print("| model | loss |")\nprint("|---|---:|")\nprint("| mlp | 0.12 |")\n'
        "print('<table><tr><th>x</th></tr>"
        '<tr><td onclick="alert(1)">1<script>alert(2)</script></td></tr></table>\')\n'
    ),
    "bom.py": b"\xef\xbb\xbfprint('saved by a Windows editor')\n",
}
TEXT = post_text(
    embed("warns.py", caption="A title in Chinese with an emoji.")
    + embed("progress.py")
    + embed("table.py")
    + embed("bom.py")
    + embed("warns.py", caption="The same snippet again.", id="again")
)


def with_option(site: Site, option: str) -> Path:
    """A copy of the site's mkdocs.yml with one more site-tools option (INHERIT would drop the blog)."""
    text = (site.root / "mkdocs.yml").read_text(encoding="utf-8")
    assert "  - site-tools:\n" in text
    text = text.replace("  - site-tools:\n", f"  - site-tools:\n      {option}\n")
    return site.write("mkdocs-option.yml", text)


def where(name: str, occurrence: int = 1) -> str:
    return f"{POST}:{line_of(TEXT, f'file: {name}', occurrence) - 1}"


@pytest.fixture(scope="module")
def built(warm_template: Path, tmp_path_factory: pytest.TempPathFactory):
    site = copy_site(warm_template, tmp_path_factory.mktemp("author") / "site")
    for name, code in SNIPPETS.items():
        site.write(f"snippets/{name}", code)
    site.write(POST, TEXT)
    run = site.build()
    return site, run, BeautifulSoup(site.page(POST_URL), "lxml")


def test_the_build_passes_and_counts_every_snippet(built) -> None:
    _, run, _ = built
    assert run.returncode == 0, run.log
    assert run.counts()[0] == 5 and run.counts()[3] == 0  # + index.md's block


def test_warnings_and_stderr_are_in_the_log_once_with_their_lines(built) -> None:
    _, run, _ = built
    warning = "snippets/warns.py:6: UserWarning: the learning rate is high"
    assert f"site_tools: warning: {where('warns.py')}: {warning}" in run.log
    stderr = "snippets/warns.py wrote to stderr:\n  half done"
    assert f"site_tools: warning: {where('warns.py')}: {stderr}" in run.log
    assert run.log.count("the learning rate is high") == 1  # embedded twice, reported once
    glyphs = [line for line in run.log.splitlines() if "missing glyphs" in line]
    assert len(glyphs) == 1
    assert "'損' (U+640D), '失' (U+5931), '📉' (U+1F4C9)" in glyphs[0]


def test_readers_do_not_see_warnings_by_default(built) -> None:
    _, _, page = built
    assert page.select(".st-warnings") == []
    assert "half done" not in "".join(node.get_text() for node in page.select(".st-stdout"))


def test_progress_shows_its_last_state(built) -> None:
    _, _, page = built
    outputs = [node.get_text() for node in page.select(".st-stdout pre")]
    assert "step 200/200" in outputs
    assert "step 199/200" not in page.get_text()


def test_printed_tables_are_tables_and_sanitised(built) -> None:
    _, _, page = built
    tables = page.select(".st-stdout table")
    assert [[cell.get_text() for cell in table.select("th, td")] for table in tables] == [
        ["model", "loss", "mlp", "0.12"],
        ["x", "1"],
    ]
    printed = "".join(str(node) for node in page.select(".st-stdout"))
    assert "alert" not in printed and "onclick" not in printed


def test_a_snippet_saved_with_a_bom_runs(built) -> None:
    _, _, page = built
    assert "saved by a Windows editor" in page.get_text()


def test_text_the_font_lacks_stays_text_in_the_figure(built) -> None:
    site, _, page = built
    picture = page.select_one("figure.st-figure picture")
    links = [element.get("src") or element.get("srcset") for element in picture.select("img, source")]
    assert len(links) == 2  # its wide drawing and its phone drawing, both keep the text as text
    for link in links:
        svg = BeautifulSoup((site.root / "site" / POST_URL / link).read_text(encoding="utf-8"), "xml")
        assert "損失 📉" in [text.get_text() for text in svg.find_all("text")]


def test_show_warnings_puts_them_in_a_closed_box_for_readers(built) -> None:
    site: Site = built[0]
    config = with_option(site, "show_warnings: true")
    run = site.build("-f", str(config))
    assert run.returncode == 0, run.log
    page = BeautifulSoup(site.page(POST_URL), "lxml")
    boxes = page.select("details.st-warnings")
    assert len(boxes) == 2 and all(not box.has_attr("open") for box in boxes)
    assert boxes[0].summary.get_text() == "Warnings (3)"
    assert "snippets/warns.py:6: UserWarning: the learning rate is high" in boxes[0].get_text()
    assert "half done" in boxes[0].get_text()


def test_a_figure_over_its_budget_fails_the_build_with_advice(built) -> None:
    site: Site = built[0]
    config = with_option(site, "figure_budget_kb: 4")
    run = site.build("-f", str(config))
    assert run.returncode != 0
    message = next(line for line in run.log.splitlines() if "snippets/warns.py: figure #" in line)
    assert message.startswith(
        f"ERROR   -  site_tools: {where('warns.py')}: snippets/warns.py: figure #fig-snippets-warns-py-1 is "
    )
    assert "KiB of SVG (its drawings), over the figure budget of 4 KiB (`figure_budget_kb`)" in message
    assert "rasterized=True" in message and "fewer points" in message


def test_a_page_over_its_budget_fails_the_build(built) -> None:
    site: Site = built[0]
    config = with_option(site, "page_budget_kb: 20")
    run = site.build("-f", str(config))
    assert run.returncode != 0
    assert f"ERROR   -  site_tools: {POST}: the page is " in run.log
    assert "over the page budget of 20 KiB (`page_budget_kb`)" in run.log


def test_an_embed_that_shows_nothing_fails_and_check_says_so(site: Site) -> None:
    site.write("snippets/closes.py", "import matplotlib.pyplot as plt\n\nplt.plot([1, 2])\nplt.close()\n")
    text = post_text(embed("closes.py", source="collapsed"))
    site.write(POST, text)
    build = site.build()
    assert build.returncode != 0
    at = f"{POST}:{line_of(text, 'file: closes.py') - 1}"
    wanted = f"{at}: snippets/closes.py: the snippet made no figure and printed nothing"
    assert f"ERROR   -  site_tools: {wanted}" in build.log
    assert "no plt.close" in build.log
    assert build.counts()[3] == 1  # counted as failed in the summary line
    check = site.check()
    assert check.returncode == 1 and wanted in check.log


@pytest.mark.serve
def test_under_serve_warnings_show_on_the_page_and_budgets_only_warn(site: Site) -> None:
    site.write("snippets/warns.py", SNIPPETS["warns.py"])
    site.write(POST, post_text(embed("warns.py", caption="A title in Chinese with an emoji.")))
    text = (site.root / "mkdocs.yml").read_text(encoding="utf-8")
    budget = text.replace("  - site-tools:\n", "  - site-tools:\n      figure_budget_kb: 4\n")
    site.write("mkdocs.yml", budget)
    server = Server(site)
    try:
        server.wait_ready()
        status, html = server.get(POST_URL)
        assert status == 200 and server.alive(), server.log
        box = BeautifulSoup(html, "lxml").select_one("details.st-warnings")
        assert box is not None and not box.has_attr("open")
        assert "snippets/warns.py:6: UserWarning: the learning rate is high" in box.get_text()
        assert "missing glyphs" in box.get_text() and "half done" in box.get_text()
        assert "warning: docs/blog/posts/2024-01-01-curves.md:" in server.log
        assert "over the figure budget of 4 KiB" in server.log
    finally:
        server.stop()
