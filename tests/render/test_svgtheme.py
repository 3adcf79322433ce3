"""The themed inline SVG, checked on real matplotlib figures drawn here."""

from __future__ import annotations

import base64
import colorsys
import io
import re
from collections.abc import Callable, Iterator

import matplotlib
import pytest
from lxml import etree, html

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np

from site_tools.render.svgtheme import (
    BACKGROUND,
    MIN_CONTRAST,
    PALETTES,
    SLATE_INK,
    SvgThemeError,
    colour_roles,
    contrast_ratio,
    render_inline_svg,
    themed_colour,
)

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert("x")</script> & "quotes"'


def _savefig(fig: plt.Figure) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(fig)
    return buffer.getvalue()


def line_plot() -> plt.Figure:
    fig, ax = plt.subplots(figsize=(4, 3))
    x = np.linspace(0, 2 * np.pi, 80)
    ax.plot(x, np.sin(x), label="sin", marker="o", markevery=10)
    ax.plot(x, np.cos(x), label="cos", linestyle="--")
    ax.plot(x, 0.5 * np.sin(2 * x), label="yellowish", color="#bcbd22")
    ax.scatter(x[::8], np.cos(x[::8]), color="#17becf", label="samples")
    ax.legend()
    ax.grid(True)
    ax.set(title=f"Waves {HOSTILE}", xlabel="x", ylabel="y")
    return fig


def image_with_colorbar() -> plt.Figure:
    fig, ax = plt.subplots(figsize=(4, 3))
    image = ax.imshow(np.random.default_rng(0).random((8, 8)), cmap="viridis")
    fig.colorbar(image, ax=ax)
    ax.set_title("weights")
    return fig


def bar_chart() -> plt.Figure:
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.bar(["a", "b", "c", "d"], [3, 1, 2, 4], color=["#1f77b4", "#ff7f0e", "#2ca02c", "#000080"])
    ax.fill_between([0, 1, 2, 3], [0, 1, 0.5, 2], alpha=0.3, color="#d62728")
    ax.set_title("bars", color="#9467bd")
    return fig


FIGURES: dict[str, Callable[[], plt.Figure]] = {
    "line": line_plot,
    "image": image_with_colorbar,
    "bar": bar_chart,
}


@pytest.fixture(params=["path", "none"], ids=["glyph-paths", "svg-text"])
def fonttype(request: pytest.FixtureRequest) -> Iterator[str]:
    """Both ways matplotlib writes text: glyph paths (engine default) and <text> elements."""
    with matplotlib.rc_context({"svg.fonttype": request.param, "svg.hashsalt": "test-salt"}):
        yield request.param


@pytest.fixture(params=sorted(FIGURES))
def raw_svg(request: pytest.FixtureRequest, fonttype: str) -> str:
    return _savefig(FIGURES[request.param]())


def themed(raw: str, figure_id: str = "fig-1-1") -> str:
    return render_inline_svg(raw, figure_id=figure_id, alt=HOSTILE)


def _ids_and_refs(root: etree._Element) -> tuple[list[str], list[str]]:
    ids = [el.get("id") for el in root.iter() if isinstance(el.tag, str) and el.get("id")]
    refs = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for name, value in el.attrib.items():
            if name.endswith("href") and value.startswith("#"):
                refs.append(value[1:])
            refs.extend(re.findall(r"url\(#([^)]+)\)", value))
    return ids, refs


def test_output_is_one_svg_element_without_prolog(raw_svg: str) -> None:
    out = themed(raw_svg)
    assert out.startswith("<svg ") and out.endswith("</svg>")
    assert "<?xml" not in out and "<!DOCTYPE" not in out and "<!--" not in out
    root = etree.fromstring(out.encode())  # well-formed XML
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == "0 0 288 216"
    assert (root.get("width"), root.get("height")) == ("384", "288")  # 288 x 216 pt in px
    assert root.get("style") == "max-width:100%;height:auto"


def test_ids_are_prefixed_unique_and_every_reference_resolves(raw_svg: str) -> None:
    root = etree.fromstring(themed(raw_svg, "fig-7-2").encode())
    ids, refs = _ids_and_refs(root)
    assert ids and refs
    assert len(ids) == len(set(ids))
    assert all(i.startswith("fig-7-2-") for i in ids)
    assert set(refs) <= set(ids)


def test_two_figures_with_colliding_ids_share_a_page(fonttype: str) -> None:
    first, second = _savefig(line_plot()), _savefig(bar_chart())
    raw_ids = [set(_ids_and_refs(etree.fromstring(s.encode()))[0]) for s in (first, second)]
    assert raw_ids[0] & raw_ids[1], "the fixture must collide (same hash salt, same glyphs)"
    page = etree.fromstring(
        f"<div>{themed(first, 'fig-a')}{themed(second, 'fig-b')}</div>".encode()
    )
    ids, refs = _ids_and_refs(page)
    assert len(ids) == len(set(ids))
    assert set(refs) <= set(ids)
    for svg in page:  # each figure only refers to itself
        own_ids, own_refs = _ids_and_refs(svg)
        assert set(own_refs) <= set(own_ids)


def test_text_and_lines_keep_contrast_in_both_palettes(raw_svg: str) -> None:
    out = themed(raw_svg)
    for palette in PALETTES:
        pairs = colour_roles(out, palette)
        roles = {role for _, role in pairs}
        assert {"text", "line", "background"} <= roles
        for colour, role in pairs:
            if role == "background":
                assert colour == BACKGROUND[palette]
                continue
            ratio = contrast_ratio(colour, BACKGROUND[palette])
            assert ratio >= MIN_CONTRAST[role], (palette, colour, role, ratio)
            if role in {"text", "line", "marker"}:
                assert ratio >= 4.5


