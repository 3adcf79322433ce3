"""A figure's phone drawing, from the same run: the worker still holds the figure when the snippet
ends, so after saving it for a desktop column it lays it out again for a phone's and saves it again.

The page shows the drawing that fits the reader's screen. A wide drawing shrunk into a phone's column
draws its text at 6 to 8 CSS px; the phone drawing is ``PHONE_WIDTH_PX`` wide, which fits the column
of a 390 px screen at its natural size, so its text is as large as its font size says (9 pt is 12 px).

The layout, in order (all of it matplotlib's own):
- side-by-side panels (one row of subplots) are stacked in one column, and a grid wider than high
  (two rows of four pictures) is transposed;
- the figure becomes ``PHONE_WIDTH_PX`` wide, each stacked panel about 0.7 of that high;
- no text under ``PHONE_MIN_PT`` (11.3 CSS px), titles and labels broken into lines that fit; tick
  labels follow the axis' own locator;
- a legend inside an axes moves below it, in as many columns as fit;
- constrained layout places it all (labels, titles, legends and colorbars inside the figure).
Then the snippet's own ``phone(fig)``, if it defines one, may change anything; returning ``False``
keeps only the wide drawing. A figure whose panels are pictures without axes (an ``imshow`` of
pixels) keeps one drawing: narrower, it would only be smaller.

The drawing is then checked with the renderer's own text extents: a label outside the figure or
over another, and the layout tries once more with fewer ticks; still wrong, or over the figure
budget after its dense artists became pixels (``rasterise.py``), and the figure keeps only its
wide drawing, with a notice that says why. Whatever happens is said in the figure's ``phone_note``
(the execution report lists it). The layout is keyed (``PHONE_LAYOUT``, ``engine/store/key.py``).
"""

from __future__ import annotations

import contextlib
import textwrap
import warnings
from dataclasses import dataclass
from pathlib import Path

from site_tools.engine.run.rasterise import RASTER_DPI, fit_figure
from site_tools.engine.run.snippet_warnings import MISSING_GLYPH

PHONE_LAYOUT = 3  # bump when the layout below changes: every figure is drawn again
PHONE_WIDTH_PX = 340  # CSS px: a 390 px screen's content column is 358 px (Material's margins)
PHONE_MIN_PT = 8.5  # 11.3 CSS px at the drawing's natural size
_PANEL_RATIO = 0.7  # a phone panel's height to its width
_LEGEND_ROW_IN = 0.24  # height a legend row takes below its axes
_PX_PER_IN = 96


class PhoneHookError(Exception):
    """The snippet's ``phone(fig)`` raised: the run fails with its traceback (``__cause__``)."""


@dataclass(frozen=True)
class PhoneOutcome:
    made: bool
    note: str = ""  # why there is none (or what was done), for the report and the build log
    notice: bool = False  # the note also goes into the build log (a fallback the author should see)


