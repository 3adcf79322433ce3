"""Turn a matplotlib SVG into an inline figure that follows Material's light and dark palettes.

A snippet runs once and matplotlib writes one SVG. Rather than render the figure twice, every
colour in it becomes a CSS custom property scoped to the figure, with a value for the light
palette and one for ``[data-md-color-scheme="slate"]``. Ink (text, lines, markers) gets the
lightness that keeps 4.5:1 contrast against the figure background in each palette, filled areas
3:1 (WCAG 1.4.11, graphical objects), white becomes the page background; hues are kept and
embedded raster images are left alone. Pure functions: no MkDocs, no I/O.
"""

from __future__ import annotations

import colorsys
import re
from functools import lru_cache
from typing import Literal

from lxml import etree

Palette = Literal["default", "slate"]
Role = Literal["text", "line", "marker", "area", "background"]

PALETTES: tuple[Palette, ...] = ("default", "slate")
#: Minimum contrast against the figure background, by role.
MIN_CONTRAST: dict[str, float] = {"text": 4.5, "line": 4.5, "marker": 4.5, "area": 3.0}
#: The figure background per palette: Material 9's ``--md-default-bg-color`` (slate is
#: ``hsla(225deg, 15%, 14%, 1)``). Used as fallback when the page does not define the variable.
BACKGROUND: dict[Palette, str] = {"default": "#ffffff", "slate": "#1e2129"}
#: What black ink becomes on slate: Material's slate body text (90% lightness at 0.82 alpha).
SLATE_INK = "#bfc1c7"

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_ID_RE = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
_URL_REF_RE = re.compile(r"url\(\s*#([^)\s]+)\s*\)")
_HEX_RE = re.compile(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\Z")
_VAR_RE = re.compile(r"var\(--st-(ink|area|bg)(?:-([0-9a-f]{6}))?\)")
_RULE_RE = re.compile(r"\s*([^{}]+?)\s*\{([^{}]*)\}")
_COLOUR_PROPS = ("fill", "stroke")
_NEUTRAL_CHROMA = 0.05  # max-min of RGB channels below which a colour counts as grey
_PX_PER_UNIT = {"pt": 4 / 3, "px": 1.0, "": 1.0, "in": 96.0, "cm": 96 / 2.54, "mm": 9.6 / 2.54}


class SvgThemeError(ValueError):
    """The SVG cannot be themed; the message names the figure and what is wrong."""


# --- colour arithmetic -------------------------------------------------------------------


def _rgb(colour: str) -> tuple[float, float, float]:
    match = _HEX_RE.match(colour.strip())
    if not match:
        raise ValueError(f"not a #rgb or #rrggbb colour: {colour!r}")
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    return tuple(int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(min(max(c, 0.0), 1.0) * 255):02x}" for c in rgb)


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a ``#rrggbb`` colour."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(c1: str, c2: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours, from 1.0 to 21.0."""
    lighter, darker = sorted((relative_luminance(c1), relative_luminance(c2)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _is_white(colour: str) -> bool:
    return min(_rgb(colour)) >= 250 / 255


@lru_cache(maxsize=4096)
def themed_colour(colour: str, role: Role, palette: Palette) -> str:
    """The colour ``colour`` takes in ``palette`` when it plays ``role`` in a figure.

    Greys are mirrored for slate (black ink becomes Material's light text, white the page
    background); every colour then keeps its hue and moves its lightness only as far as it
    must to reach the role's contrast against the palette's background.
    """
    background = BACKGROUND[palette]
    if role == "background":
        return background
    rgb = _rgb(colour)
    if palette == "slate" and max(rgb) - min(rgb) <= _NEUTRAL_CHROMA:
        t = sum(rgb) / 3  # 0 = black ink, 1 = white paper
        ink, paper = _rgb(SLATE_INK), _rgb(background)
        rgb = tuple(p + (1 - t) * (i - p) for i, p in zip(ink, paper, strict=True))  # type: ignore[assignment]
    start = _hex(rgb)
    target = MIN_CONTRAST[role]
    if contrast_ratio(start, background) >= target:
        return start
    hue, lightness, saturation = colorsys.rgb_to_hls(*rgb)
    # Luminance grows with HLS lightness at fixed hue and saturation, so bisect on it.
    darken = relative_luminance(background) > 0.5
    lo, hi = (0.0, lightness) if darken else (lightness, 1.0)
    for _ in range(40):
        mid = (lo + hi) / 2
        ok = contrast_ratio(_hex(colorsys.hls_to_rgb(hue, mid, saturation)), background) >= target
        if ok == darken:
            lo = mid
        else:
            hi = mid
    best = lo if darken else hi
    result = _hex(colorsys.hls_to_rgb(hue, best, saturation))
    # Rounding to 8-bit channels may land a hair short; step one more notch if so.
    step = -1 / 255 if darken else 1 / 255
    while contrast_ratio(result, background) < target:
        best = min(max(best + step, 0.0), 1.0)
        result = _hex(colorsys.hls_to_rgb(hue, best, saturation))
    return result


# --- what a colour does in a matplotlib SVG ----------------------------------------------


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _ancestor_ids(element: etree._Element) -> list[str]:
    return [a.get("id", "") for a in element.iterancestors()] + [element.get("id", "")]


def _is_text(element: etree._Element, ids: list[str]) -> bool:
    if _local(element.tag) in {"text", "tspan"}:
        return True
    return any(re.search(r"(^|-)text_\d+$", i) for i in ids)


def classify(element: etree._Element, prop: str, colour: str) -> Role:
    """The role a ``fill``/``stroke`` colour plays, from matplotlib's group ids."""
    ids = _ancestor_ids(element)
    if prop == "fill" and _is_text(element, ids):
        return "text"
    if _is_white(colour):
        return "background"
    if prop == "stroke":
        return "line"
    if any(re.search(r"(^|-)(line2d|PathCollection)_\d+$", i) for i in ids):
        return "marker"
    return "area"


def _variable(role: Role, colour: str) -> str:
    if role == "background":
        return "--st-bg"
    kind = "area" if role == "area" else "ink"
    return f"--st-{kind}-{_hex(_rgb(colour))[1:]}"


# --- the transformation --------------------------------------------------------------------


def _parse(svg: str, figure_id: str) -> etree._Element:
    parser = etree.XMLParser(
        remove_comments=True, remove_pis=True, resolve_entities=False, no_network=True,
        huge_tree=True,
    )
    try:
        root = etree.fromstring(svg.encode("utf-8"), parser)
    except etree.XMLSyntaxError as exc:
        raise SvgThemeError(f"figure {figure_id}: the SVG is not well-formed XML: {exc}") from exc
    if root.tag != f"{{{SVG_NS}}}svg":
        raise SvgThemeError(f"figure {figure_id}: root element is {root.tag!r}, expected <svg>")
    return root


def _length_px(root: etree._Element, axis: str, figure_id: str) -> float:
    """The SVG's natural width or height in CSS px, from its attribute or else its viewBox."""
    match = re.fullmatch(r"\s*([0-9.]+)\s*(pt|px|in|cm|mm|)\s*", root.get(axis) or "")
    if match:
        return float(match.group(1)) * _PX_PER_UNIT[match.group(2)]
    view_box = (root.get("viewBox") or "").split()
    if len(view_box) == 4:
        return float(view_box[2 if axis == "width" else 3])
    raise SvgThemeError(f"figure {figure_id}: <svg> has neither a {axis} nor a viewBox")


def _parse_style(style: str) -> list[tuple[str, str]]:
    pairs = []
    for declaration in style.split(";"):
        name, sep, value = declaration.partition(":")
        if sep and name.strip():
            pairs.append((name.strip(), value.strip()))
    return pairs


def _rename_ids(root: etree._Element, figure_id: str) -> None:
    """Prefix every id and every reference to one, so figures on one page never collide."""
    prefix = f"{figure_id}-"
    known = {el.get("id") for el in root.iter() if el.get("id")}

    def ref(name: str, where: str) -> str:
        if name not in known:
            raise SvgThemeError(f"figure {figure_id}: {where} refers to missing id #{name}")
        return prefix + name

    for el in root.iter():
        if el.get("id"):
            el.set("id", prefix + el.get("id"))
        for attr, value in list(el.attrib.items()):
            if attr in (XLINK_HREF, "href"):
                target = value.strip()
                if target.startswith("#"):
                    target = "#" + ref(target[1:], f"<{_local(el.tag)} {attr}>")
                elif target.startswith("data:"):
                    target = "".join(target.split())  # base64 line breaks would become &#10;
                el.attrib.pop(attr)
                el.set("href", target)  # SVG 2 href: no xlink namespace needed inline
            elif "url(" in value:
                fixed = _URL_REF_RE.sub(lambda m, a=attr: f"url(#{ref(m.group(1), a)})", value)
                el.set(attr, fixed)


def _theme_colours(root: etree._Element, figure_id: str) -> dict[str, tuple[str, Role]]:
    """Replace colours by variables; return variable -> (original colour, role)."""
    variables: dict[str, tuple[str, Role]] = {}
    for el in root.iter():
        if not isinstance(el.tag, str) or _local(el.tag) in {"style", "title", "metadata"}:
            continue
        declarations = _parse_style(el.get("style", ""))
        for prop in _COLOUR_PROPS:  # presentation attributes join the style
            if el.get(prop) is not None:
                declarations.append((prop, el.attrib.pop(prop)))
        changed = []
        for name, value in declarations:
            low = value.lower()
            if name in _COLOUR_PROPS and low not in {"none", "transparent", "inherit"} and (
                not low.startswith("url(")
            ):
                try:
                    colour = _hex(_rgb(value))
                except ValueError:
                    raise SvgThemeError(
                        f"figure {figure_id}: <{_local(el.tag)} id={el.get('id')!r}> "
                        f"{name}: {value!r} is not a #rrggbb colour"
                    ) from None
                role = classify(el, name, colour)
                variable = _variable(role, colour)
                variables.setdefault(variable, (colour, role))
                changed.append(f"{name}:var({variable})")
            else:
                changed.append(f"{name}:{value}")
        if changed:
            el.set("style", ";".join(changed))
    return variables


def _stylesheet(root: etree._Element, selector: str, variables: dict[str, tuple[str, Role]],
                figure_id: str) -> str:
    """The figure's scoped stylesheet: variables per palette plus matplotlib's own rules."""
    rules = []
    for palette in PALETTES:
        values = [f"--st-bg:var(--md-default-bg-color,{BACKGROUND[palette]})"]
        for variable, (colour, role) in sorted(variables.items()):
            if variable != "--st-bg":
                values.append(f"{variable}:{themed_colour(colour, role, palette)}")
        scope = selector if palette == "default" else f'[data-md-color-scheme="slate"] {selector}'
        rules.append(f"{scope}{{{';'.join(values)}}}")
    rules.append(f"{selector}{{fill:var({_variable('text', '#000000')})}}")
    for old in root.iter(f"{{{SVG_NS}}}style"):
        css = old.text or ""
        # matplotlib writes flat rules such as `*{stroke-linejoin: round}`; inline in HTML they
        # would style the whole page, so each selector is scoped to this figure.
        consumed = 0
        for match in _RULE_RE.finditer(css):
            if match.start() != consumed:
                break
            consumed = match.end()
            scoped = ",".join(f"{selector} {s.strip()}" for s in match.group(1).split(","))
            body = ";".join(f"{n}:{v}" for n, v in _parse_style(match.group(2)))
            rules.append(f"{scoped}{{{body}}}")
        if css[consumed:].strip():
            raise SvgThemeError(f"figure {figure_id}: cannot scope the SVG's CSS: {css!r}")
        old.getparent().remove(old)
    return "".join(rules)


def _strip_layout_whitespace(root: etree._Element) -> None:
    """Drop indentation and line breaks in path data: on one line, the fragment is smaller and
    no Markdown processor can mistake a blank line inside it for the end of an HTML block."""
    for defs in root.findall(f".//{{{SVG_NS}}}defs"):
        if len(defs) == 0:
            defs.getparent().remove(defs)
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if _local(el.tag) not in {"text", "tspan", "style", "title"} and el.text and (
            not el.text.strip()
        ):
            el.text = None
        if el.tail and not el.tail.strip():
            el.tail = None
        if el.get("d"):
            el.set("d", " ".join(el.get("d").split()))


def render_inline_svg(svg: str, *, figure_id: str, alt: str) -> str:
    """Return ``svg`` (as matplotlib wrote it) as a fragment to inline in an HTML page.

    The fragment's root is ``<svg id="{figure_id}-svg">``; every id inside is prefixed with
    ``{figure_id}-``. Wrap it in an element with another id (e.g. ``<figure id="{figure_id}">``).
    Raises :class:`SvgThemeError` (a ``ValueError``) naming the figure when the input is unusable.
    """
    if not _ID_RE.match(figure_id):
        raise SvgThemeError(
            f"figure id {figure_id!r}: must start with a letter and hold only letters, digits, "
            "'-' and '_'"
        )
    if not alt or not alt.strip():
        raise SvgThemeError(f"figure {figure_id}: alt text is empty; every figure needs one")
    root = _parse(svg, figure_id)
    width = _length_px(root, "width", figure_id)
    height = _length_px(root, "height", figure_id)
    if root.get("viewBox") is None:
        root.set("viewBox", f"0 0 {width:g} {height:g}")
    for meta in root.findall(f"{{{SVG_NS}}}metadata"):
        root.remove(meta)
    _rename_ids(root, figure_id)
    variables = _theme_colours(root, figure_id)
    # Glyphs drawn without a fill are black: the stylesheet makes that default follow the palette.
    variables.setdefault(_variable("text", "#000000"), ("#000000", "text"))
    root_id = f"{figure_id}-svg"
    css = _stylesheet(root, f"#{root_id}", variables, figure_id)
    for attr in ("width", "height", "version", "id"):
        root.attrib.pop(attr, None)
    root.set("id", root_id)
    root.set("class", "st-svg")
    root.set("role", "img")
    root.set("aria-label", alt.strip())
    # Natural size as attributes, shrunk to the column by CSS: Material's <figure> is
    # `width: fit-content`, in which a percentage width would collapse to SVG's default 300 px.
    root.set("width", f"{width:g}")
    root.set("height", f"{height:g}")
    root.set("style", "max-width:100%;height:auto")
    title = etree.Element(f"{{{SVG_NS}}}title")
    title.text = alt.strip()
    style = etree.Element(f"{{{SVG_NS}}}style")
    style.text = css
    root.insert(0, style)
    root.insert(0, title)
    _strip_layout_whitespace(root)
    etree.cleanup_namespaces(root)
    return etree.tostring(root, encoding="unicode")


# --- checking a themed figure ----------------------------------------------------------------


def palette_values(fragment: str) -> dict[Palette, dict[str, str]]:
    """Each palette's value for each ``--st-*`` variable of a themed fragment (bg: fallback)."""
    root = etree.fromstring(fragment.encode("utf-8"))
    css = "".join(s.text or "" for s in root.iter(f"{{{SVG_NS}}}style"))
    values: dict[Palette, dict[str, str]] = {"default": {}, "slate": {}}
    for match in _RULE_RE.finditer(css):
        palette: Palette = "slate" if "slate" in match.group(1) else "default"
        for name, value in _parse_style(match.group(2)):
            if name.startswith("--st-"):
                fallback = re.search(r"(#[0-9a-fA-F]{6})\)?$", value)
                values[palette][name] = fallback.group(1).lower() if fallback else value
    return values


def colour_roles(fragment: str, palette: Palette) -> list[tuple[str, Role]]:
    """The distinct (colour, role) pairs a themed fragment shows in ``palette``, sorted.

    Reads the fragment back (its variables and where each is used) so tests can check the
    contrast rule on the output rather than trust the code that wrote it.
    """
    values = palette_values(fragment)[palette]
    root = etree.fromstring(fragment.encode("utf-8"))
    pairs: set[tuple[str, Role]] = set()
    # Glyphs without a fill inherit the root's default, which is text ink.
    pairs.add((values[_variable("text", "#000000")], "text"))
    for el in root.iter():
        for name, value in _parse_style(el.get("style", "")):
            match = _VAR_RE.fullmatch(value)
            if name in _COLOUR_PROPS and match:
                variable = value[4:-1]
                kind = match.group(1)
                role: Role = (
                    "background" if kind == "bg" else "area" if kind == "area"
                    else classify(el, name, "#000000")
                )
                pairs.add((values[variable], role))
    return sorted(pairs)
