"""Where a build's time went: one bar per snippet for its recorded run time, as inline SVG.

Written by hand from the recorded run times (no plotting library in the build process). Each row is
a label line and a bar whose width is a percentage of the chart's width, so the SVG fills any column
(390 px or 1280 px) while its text keeps its size. Colours come from the theme (``currentColor`` and
Material's variables, through the classes), so the chart follows the light and dark palettes.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

ROW = 30  # px per snippet: a 12 px label line, the bar, a gap
BAR = 9


@dataclass(frozen=True)
class Timing:
    label: str  # the snippet, as the report names it
    seconds: float  # its recorded run time
    cached: bool  # ran in an earlier build (this one read the result)


def runtime_chart_svg(timings: list[Timing]) -> str:
    """A horizontal bar chart, longest run first; '' when nothing has a run time."""
    shown = sorted((t for t in timings if t.seconds > 0), key=lambda t: (-t.seconds, t.label))
    if not shown:
        return ""
    longest = shown[0].seconds
    total = sum(t.seconds for t in shown)
    rows = []
    for index, timing in enumerate(shown):
        top = index * ROW
        width = max(timing.seconds / longest * 100, 0.5)
        kind = "st-bar st-bar-cached" if timing.cached else "st-bar"
        note = " · cached" if timing.cached else ""
        text = f"{timing.label} · {timing.seconds:.2f} s{note}"
        rows.append(
            f'<text x="0" y="{top + 12}">{html.escape(text)}</text>'
            f'<rect class="{kind}" x="0" y="{top + 16}" width="{width:.1f}%" height="{BAR}" rx="2">'
            f"<title>{html.escape(text)}</title></rect>"
        )
    height = len(shown) * ROW
    label = f"Run time per snippet, longest first; {total:.1f} s in all"
    return (
        f'<svg class="st-runtime-chart" role="img" aria-label="{html.escape(label)}" width="100%"'
        f' height="{height}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{html.escape(label)}</title>{''.join(rows)}</svg>"
    )