def draw_phone(figure, path: Path, *, hook, budget_kb: int) -> PhoneOutcome:
    """Lay ``figure`` (its wide drawing already saved) out for a phone and save it at ``path``. What
    matplotlib warns meanwhile is not the snippet's news: its wide drawing told it already."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _draw_phone(figure, path, hook=hook, budget_kb=budget_kb)


def _draw_phone(figure, path: Path, *, hook, budget_kb: int) -> PhoneOutcome:
    if raster_by_nature(figure):
        return PhoneOutcome(
            False,
            "raster: its panels are pictures without axes, drawn as pixels; "
            "a narrower drawing would only be smaller",
        )
    try:
        lay_out(figure)
    except Exception as exc:  # a figure matplotlib cannot lay out again: the wide drawing stays
        return PhoneOutcome(False, f"no phone drawing, its layout failed: {exc!r}", notice=True)
    if hook is not None:
        try:
            wanted = hook(figure)
        except Exception as exc:
            raise PhoneHookError(str(exc)) from exc
        if wanted is False:
            return PhoneOutcome(False, "the snippet's phone(fig) keeps only the wide drawing")
    problems = _save_checked(figure, path)
    if problems:
        fewer_ticks(figure)
        problems = _save_checked(figure, path)
    if problems:
        path.unlink(missing_ok=True)
        return PhoneOutcome(
            False,
            "its phone drawing was not kept (the page shows the wide one): " + "; ".join(problems[:3]),
            notice=True,
        )
    over = fit_figure(figure, path, budget_kb, "its phone drawing")
    if over and "still over" in over:
        path.unlink(missing_ok=True)
        return PhoneOutcome(False, f"{over}: the page shows the wide drawing only", notice=True)
    return PhoneOutcome(True, over or "")


def raster_by_nature(figure) -> bool:
    """Every visible axes is a picture with its axis off (a grid of images, a photo)."""
    axes = [ax for ax in figure.axes if ax.get_visible()]
    return bool(axes) and all(ax.images and not ax.axison for ax in axes)


def lay_out(figure) -> None:
    """The default phone layout (see the module's docstring)."""
    rows, cols = _stack_panels(figure)
    _min_text(figure)
    _wrap_titles(figure)
    legend_rows = sum(_legend_below(ax) for ax in figure.axes)
    width = PHONE_WIDTH_PX / _PX_PER_IN
    height = rows * width / cols * (_PANEL_RATIO if cols == 1 else 1.0) + legend_rows * _LEGEND_ROW_IN
    if figure.get_suptitle():
        height += 0.3
    figure.set_size_inches(width, height)
    with contextlib.suppress(RuntimeError):  # a colorbar placed for another engine: keep that one
        figure.set_layout_engine("constrained")


def _stack_panels(figure) -> tuple[int, int]:
    """One row of subplots becomes one column, and a grid wider than high of single panels (two
    rows of four pictures) is transposed; the rows and columns of panels the figure then has."""
    from matplotlib.gridspec import GridSpec

    specs = [(ax, ax.get_subplotspec()) for ax in figure.axes if ax.get_subplotspec() is not None]
    grids = {id(spec.get_gridspec()): spec.get_gridspec() for _, spec in specs}
    if len(grids) != 1:
        return max(1, len(grids)), 1
    rows, cols = next(iter(grids.values())).get_geometry()
    single = all(len(spec.rowspan) == len(spec.colspan) == 1 for _, spec in specs)
    if rows == 1 and cols > 1:
        stacked = GridSpec(cols, 1, figure=figure)
        for ax, spec in specs:
            ax.set_subplotspec(stacked[spec.colspan.start : spec.colspan.stop, 0])
        return cols, 1
    if 1 < rows < cols and cols > 2 and single:
        transposed = GridSpec(cols, rows, figure=figure)
        for ax, spec in specs:
            ax.set_subplotspec(transposed[spec.colspan.start, spec.rowspan.start])
            ax.tick_params(labelleft=True, labelbottom=True)  # what was inner may now be outer
        return cols, rows
    return rows, 1 if cols == 1 else cols


def _min_text(figure) -> None:
    from matplotlib.text import Text

    for ax in figure.axes:
        for axis in (ax.xaxis, ax.yaxis):
            labels = axis.get_ticklabels()
            size = labels[0].get_fontsize() if labels else PHONE_MIN_PT
            if size < PHONE_MIN_PT:
                ax.tick_params(axis="x" if axis is ax.xaxis else "y", labelsize=PHONE_MIN_PT)
    for text in figure.findobj(Text):
        if text.get_fontsize() < PHONE_MIN_PT:
            text.set_fontsize(PHONE_MIN_PT)


def _wrap_titles(figure) -> None:
    """Titles and axis labels broken into lines that fit the phone's width (constrained layout
    makes room for the lines a text has, not for those matplotlib's own wrapping adds)."""
    texts = [figure._suptitle] if figure._suptitle is not None else []
    for ax in figure.axes:
        texts += [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label]
    for text in texts:
        if "$" in text.get_text():
            continue  # mathtext: a line break inside it would not parse
        em = text.get_fontsize() * 4 / 3 * 0.58  # a character of DejaVu Sans, on average, in px
        fits = max(12, int(PHONE_WIDTH_PX * 0.9 / em))
        lines = [textwrap.fill(line, fits) for line in text.get_text().split("\n")]
        text.set_text("\n".join(lines))


def _legend_below(ax) -> int:
    """Move a legend drawn inside ``ax`` under its x axis; the rows it takes there (0: left alone)."""
    legend = ax.get_legend()
    if legend is None or not legend.get_visible() or legend.get_bbox_to_anchor() != ax.bbox:
        return 0  # none, hidden, or already placed by its author
    texts = [text.get_text() for text in legend.get_texts()]
    if not texts:
        return 0
    columns = 2 if max(len(text) for text in texts) <= 16 else 1
    rows = -(-len(texts) // columns)
    title = legend.get_title().get_text()
    ax.legend(
        handles=legend.legend_handles,
        labels=texts,
        title=title or None,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12 if ax.xaxis.get_label_text() or ax.get_xticklabels() else -0.02),
        ncols=columns,
        fontsize=max(PHONE_MIN_PT, legend.get_texts()[0].get_fontsize()),
        frameon=False,
    )
    _anchor_under_axis(ax)
    return rows + bool(title)


def _anchor_under_axis(ax) -> None:
    """Below the x axis' tick labels and label, whatever their height: measured in points, which
    the layout does not change (the axes' own height does)."""
    figure = ax.figure
    renderer = figure.canvas.get_renderer()
    axis_box = ax.xaxis.get_tightbbox(renderer)
    if axis_box is None:
        return
    below_pt = max(0.0, ax.bbox.y0 - axis_box.y0) * 72 / figure.dpi
    legend = ax.get_legend()
    legend.set_bbox_to_anchor((0.5, 0.0), transform=ax.transAxes)
    legend.borderaxespad = (below_pt + 4) / legend.prop.get_size_in_points()


def fewer_ticks(figure) -> None:
    """At most four major ticks on every axis that places its own (not one an author fixed)."""
    from matplotlib.ticker import AutoLocator, MaxNLocator

    for ax in figure.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if isinstance(axis.get_major_locator(), AutoLocator):
                axis.set_major_locator(MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10]))


