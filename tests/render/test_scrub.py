"""The host-free part of a scrubbable figure: its controls, its variant files and its budget."""

from __future__ import annotations

import json

from bs4 import BeautifulSoup

from site_tools.engine.collect.grid import grid_points, variant
from site_tools.engine.model import CellOutput, CodeCell, Embed, Figure, Options, RunResult, Snippet
from site_tools.render.scrub import budget_problem, scrub_parts
from site_tools.render.values import Citer, Source

GRID = (("lr", (0.01, 0.1)), ("act", ("relu", "tanh")))
DEFAULT = (("lr", 0.1), ("act", "relu"))


def _embed() -> Embed:
    snippet = Snippet("file", "snippets/lr.py", "snippets/lr.py", (CodeCell("", 1),))
    options = Options(caption=("Rate {value}`lr`.",), vary=GRID, default=DEFAULT, id="lr")
    variants = tuple(variant(snippet, point) for point in grid_points(GRID))
    return Embed("docs/p.md", 3, 9, "", variant(snippet, DEFAULT), options, variants)


def _result(point) -> RunResult:
    values = {"lr": dict(point)["lr"], "loss": 1.0 / dict(point)["lr"]}
    figure = Figure(f"<svg>{dict(point)['act']}</svg>")
    return RunResult(str(point), "ok", (CellOutput(figures=(figure,)),), values=values)


def test_scrub_parts_link_each_other_variant_with_its_caption_alt_and_values() -> None:
    embed = _embed()
    results = {point: _result(point) for point in grid_points(GRID)}
    parts = scrub_parts(
        embed,
        results,
        fig_id="fig-lr",
        page_text="Loss {value}`lr.py:loss:.1f` here.\n",
        citer_for=lambda result: Citer({"lr.py": Source("snippets/lr.py", result)}),
        caption="Rate {value}`lr`.",
        alt="Loss at rate {value}`lr`.",
        render_variant=lambda result, svg, fig_id, alt: f"{svg}|{fig_id}|{alt}",
        own="lr.py",
    )
    data = json.loads(BeautifulSoup(f"<figure{parts.attributes}></figure>", "lxml").figure["data-st-scrub"])
    assert data["default"] == "lr=0.1,act=relu"
    assert sorted(data["variants"]) == ["lr=0.01,act=relu", "lr=0.01,act=tanh", "lr=0.1,act=tanh"]
    uri = data["variants"]["lr=0.01,act=tanh"]  # from the site's root, whatever the page's URL
    assert uri.startswith("assets/site-tools/variants/")
    content = json.loads(parts.files[uri])
    assert content["svg"] == "<svg>tanh</svg>|fig-lr|Loss at rate 0.01."
    assert content["alt"] == "Loss at rate 0.01."
    assert content["values"] == {"snippets/lr.py:loss|.1f": "100.0"}
    assert ">0.01</span>." in content["caption"]
    assert set(parts.sizes) == set(data["variants"])
    controls = BeautifulSoup(parts.figure("<svg/>"), "lxml")
    assert controls.select_one(".st-scrub-view svg") is not None
    template = BeautifulSoup(controls.select_one("template").decode_contents(), "lxml")
    slider = template.select_one("input[type=range]")
    assert (slider["name"], slider["value"], slider["aria-valuetext"]) == ("lr", "1", "0.1")
    assert template.select_one("label[for=fig-lr-lr]").get_text() == "lr"
    assert [r["value"] for r in template.select("[role=radiogroup] input")] == ["relu", "tanh"]
    assert controls.select_one(".st-scrub-live")["data-alt"] == "Loss at rate 0.1."


def test_variants_over_the_scrub_budget_are_named_with_the_largest() -> None:
    sizes = {"lr=0.01": 300_000, "lr=1.0": 900_000}
    problem = budget_problem("docs/p.md:3", "snippets/lr.py", sizes, 1024)
    assert problem is not None and problem.startswith("docs/p.md:3: snippets/lr.py: its 2 other variants")
    assert "largest is lr=1.0 (878.9 KiB)" in problem
    assert budget_problem("docs/p.md:3", "snippets/lr.py", sizes, 0) is None
