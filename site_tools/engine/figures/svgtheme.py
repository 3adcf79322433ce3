"""Turn a matplotlib SVG into an inline figure that follows Material's light and dark palettes.

A snippet runs once and matplotlib writes one SVG. Rather than render the figure twice, every
colour in it becomes a CSS custom property scoped to the figure, with a value for the light
palette and one for ``[data-md-color-scheme="slate"]``. Ink (text, lines, markers) gets the
lightness that keeps 4.5:1 contrast against the figure background in each palette, filled areas
3:1 (WCAG 1.4.11, graphical objects), white becomes the page background; hues are kept and
embedded raster images are left alone. Pure functions: no MkDocs, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from site_tools.engine.figures.palette import (
    BACKGROUND,
    MIN_CONTRAST,
    PALETTES,
    SLATE_INK,
    Palette,
    Role,
    contrast_ratio,
    is_white,
    normalise,
    relative_luminance,
    themed_colour,
)
from site_tools.engine.figures.size import length as _length
from site_tools.engine.figures.size import natural_size

__all__ = [
    "BACKGROUND",
    "MIN_CONTRAST",
    "PALETTES",
    "SLATE_INK",
    "Palette",
    "Role",
    "SvgThemeError",
    "colour_roles",
    "contrast_ratio",
    "natural_size",
    "palette_values",
    "relative_luminance",
    "render_inline_svg",
    "themed_colour",
]


SVG_NS = "http://www.w3.org/2000/svg"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_ID_RE = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
_URL_REF_RE = re.compile(r"url\(\s*#([^)\s]+)\s*\)")
_VAR_RE = re.compile(r"var\(--st-(ink|area|bg)(?:-([0-9a-f]{6}))?\)")
_RULE_RE = re.compile(r"\s*([^{}]+?)\s*\{([^{}]*)\}")
_COLOUR_PROPS = ("fill", "stroke")


class SvgThemeError(ValueError):
    """The SVG cannot be themed; the message names the figure and what is wrong."""


# --- what a colour does in a matplotlib SVG ----------------------------------------------


def _local(tag: object) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


_TEXT_GROUP = re.compile(r"(?:^|-)text_\d+$")
_MARK_GROUP = re.compile(r"(?:^|-)(?:line2d|PathCollection)_\d+$")


def _walk(root: etree._Element) -> Iterator[tuple[etree._Element, bool, bool]]:
    """Each element in document order, with whether it sits in a text group and in a group of
    line markers or scatter points (matplotlib names its groups ``text_3``, ``line2d_7``...)."""
    stack = [(root, False, False)]
    while stack:
        el, in_text, in_marks = stack.pop()
        ident = el.get("id", "")
        in_text = in_text or _local(el.tag) in {"text", "tspan"} or bool(_TEXT_GROUP.search(ident))
        in_marks = in_marks or bool(_MARK_GROUP.search(ident))
        yield el, in_text, in_marks
        stack.extend((c, in_text, in_marks) for c in reversed(el) if isinstance(c.tag, str))


def classify(prop: str, colour: str, *, in_text: bool, in_marks: bool) -> Role:
    """The role a ``fill``/``stroke`` colour plays, from where it sits (see :func:`_walk`)."""
    if prop == "fill" and in_text:
        return "text"
    if is_white(colour):
        return "background"
    if prop == "stroke":
        return "line"
    return "marker" if in_marks else "area"


def _variable(role: Role, colour: str) -> str:
    if role == "background":
        return "--st-bg"
    kind = "area" if role == "area" else "ink"
    return f"--st-{kind}-{normalise(colour)[1:]}"


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
    length = _length(root.get(axis), root.get("viewBox"), axis)
    if length is None:
        raise SvgThemeError(f"figure {figure_id}: <svg> has neither a {axis} nor a viewBox")
    return length


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
                # SVG 2 href, but xlink:href on <use>: Material's instant navigation assigns
                # `el.href = el.href` to every `[href]` element, which throws on SVGUseElement
                # (a read-only SVGAnimatedString) and stops its page swaps for the session.
                el.set(XLINK_HREF if _local(el.tag) == "use" else "href", target)
            elif "url(" in value:
                fixed = _URL_REF_RE.sub(lambda m, a=attr: f"url(#{ref(m.group(1), a)})", value)
                el.set(attr, fixed)


def _theme_colours(root: etree._Element, figure_id: str) -> dict[str, tuple[str, Role]]:
    """Replace colours by variables; return variable -> (original colour, role)."""
    variables: dict[str, tuple[str, Role]] = {}
    for el, in_text, in_marks in _walk(root):
        if _local(el.tag) in {"style", "title", "metadata"}:
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
                    colour = normalise(value)
                except ValueError:
                    raise SvgThemeError(
                        f"figure {figure_id}: <{_local(el.tag)} id={el.get('id')!r}> "
                        f"{name}: {value!r} is not a #rrggbb colour"
                    ) from None
                role = classify(name, colour, in_text=in_text, in_marks=in_marks)
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
    for el, in_text, in_marks in _walk(root):
        for name, value in _parse_style(el.get("style", "")):
            match = _VAR_RE.fullmatch(value)
            if name in _COLOUR_PROPS and match:
                variable = value[4:-1]
                kind = match.group(1)
                role: Role = (
                    "background" if kind == "bg" else "area" if kind == "area"
                    else classify(name, "#000000", in_text=in_text, in_marks=in_marks)
                )
                pairs.add((values[variable], role))
    return sorted(pairs)
