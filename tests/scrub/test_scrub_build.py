"""Scrubbable figures end to end: real `mkdocs build`, `pytest` and `site-tools check` of a small site.

The template's page embeds ``curve.py`` over a 3 x 2 grid; its prose, caption and alt text cite the
chosen variant's values. Its second page links ``curve.py`` and ``area.py`` by their ``power``, and
cites them in prose, a table and an admonition.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup

from tests.robustness.support import ENV, Site, line_of

pytestmark = pytest.mark.slow
PAGE = "docs/curve.md"


def figure(site: Site):
    return BeautifulSoup(site.page("curve"), "lxml").select_one("figure#fig-curve")


def test_the_page_holds_the_default_and_links_each_other_variant(built: Site) -> None:
    fig = figure(built)
    data = json.loads(fig["data-st-scrub"])
    assert data["default"] == "power=2,tone=warm"
    assert sorted(data["variants"]) == [
        "power=1,tone=cool",
        "power=1,tone=warm",
        "power=2,tone=cool",
        "power=3,tone=cool",
        "power=3,tone=warm",
    ]
    assert fig.select_one(".st-scrub-view picture img")["alt"] == "A warm curve of x to the power 2."
    assert fig.figcaption.get_text() == "x to the power 2, ending at 4.0."
    # The controls wait in a template for the script: no dead slider without JavaScript.
    assert fig.select("input") == [] and fig.select_one("template.st-scrub-template") is not None
    controls = BeautifulSoup(fig.select_one("template").decode_contents(), "lxml")
    slider = controls.select_one("input[type=range]")
    assert (slider["name"], slider["value"], json.loads(slider["data-values"])) == (
        "power",
        "1",
        ["1", "2", "3"],
    )
    group = controls.select_one("[role=radiogroup]")
    assert [r["value"] for r in group.select("input[type=radio]")] == ["warm", "cool"]
    assert group.select_one("input[checked]")["value"] == "warm"
    assert fig.select_one(".st-scrub-live")["aria-live"] == "polite"


def test_each_variant_file_carries_its_figure_caption_alt_and_cited_values(built: Site) -> None:
    fig = figure(built)
    site_dir = built.root / "site"  # variant files are named from the site's root
    links = json.loads(fig["data-st-scrub"])["variants"]
    variant = json.loads((site_dir / links["power=3,tone=cool"]).read_text(encoding="utf-8"))
    assert variant["alt"] == "A cool curve of x to the power 3."
    assert BeautifulSoup(variant["caption"], "lxml").get_text() == "x to the power 3, ending at 8.0."
    assert variant["values"] == {"snippets/curve.py:end|.2f": "8.00"}
    picture = BeautifulSoup(variant["svg"], "html.parser").picture  # its drawings, named from the root
    assert picture.img["alt"] == variant["alt"]
    for link in (picture.img["data-st-src"], picture.source["data-st-srcset"]):
        assert link.startswith("assets/site-tools/figures/") and (site_dir / link).is_file()
    others = {json.loads((site_dir / link).read_text())["svg"] for link in links.values()}
    assert len(others) == 5  # five different pictures
    # The page's prose cites the default variant, marked so that the script can follow the choice.
    prose = BeautifulSoup(built.page("curve"), "lxml").select("article p > span.st-value")
    assert [(s["data-source"], s["data-format"], s.get_text()) for s in prose] == [
        ("snippets/curve.py:end", ".2f", "4.00")
    ] * 2


def test_search_and_report_see_the_default_and_every_variant(built: Site) -> None:
    index = (built.root / "site" / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "ending at 4.0" in index and "ending at 8.0" not in index
    report = (built.root / "site" / "execution-report" / "index.html").read_text(encoding="utf-8")
    variants = re.findall(r'<span class="st-variant">power=\d, tone=(?:warm|cool)</span>', report)
    assert len(variants) == 12  # the curve's 6 points on each of its 2 pages


def test_a_warm_build_runs_nothing_and_a_wider_grid_runs_only_its_new_points(site: Site) -> None:
    run = site.build()
    assert run.returncode == 0 and run.counts() == (11, 0, 11, 0), run.log
    text = (site.root / PAGE).read_text(encoding="utf-8")
    site.write(PAGE, text.replace("power: [1, 2, 3]", "power: [1, 2, 3, 4]"))
    run = site.build()
    assert run.returncode == 0 and run.counts() == (13, 2, 11, 0), run.log
    assert len(json.loads(figure(site)["data-st-scrub"])["variants"]) == 7


def test_a_claim_broken_in_one_variant_fails_the_build_with_its_params(site: Site) -> None:
    text = (site.root / PAGE).read_text(encoding="utf-8")
    site.write(PAGE, text.replace("power: [1, 2, 3]", "power: [0.5, 1, 2, 3]"))
    run = site.build()
    assert run.returncode != 0
    line = line_of(text, "```snippet")
    assert f"{PAGE}:{line}: snippet snippets/curve.py[power=0.5-tone=warm] failed (error)" in run.log
    assert "the curve ends at 1.41" in run.log


def test_variants_over_the_scrub_budget_fail_the_build(site: Site) -> None:
    config = (site.root / "mkdocs.yml").read_text(encoding="utf-8")
    site.write(
        "mkdocs.yml",
        config.replace("validate_posts: false", "validate_posts: false\n      scrub_budget_kb: 20"),
    )
    run = site.build()
    assert run.returncode != 0
    assert "over the budget of 20 KiB for one scrubbable figure (`scrub_budget_kb`)" in run.log, run.log


def test_pytest_has_one_item_per_variant(site: Site) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "snippets/curve.py"],
        cwd=site.root,
        capture_output=True,
        text=True,
        env=ENV,
        timeout=120,
        check=False,
    )
    items = [line for line in done.stdout.splitlines() if "::" in line]
    # Two pages show the file with different grids: each item names its page's embed, and a word in
    # any script stays readable.
    assert items == [
        f"snippets/curve.py::curve[docs/curve.md:5-power={p}-tone={t}]"
        for p in (1, 2, 3)
        for t in ("warm", "cool")
    ] + [f"snippets/curve.py::curve[docs/words.md:6-tone={t}]" for t in ("warm", "冷たい")], done.stdout


def test_check_validates_the_grid_against_the_snippet(site: Site) -> None:
    text = (site.root / PAGE).read_text(encoding="utf-8")
    site.write(
        PAGE, text.replace("tone: [warm, cool]", "shade: [warm, cool]").replace("tone: warm}", "shade: warm}")
    )
    run = site.check()
    assert run.returncode != 0
    line = line_of(text, "vary:")
    assert (
        f"{PAGE}:{line}: option `vary`: snippets/curve.py's vary.params() has no parameter shade" in run.log
    )


LINKED = "docs/linked.md"


def test_linked_figures_each_carry_the_values_the_page_cites_from_their_snippet(built: Site) -> None:
    soup = BeautifulSoup(built.page("linked"), "lxml")
    area = soup.select_one("figure#fig-area")
    links = json.loads(area["data-st-scrub"])["variants"]
    assert sorted(links) == ["power=1", "power=3"]  # its own grid: 3 points, not the curve's 6
    variant = json.loads((built.root / "site" / links["power=3"]).read_text(encoding="utf-8"))
    # The prose, the table and the admonition cite area.py in three formats: each moves.
    assert variant["values"] == {
        "snippets/area.py:area|.1f": "4.0",
        "snippets/area.py:area|.2f": "4.00",
        "snippets/area.py:area|.3f": "4.000",
    }
    # The area's alt cites the curve's snippet: it comes as HTML too, for the script to fill with the
    # curve's shown value; the curve's alt cites only its own, which its variants bring.
    following = BeautifulSoup(area["data-st-alt"], "lxml")
    assert following.get_text() == "The area under x to the power 2, shaded; the curve ends at 4.0."
    assert [v["data-source"] for v in following.select(".st-value")] == [
        "snippets/area.py:power",
        "snippets/curve.py:end",
    ]
    assert ">3</span>, shaded" in variant["altHtml"]
    assert not soup.select_one("figure#fig-curve").get("data-st-alt")
    cited = soup.select("article .st-value")
    assert {(c["data-source"], c.get_text()) for c in cited if not c.find_parent("figure")} == {
        ("snippets/curve.py:end", "4.00"),
        ("snippets/area.py:area", "2.67"),
        ("snippets/area.py:area", "2.667"),
        ("snippets/area.py:area", "2.7"),
    }
    assert soup.select_one("td .st-value") and soup.select_one(".admonition .st-value")
    # Without the script, the figure says what a reader could vary; the caption stays its last child.
    still = area.select_one(".st-scrub-static").get_text()
    assert still.startswith("Shown for power = 2. ") and "choose power from 1, 2, 3" in still
    assert area.contents[-1].name == "figcaption"
    index = (built.root / "site" / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "area is 2.67" in index and "area is 4.00" not in index  # search sees the defaults


def test_a_linked_name_with_other_values_is_one_error_naming_both_embeds(site: Site) -> None:
    text = (site.root / LINKED).read_text(encoding="utf-8")
    site.write(
        LINKED,
        text.replace("  power: [1, 2, 3]\ndefault: {power: 2}", "  power: [1, 2, 4]\ndefault: {power: 2}"),
    )
    curve, area = (line_of(text, "id: curve") - 2, line_of(text, "id: area") + 2)
    expected = (
        f"{LINKED}:{area}: option `vary`: `power` is linked by its name to the figure at {LINKED}:{curve}, "
        f"which lists [1, 2, 3], but this figure ({LINKED}:{area - 4}) lists [1, 2, 4]"
    )
    for run in (site.build(), site.check()):
        assert run.returncode != 0
        assert expected in run.log, run.log
        assert "area.py, which this page does not embed" not in run.log, run.log  # no cascade
