"""What axe cannot see: inside each figure's SVG, lines, markers and bars stand out from the figure's
background by 3:1 and text by 4.5:1 (WCAG 1.4.11 and 1.4.3), in the light and the dark palette, on
the default drawing of every figure of every post and on every variant a scrubbable figure fetches.

The colours are read back from the built site: each drawing is a file themed with CSS variables, one
value per palette (site_tools/engine/figures/svgtheme.py, render/figure_files.py): every figure's
wide and phone drawing, and every scrub variant's. Gridlines (clipped strokes of a tick) and
translucent marks are exempt, as the issue's rule says."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from site_tools.render.figure_files import FIGURES_DIR, drawing_palettes
from site_tools.render.svgtheme import BACKGROUND, PALETTES, contrast_ratio, palette_values

pytestmark = pytest.mark.slow
NEED = {"text": 4.5, "line": 3.0, "marker": 3.0, "bar": 3.0}
VAR = re.compile(r"var\((--st-(?:ink|area)-[0-9a-f]{6})\)")
TEXT_GROUP = re.compile(r"(?:^|-)text_\d+$")
MARK_GROUP = re.compile(r"(?:^|-)(?:line2d|PathCollection)_\d+$")
TICK_GROUP = re.compile(r"(?:^|-)[xy]tick_\d+$")


def _style(element: etree._Element) -> dict[str, str]:
    pairs = (part.split(":", 1) for part in (element.get("style") or "").split(";") if ":" in part)
    return {name.strip(): value.strip() for name, value in pairs}


def _translucent(style: dict[str, str], prop: str) -> bool:
    return any(float(style.get(name, "1")) < 1 for name in ("opacity", f"{prop}-opacity"))


def marks(svg: str) -> Iterator[tuple[str, str, str]]:
    """(role, variable, where) of every colour a reader must tell from the background."""
    root = etree.fromstring(svg.encode("utf-8"))
    stack = [(root, False, False, False, False)]
    while stack:
        el, in_text, in_marks, in_tick, faded = stack.pop()
        ident = el.get("id", "")
        local = el.tag.rpartition("}")[2] if isinstance(el.tag, str) else ""
        style = _style(el)
        in_text = in_text or local in {"text", "tspan"} or bool(TEXT_GROUP.search(ident))
        in_marks = in_marks or bool(MARK_GROUP.search(ident))
        in_tick = in_tick or bool(TICK_GROUP.search(ident))
        faded = faded or float(style.get("opacity", "1")) < 1
        for prop in ("fill", "stroke"):
            found = VAR.fullmatch(style.get(prop, ""))
            if not found or faded or _translucent(style, prop):
                continue
            if prop == "stroke" and in_tick and el.get("clip-path"):
                continue  # a gridline
            role = "text" if prop == "fill" and in_text else "line" if prop == "stroke" else (
                "marker" if in_marks else "bar"
            )
            yield role, found.group(1), ident or local
        stack.extend((c, in_text, in_marks, in_tick, faded) for c in el if isinstance(c.tag, str))


def failures(svg: str, name: str) -> list[str]:
    found = []
    read = drawing_palettes if ":root:has(#dark:target)" in svg else palette_values
    for palette in PALETTES:
        values = read(svg)[palette]
        background = values.get("--st-bg", BACKGROUND[palette])
        seen = set()
        for role, variable, where in marks(svg):
            if (role, variable) in seen or variable not in values:
                continue
            seen.add((role, variable))
            ratio = contrast_ratio(values[variable], background)
            if ratio < NEED[role]:
                found.append(
                    f"{name} {palette}: {role} {values[variable]} ({where}) on {background} is"
                    f" {ratio:.2f}:1, needs {NEED[role]}:1"
                )
    return found


def drawings(site: Path) -> Iterator[tuple[str, str]]:
    """(name, SVG) of every drawing the posts link, phone drawings and scrub variants' included."""
    linked: set[str] = set()
    for page in sorted(site.glob("blog/[0-9][0-9][0-9][0-9]/**/index.html")):
        html = page.read_text(encoding="utf-8")
        assert '<svg class="st-svg"' not in html and 'class="st-svg"' not in html  # no inline figure
        linked.update(re.findall(r'(?:src|srcset)="[./]*(' + FIGURES_DIR + r'/[0-9a-f]+\.svg)', html))
    for variant in sorted((site / "assets" / "site-tools" / "variants").glob("*.json")):
        linked.update(re.findall(FIGURES_DIR + r"/[0-9a-f]+\.svg", json.loads(variant.read_text())["svg"]))
    for uri in sorted(linked):
        yield uri, (site / uri).read_text(encoding="utf-8")


def test_every_figure_and_variant_keeps_its_contrast_in_both_palettes(site_dir: Path) -> None:
    found = []
    drawn = dict(drawings(site_dir))
    for name, svg in drawn.items():
        assert list(marks(svg)), f"{name}: no mark read"
        found += failures(svg, name)
    assert len(drawn) >= 40, len(drawn)  # 21 figures, 11 variants, most with a phone drawing too
    assert found == []


def test_the_check_sees_a_faint_line_and_passes_a_gridline() -> None:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" class="st-svg"><style>#f{--st-bg:var(--md-default-bg-color,'
        " #ffffff);--st-ink-aaaaaa:#cccccc;--st-ink-000000:#000000}"
        '[data-md-color-scheme="slate"] #f{--st-bg:var(--md-default-bg-color, #1e2129);'
        "--st-ink-aaaaaa:#cccccc;--st-ink-000000:#cccccc}</style>"
        '<g id="f-xtick_1"><g id="f-line2d_1"><path clip-path="url(#c)" style="stroke:var(--st-ink-aaaaaa)"/>'
        '</g></g><g id="f-line2d_2"><path style="stroke:var(--st-ink-aaaaaa)"/></g></svg>'
    )
    assert [f.split(":")[0] for f in failures(svg, "f")] == ["f default"]
