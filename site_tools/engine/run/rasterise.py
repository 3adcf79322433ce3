"""Heavy figures fit by themselves: a figure over the figure budget is saved again with its dense
artists drawn as pixels inside the SVG. Runs in the worker, right after the figure is saved.

Dense artists are collections of many points or vertices (a scatter, a line collection, filled
contours, a mesh) and images. They become one embedded PNG per run of consecutive artists, drawn at
``RASTER_DPI`` (twice the CSS pixels of the figure at its natural size, so still sharp on a 2x
screen), and the PNG is stored with a palette of at most 256 colours (a filled contour of 20 levels
plus a scatter needs far fewer; it makes the picture about five times smaller). Text, axes, ticks,
lines and legends stay vectors, so the page's theming still recolours them for the light and the
dark palette; the pixels keep their own colours over a transparent background, through which the
themed figure background shows.

The budget is on the themed figure the page holds (``engine/figures/svgtheme.py``), so that is what
is measured here; the build's own check (``render/budgets.py``) then fails only a figure that is
still over it. Since the result depends on the budget, the budget is part of every snippet's key
(``engine/store/key.py``).
"""

from __future__ import annotations

import base64
import io
import re
import warnings
from pathlib import Path

from site_tools.engine.sizes import human

RASTER_DPI = 192  # matplotlib draws 72 units per inch, a browser 96 CSS px per inch: 2x is 192
DENSE = 1000  # points plus path vertices from which an artist is drawn as pixels
# Measured as if on a page, under an id of a typical length (the page's id prefixes every id inside).
_MEASURE_ID = "fig-snippets-figure-py-1"
_PNG_URI = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=\s]+)")


def fit_figure(figure, path: Path, budget_kb: int, label: str) -> str | None:
    """Save ``figure`` (already saved at ``path``) again with its dense artists as pixels when its
    themed SVG is over ``budget_kb``; the notice that says so, with the sizes, or None."""
    if not budget_kb:
        return None
    budget = budget_kb * 1024
    svg = path.read_text(encoding="utf-8")
    if len(svg.encode()) * 2 <= budget:  # theming never doubles a figure: no need to measure
        return None
    before = themed_size(svg)
    artists = dense_artists(figure)
    if before <= budget or not artists:
        return None  # under budget, or nothing to draw as pixels: the build's check has advice
    for artist in artists:
        artist.set_rasterized(True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the first save reported them already
        figure.savefig(path, format="svg", dpi=RASTER_DPI, metadata={"Date": None})
    svg = compact_rasters(path.read_text(encoding="utf-8"))
    path.write_text(svg, encoding="utf-8")
    after = themed_size(svg)
    kinds = " and ".join(sorted({_kind(artist) for artist in artists}))
    outcome = "now fits" if after <= budget else "is still over it"
    return (
        f"{label} was {human(before)} of inline SVG, over the figure budget of {budget_kb} KiB "
        f"(`figure_budget_kb`): it was saved again with its {kinds} drawn as pixels at "
        f"{RASTER_DPI} dpi (text and axes stay vectors) and {outcome} at {human(after)}"
    )


def dense_artists(figure) -> list:
    """The figure's images and its collections of at least ``DENSE`` points and vertices."""
    from matplotlib.collections import Collection
    from matplotlib.image import AxesImage
    from matplotlib.legend import Legend

    legends = {id(a) for legend in figure.findobj(Legend) for a in legend.findobj()}
    found = []
    for artist in figure.findobj(lambda a: isinstance(a, Collection | AxesImage)):
        if id(artist) in legends or artist.get_rasterized() or not artist.get_visible():
            continue
        if isinstance(artist, AxesImage) or _weight(artist) >= DENSE:
            found.append(artist)
    return found


def _weight(collection) -> int:
    points = len(collection.get_offsets())
    vertices = sum(len(path.vertices) for path in collection.get_paths())
    return points + vertices


def _kind(artist) -> str:
    name = type(artist).__name__
    if "Contour" in name:
        return "filled contours" if getattr(artist, "filled", False) else "contour lines"
    return {
        "PathCollection": "scatter points",
        "QuadMesh": "meshes",
        "PolyQuadMesh": "meshes",
        "AxesImage": "images",
        "LineCollection": "line collections",
        "PolyCollection": "filled areas",
    }.get(name, "dense collections")


def compact_rasters(svg: str) -> str:
    """Each embedded PNG stored with a palette of at most 256 colours (and its transparency)."""
    from PIL import Image

    def smaller(match: re.Match) -> str:
        data = base64.b64decode("".join(match.group(1).split()))
        image = Image.open(io.BytesIO(data)).convert("RGBA")
        quantised = image.quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
        out = io.BytesIO()
        quantised.save(out, format="PNG", optimize=True)
        best = min(data, out.getvalue(), key=len)
        return "data:image/png;base64," + base64.b64encode(best).decode("ascii")

    return _PNG_URI.sub(smaller, svg)


def themed_size(svg: str) -> int:
    """Bytes of ``svg`` as the page's inline figure."""
    from site_tools.engine.figures.svgtheme import render_inline_svg  # lxml: only for a heavy figure

    return len(render_inline_svg(svg, figure_id=_MEASURE_ID, alt="figure").encode())
