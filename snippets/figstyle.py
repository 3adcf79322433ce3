"""The one figure style of the site, so that every computed figure looks like it belongs to it.

Snippets call `apply()` once, draw with `new_figure()`, and end with `check(fig)`, which fails
the snippet when an axes lacks its title or axis labels (the site promises titled, labelled axes).
Dark mode is not handled here: the site's engine recolours the SVG for the dark palette.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure

# Mid-tone colours: readable on white and still distinct after the engine's dark-mode recolouring.
BLUE, ORANGE, GREEN, MAGENTA, PURPLE, TEAL, GOLD, GREY = (
    "#3b6fb6",
    "#d9622b",
    "#3a9a5b",
    "#b8436e",
    "#7a5cc0",
    "#2f9c9c",
    "#c29a1f",
    "#7f7f7f",
)
COLORS = [BLUE, ORANGE, GREEN, MAGENTA, PURPLE, TEAL, GOLD, GREY]
TEXT = "#222222"  # near-black: the engine maps it to light text in dark mode
SEQUENTIAL = "viridis"
DIVERGING = "RdBu_r"

WIDTH, HEIGHT = 7.0, 3.6  # inches: fits the content column at 100 % without rescaling fonts

RC = {
    "figure.figsize": (WIDTH, HEIGHT),
    "figure.dpi": 100,
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "savefig.transparent": False,
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.fontsize": 9,
    "legend.frameon": False,
    "text.color": TEXT,
    "axes.labelcolor": TEXT,
    "axes.edgecolor": "#444444",
    "xtick.color": TEXT,
    "ytick.color": TEXT,
    "axes.prop_cycle": cycler(color=COLORS),
    "axes.grid": True,
    "grid.color": "#d0d0d0",
    "grid.linewidth": 0.6,
    "grid.alpha": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "lines.linewidth": 1.8,
    "lines.markersize": 4,
    "image.cmap": SEQUENTIAL,
    "image.interpolation": "nearest",
    "svg.fonttype": "none",  # text stays text: smaller SVG, searchable, recolourable
    "svg.hashsalt": "computed-figures",  # stable element ids, so unchanged figures give equal SVG
}


def apply() -> None:
    """Set the site's rcParams; idempotent, so every snippet may call it."""
    mpl.rcParams.update(RC)


def new_figure(
    ncols: int = 1, nrows: int = 1, *, height: float = HEIGHT, **kwargs: object
) -> tuple[Figure, list[Axes]]:
    """A figure of the site's width with its axes as a flat list (one entry per panel)."""
    apply()
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(WIDTH, height), layout="constrained", squeeze=False, **kwargs
    )
    return fig, list(axes.flat)


def new_mosaic(
    layout: list[list[str]], *, height: float = HEIGHT, **kwargs: object
) -> tuple[Figure, dict[str, Axes]]:
    """A figure of the site's width with panels of unequal size, named as in `layout`."""
    apply()
    fig, axes = plt.subplot_mosaic(layout, figsize=(WIDTH, height), layout="constrained", **kwargs)
    return fig, axes


def label(ax: Axes, title: str, xlabel: str, ylabel: str) -> Axes:
    """Title and axis labels in one call, since every axes needs all three."""
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    return ax


def image_axes(ax: Axes) -> Axes:
    """An axes for a picture: no grid, no tick clutter (the labels still say what the axes are)."""
    ax.grid(False)
    ax.set_xticks([])
    ax.set_yticks([])
    return ax


def decision_regions(
    ax: Axes,
    predict: Callable[[np.ndarray], np.ndarray],
    points: np.ndarray,
    labels: np.ndarray,
    *,
    resolution: int = 60,
    margin: float = 0.5,
) -> None:
    """Shade the class `predict` gives each cell of a modest grid, then the labelled points on top.

    `predict` maps an (n, 2) float32 array to n class indices. The grid is drawn with contourf at
    `resolution`² cells at most, which keeps the SVG small however fine the boundary; keep the
    points to a few hundred per panel, as each costs about 100 bytes.
    """
    lo, hi = points.min(axis=0) - margin, points.max(axis=0) + margin
    axes = [np.linspace(lo[d], hi[d], resolution) for d in (0, 1)]
    xx, yy = np.meshgrid(*axes)
    grid = np.column_stack([xx.ravel(), yy.ravel()]).astype(np.float32)
    classes = int(max(labels.max(), 1)) + 1
    cmap = ListedColormap(COLORS[:classes])
    zz = np.asarray(predict(grid)).reshape(xx.shape)
    ax.contourf(xx, yy, zz, levels=np.arange(classes + 1) - 0.5, cmap=cmap, alpha=0.25)
    for k in range(classes):  # one marker definition per class: ~100 bytes of SVG per point
        mine = points[labels == k]
        ax.plot(mine[:, 0], mine[:, 1], "o", color=COLORS[k], ms=3, mec="white", mew=0.3)
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.grid(False)


def check(fig: Figure) -> None:
    """Fail unless every axes has a title and axis labels, and a legend if it has several lines."""
    for i, ax in enumerate(fig.axes):
        if ax.get_label() == "<colorbar>" or not ax.get_visible():
            continue
        # A panel sharing an axis with a labelled neighbour needs no label of its own.
        xlabel = " ".join(a.get_xlabel() for a in ax.get_shared_x_axes().get_siblings(ax))
        ylabel = " ".join(a.get_ylabel() for a in ax.get_shared_y_axes().get_siblings(ax))
        texts = {"title": ax.get_title(), "x label": xlabel, "y label": ylabel}
        missing = [name for name, text in texts.items() if not text.strip()]
        assert not missing, f"axes {i} of figure {fig.number} lacks: {', '.join(missing)}"
        labelled = [ln for ln in ax.get_lines() if not ln.get_label().startswith("_")]
        if len(labelled) > 1:
            has_legend = ax.get_legend() is not None or bool(fig.legends)
            assert has_legend, f"axes {i} ({ax.get_title()!r}) has several lines but no legend"


def svg_bytes(fig: Figure) -> int:
    """Size of the figure as SVG, to keep pages light (target: < 150 kB per figure)."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg")
    return len(buffer.getvalue().encode())
