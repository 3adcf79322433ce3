"""Figures as files (render/figure_files.py): each drawing a self-theming SVG named by its content,
and one <picture> per figure that picks the phone drawing on a narrow screen without a script."""

from __future__ import annotations

from bs4 import BeautifulSoup
from lxml import etree

from site_tools.render.figure_files import (
    FIGURES_DIR,
    PHONE_MEDIA,
    Drawing,
    drawing_file,
    drawing_palettes,
    picture_html,
)

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="144pt" height="72pt" viewBox="0 0 144 72">'
    '<defs><style type="text/css">*{stroke-linejoin: round}</style></defs>'
    '<g id="figure_1"><path d="M 0 0 L 144 72" style="fill: #ffffff"/>'
    '<g id="line2d_1"><path d="M 0 72 L 144 0" style="stroke: #3b6fb6"/></g>'
    '<g id="text_1"><path d="M 1 1 L 2 2" style="fill: #222222"/></g></g></svg>'
)


def test_a_drawing_file_themes_itself_for_both_palettes_and_the_fragment_forces_one() -> None:
    drawing = drawing_file(SVG)
    root = etree.fromstring(drawing.content.encode())  # well-formed, standalone
    assert root.get("width") == "192" and root.get("height") == "96"
    assert (drawing.width, drawing.height) == (192, 96)
    assert root.find("{http://www.w3.org/2000/svg}g[@id='dark']") is not None  # what #dark targets
    css = root.find("{http://www.w3.org/2000/svg}style").text
    assert "@media (prefers-color-scheme:dark){:root:not(:has(#light:target)){" in css
    assert "--md-default-bg-color" not in css and "data-md-color-scheme" not in css  # no page reaches in
    palettes = drawing_palettes(drawing.content)
    assert palettes["default"]["--st-bg"] == "#ffffff" and palettes["slate"]["--st-bg"] == "#1e2129"
    assert palettes["default"]["--st-ink-222222"] != palettes["slate"]["--st-ink-222222"]
    assert drawing.uri.startswith(FIGURES_DIR + "/") and drawing.uri.endswith(".svg")
    assert drawing_file(SVG).uri == drawing.uri  # named by content: one file for every page showing it
    assert drawing_file(SVG.replace("#3b6fb6", "#d9622b")).uri != drawing.uri


def test_the_picture_offers_the_phone_drawing_to_a_narrow_screen_and_the_wide_one_to_print() -> None:
    wide = Drawing(f"{FIGURES_DIR}/w.svg", "", 672, 345.6)
    phone = Drawing(f"{FIGURES_DIR}/p.svg", "", 340, 238)
    html = picture_html(wide, phone, alt='A "loss" curve', url=lambda uri: "../../" + uri)
    picture = BeautifulSoup(html, "html.parser").picture
    source, img = picture.source, picture.img
    assert source["media"] == PHONE_MEDIA and PHONE_MEDIA.startswith("screen and ")
    assert source["srcset"] == f"../../{FIGURES_DIR}/p.svg" and (source["width"], source["height"]) == (
        "340",
        "238",
    )
    assert img["src"] == f"../../{FIGURES_DIR}/w.svg" and img["alt"] == 'A "loss" curve'
    # Whole pixels (HTML wants integers there), and loaded as the reader nears it...
    assert (img["width"], img["height"], img["loading"], img["decoding"]) == ("672", "346", "lazy", "async")
    first = BeautifulSoup(picture_html(wide, phone, alt="x", url=str, first=True), "html.parser").img
    assert not first.has_attr("loading")  # ...unless it is the page's first figure, loaded at once
    alone = BeautifulSoup(picture_html(wide, None, alt="x", url=lambda uri: uri), "html.parser")
    assert alone.source is None and alone.img["src"] == f"{FIGURES_DIR}/w.svg"
    variant = BeautifulSoup(picture_html(wide, phone, alt="x", url=None), "html.parser")  # for a script
    assert variant.img.get("src") is None and variant.img["data-st-src"] == f"{FIGURES_DIR}/w.svg"
    assert variant.source["data-st-srcset"] == f"{FIGURES_DIR}/p.svg"
