"""One network trained with five learning rates: too small crawls, too large diverges.

A reader scrubs the learning rate (the embed's `vary:` grid; `vary.params` reads the chosen one);
the post's decision-boundary and weight figures follow the same choice. The same small MLP, from the
same initial weights, learns two interleaved moons with plain SGD for 200 full-batch steps
(`moons_training.py`). Checks, in every variant, what the post says: only the largest rates diverge
(the loss ends above where it started), and the smallest ones hardly move or crawl.
"""

from __future__ import annotations

import figstyle
import publish
import vary
from moons_training import STEPS, train

p = vary.params(lr=0.1)
run = train(p.lr)
verdict, final = run.verdict, run.finite[-1]
assert (verdict == "diverges") == (p.lr >= 5), f"lr {p.lr}: the training {verdict}"
assert verdict not in ("hardly moves", "crawls") or p.lr <= 0.01, f"lr {p.lr} should learn"
publish.value("lr", p.lr)
publish.value("final_loss", final)
publish.value("accuracy", run.accuracy)
publish.value("verdict", verdict)

fig, (ax,) = figstyle.new_figure(height=3.2)
ax.semilogy(range(1, len(run.finite) + 1), run.finite, color=figstyle.BLUE)
ax.axhline(run.losses[0], color=figstyle.GREY, linestyle="--", linewidth=1)
ax.set_xlim(0, STEPS)
ax.set_ylim(1e-3, 1e2)
figstyle.label(ax, f"Learning rate {p.lr:g}: the training {verdict}", "SGD step", "loss (log scale)")
figstyle.check(fig)
print(f"lr {p.lr:g}: loss {run.losses[0]:.3f} -> {final:.3g}, accuracy {run.accuracy:.0%} ({verdict})")
