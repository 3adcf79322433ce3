"""Size budgets: one figure's drawings (wide and phone) and one page's HTML with its figures' drawings,
with advice when they are exceeded.

Defaults, from the real site (December 2026): its largest figure is 164 KiB (the backprop-on-moons
scatter) and its largest page 941 KiB (the notebook tutorial, three figures inline). The defaults
are about three times those, so every figure and page of the site stays under half of them, while
the 38.9 MB figure of a 200k-point scatter is stopped at once. A page of 3 MiB takes about 15 s on
a slow mobile connection (1.6 Mbit/s); past that, readers leave.
"""

from __future__ import annotations

from site_tools.engine.sizes import human, utf8_size

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


def page_html_problem(page: str, html: str, drawing_bytes: int, budget_kb: int) -> str | None:
    """``page_problem`` for a page's HTML and its drawings' bytes. The HTML is encoded to be measured
    only when it could reach the budget (a character takes at most 4 bytes): a build measures every
    page, and most of them are not ASCII (a dash, a formula), where measuring means encoding."""
    if not budget_kb:
        return None
    at_most = (len(html) if html.isascii() else 4 * len(html)) + drawing_bytes
    if at_most <= budget_kb * 1024:
        return None
    return page_problem(page, utf8_size(html) + drawing_bytes, budget_kb)