def _save_checked(figure, path: Path) -> list[str]:
    """Save the phone drawing (text the font lacks stays text, as in the wide one: ``save_figure``)
    and say what is wrong with its text, by the extents the save itself drew it at (no second draw:
    one draw of a figure costs about a third of its phone drawing)."""
    import matplotlib

    # At the wide drawing's raster resolution: an artist the wide drawing had to draw as pixels
    # (rasterise.py) stays pixels here, and a phone's screen is the one that needs them sharp.
    options = {"format": "svg", "dpi": RASTER_DPI, "metadata": {"Date": None}}
    with warnings.catch_warnings(record=True) as caught, recorded_texts(figure) as drawn:
        warnings.simplefilter("always")  # recorded, not shown: the wide drawing reported them
        figure.savefig(path, **options)
    if any(MISSING_GLYPH.match(str(warning.message)) for warning in caught):
        with warnings.catch_warnings(), matplotlib.rc_context({"svg.fonttype": "none"}):
            warnings.simplefilter("ignore")
            with recorded_texts(figure) as drawn:
                figure.savefig(path, **options)
    return text_problems(figure, drawn)


def text_problems(figure, drawn: list | None = None) -> list[str]:
    """Labels the drawing clips (outside the figure) or draws over another, by the renderer's own
    text extents: the texts one draw of the figure draws (``drawn``, as ``recorded_texts`` keeps
    them; without it, a draw made now), where it draws them."""
    if drawn is None:
        with recorded_texts(figure) as now:
            figure.canvas.draw()
        drawn = now
    boxes = [(repr(text.get_text()), box) for text, box, _ in drawn]
    problems = []
    for (name, box), (_, _, page) in zip(boxes, drawn, strict=True):
        if box.x0 < page.x0 - 1 or box.y0 < page.y0 - 1 or box.x1 > page.x1 + 1 or box.y1 > page.y1 + 1:
            problems.append(f"{name} is cut off at the figure's edge")
    for n, (name, box) in enumerate(boxes):
        for other, other_box in boxes[n + 1 :]:
            overlap_x = min(box.x1, other_box.x1) - max(box.x0, other_box.x0)
            overlap_y = min(box.y1, other_box.y1) - max(box.y0, other_box.y0)
            if overlap_x > 1 and overlap_y > 1:
                problems.append(f"{name} overlaps {other}")
    return problems


@contextlib.contextmanager
def recorded_texts(figure):
    """While inside, each non-empty text a draw of ``figure`` draws is kept as (text, its extent,
    the figure's box), both in the units of that draw's renderer (a save to SVG draws in points). A
    save may draw a text twice (a layout pass, then the file): its last extent is kept."""
    from matplotlib.text import Text

    drawn: list = []
    last: dict[int, tuple] = {}
    original = Text.draw

    def recording(text, renderer):
        original(text, renderer)
        if text.get_visible() and text.get_text().strip():
            box = text.get_window_extent(renderer)
            last.pop(id(text), None)
            if box.width >= 1 and box.height >= 1:
                last[id(text)] = (text, box, figure.bbox.frozen())

    Text.draw = recording
    try:
        yield drawn
    finally:
        Text.draw = original
        drawn.extend(last.values())
