"""Colours of Material's two palettes: WCAG contrast, and where a figure colour moves in each.

Figures are drawn once for white paper; :func:`themed_colour` says what each of their colours
becomes in the light (``default``) and dark (``slate``) palettes so that ink keeps 4.5:1 and filled
areas 3:1 (WCAG 1.4.11, graphical objects) against the figure's background, hue unchanged.
"""

from __future__ import annotations

import colorsys
import re
from functools import lru_cache
from typing import Literal

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

_HEX_RE = re.compile(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\Z")
_NEUTRAL_CHROMA = 0.05  # max-min of RGB channels below which a colour counts as grey


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


@lru_cache(maxsize=1024)
def normalise(colour: str) -> str:
    """``#RGB``/``#RRGGBB`` in any case as ``#rrggbb``, so equal colours share one variable."""
    return _hex(_rgb(colour))


@lru_cache(maxsize=1024)
def is_white(colour: str) -> bool:
    """White, or so close that it is paper: it becomes the page background in either palette."""
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