def test_every_colour_outside_the_stylesheet_is_a_variable(raw_svg: str) -> None:
    root = etree.fromstring(themed(raw_svg).encode())
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in {f"{SVG}style", f"{SVG}title"}:
            continue
        style = el.get("style", "")
        for prop, value in re.findall(r"(?:^|;)\s*(fill|stroke)\s*:\s*([^;]+)", style):
            assert value == "none" or value.startswith(("var(--st-", "url(#")), (prop, value)
        assert el.get("fill") is None and el.get("stroke") is None


def test_the_palettes_really_differ(raw_svg: str) -> None:
    out = themed(raw_svg)
    light = dict(colour_roles(out, "default"))
    dark = dict(colour_roles(out, "slate"))
    assert light != dark
    text_light = {c for c, r in colour_roles(out, "default") if r == "text"}
    text_dark = {c for c, r in colour_roles(out, "slate") if r == "text"}
    assert not text_light & text_dark


def test_embedded_images_are_left_as_they_are(fonttype: str) -> None:
    raw = _savefig(image_with_colorbar())
    before = [
        "".join(el.get("{http://www.w3.org/1999/xlink}href").split())
        for el in etree.fromstring(raw.encode()).iter(f"{SVG}image")
    ]
    after = [el.get("href") for el in etree.fromstring(themed(raw).encode()).iter(f"{SVG}image")]
    assert len(before) == 2 and after == before  # the image and the colour bar
    assert base64.b64decode(after[0].split(",", 1)[1]).startswith(b"\x89PNG")


def test_output_is_deterministic(fonttype: str) -> None:
    first = themed(_savefig(line_plot()))
    second = themed(_savefig(line_plot()))
    assert first == second


def test_alt_and_figure_text_come_out_escaped(raw_svg: str) -> None:
    out = themed(raw_svg)
    root = etree.fromstring(out.encode())
    assert root.get("role") == "img"
    assert root.get("aria-label") == HOSTILE.strip()
    assert root[0].tag == f"{SVG}title" and root[0].text == HOSTILE.strip()
    page = html.fromstring(f"<html><body><p>before</p>{out}<p>after</p></body></html>")
    assert page.xpath("//script") == []
    assert [p.text for p in page.xpath("//p")] == ["before", "after"]


def test_matplotlib_stylesheet_is_scoped_to_the_figure(raw_svg: str) -> None:
    root = etree.fromstring(themed(raw_svg, "fig-x").encode())
    css = "".join(s.text for s in root.iter(f"{SVG}style"))
    selectors = re.findall(r"(?:^|})([^{}]+)\{", css)
    assert selectors
    for selector in selectors:
        assert "#fig-x-svg" in selector, selector
    assert '[data-md-color-scheme="slate"] #fig-x-svg' in selectors


@pytest.mark.parametrize("palette", PALETTES)
@pytest.mark.parametrize("role", ["text", "area"])
@pytest.mark.parametrize("colour", ["#1f77b4", "#ff7f0e", "#bcbd22", "#000080", "#9467bd"])
def test_lightness_moves_minimally_and_hue_stays(colour: str, role: str, palette: str) -> None:
    result = themed_colour(colour, role, palette)
    background = BACKGROUND[palette]
    assert contrast_ratio(result, background) >= MIN_CONTRAST[role]
    if contrast_ratio(colour, background) >= MIN_CONTRAST[role]:
        assert result == colour
        return
    rgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    new = [int(result[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    hue, light, _ = colorsys.rgb_to_hls(*rgb)
    new_hue, new_light, _ = colorsys.rgb_to_hls(*new)
    assert abs(hue - new_hue) < 0.02
    assert (new_light < light) == (palette == "default")
    # One step less of a change would fall short of the target.
    back = 2 / 255 if palette == "default" else -2 / 255
    closer = colorsys.hls_to_rgb(hue, new_light + back, colorsys.rgb_to_hls(*new)[2])
    closer_hex = "#" + "".join(f"{round(c * 255):02x}" for c in closer)
    assert contrast_ratio(closer_hex, background) < MIN_CONTRAST[role]


def test_contrast_ratio_matches_wcag() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#000000") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#777777") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize(
    ("svg", "kwargs", "message"),
    [
        ("<svg xmlns='http://www.w3.org/2000/svg'><g></svg>", {}, r"fig-bad.*line 1"),
        ("<html/>", {}, r"fig-bad.*expected <svg>"),
        (
            "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 1 1'><use href='#nope'/></svg>",
            {},
            r"fig-bad.*missing id #nope",
        ),
        (
            "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 1 1'><path fill='red'/></svg>",
            {},
            r"fig-bad.*fill: 'red'",
        ),
        ("<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 1 1'/>", {"alt": " "}, "alt"),
        (
            "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 1 1'/>",
            {"figure_id": "1 bad"},
            "must start with a letter",
        ),
    ],
)
def test_bad_input_is_a_clear_error(svg: str, kwargs: dict[str, str], message: str) -> None:
    arguments = {"figure_id": "fig-bad", "alt": "a figure", **kwargs}
    with pytest.raises(SvgThemeError, match=message):
        render_inline_svg(svg, **arguments)


@pytest.mark.parametrize("ink", ["#000000", "#222222"])
def test_grey_ink_is_mirrored_for_slate_not_just_nudged(ink: str) -> None:
    """Near-black text becomes light text like Material's own, well above the bare minimum."""
    dark = themed_colour(ink, "text", "slate")
    assert contrast_ratio(dark, BACKGROUND["slate"]) >= 7.0
    assert themed_colour("#000000", "text", "slate") == SLATE_INK
    assert themed_colour("#ffffff", "background", "slate") == BACKGROUND["slate"]
