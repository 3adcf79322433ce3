"""Size budgets: one figure's drawings (wide and phone) and one page's HTML with its figures' drawings,
with advice when they are exceeded.

Defaults, from the real site (December 2026): its largest figure is 164 KiB (the backprop-on-moons
scatter) and its largest page 941 KiB (the notebook tutorial, three figures inline). The defaults
are about three times those, so every figure and page of the site stays under half of them, while
the 38.9 MB figure of a 200k-point scatter is stopped at once. A page of 3 MiB takes about 15 s on
a slow mobile connection (1.6 Mbit/s); past that, readers leave.
"""

from __future__ import annotations

from site_tools.engine.sizes import human

FIGURE_BUDGET_KB = 512
PAGE_BUDGET_KB = 3072

_ADVICE = (
    "plot fewer points (subsample, bin or aggregate: hexbin, hist2d), rasterise the heavy artist "
    "(`rasterized=True` on a scatter, mesh or image: it becomes one embedded picture), or draw a "
    "smaller figure"
)


def figure_problem(where: str, name: str, figure_id: str, size: int, budget_kb: int) -> str | None:
    """Why one figure is too large for its page, or None."""
    if not budget_kb or size <= budget_kb * 1024:
        return None
    return (
        f"{where}: {name}: figure #{figure_id} is {human(size)} of SVG (its drawings), over the figure "
        f"budget of {budget_kb} KiB (`figure_budget_kb`): {_ADVICE}"
    )


def page_problem(page: str, size: int, budget_kb: int) -> str | None:
    """Why one page is too large, or None."""
    if not budget_kb or size <= budget_kb * 1024:
        return None
    return (
        f"{page}: the page is {human(size)} of HTML and figures, over the page budget of {budget_kb} KiB "
        f"(`page_budget_kb`): make its largest figures lighter ({_ADVICE}), or split the page"
    )
