"""How far the learning rate the reader picks moves the weights: every weight and bias of the
learning-rate figure's network, how much its 200 steps changed it (linked to the other figures).

Checks what the post says: the change grows with the learning rate, from a few percent of the
weights' initial size at 0.001 to many times their size at 10.
"""

from __future__ import annotations

import figstyle
import numpy as np
import publish
import torch
import vary
from moons_training import train

p = vary.params(lr=0.1)
run = train(p.lr)
change = torch.cat(
    [(w.detach() - w0).abs().ravel() for w, w0 in zip(run.net.parameters(), run.initial, strict=True)]
)
size = torch.cat([w0.abs().ravel() for w0 in run.initial]).mean()
moved = float(change.mean() / size)
median = float(change.median())
assert (moved < 0.1) == (p.lr <= 0.001) and (moved > 5) == (p.lr >= 10), f"lr {p.lr}: moved {moved:.0%}"
publish.value("lr", p.lr)
publish.value("moved", moved)
publish.value("median_change", median)
publish.value("moved_words", f"{moved:.0%} of" if moved < 1.5 else f"{moved:.0f} times")

fig, (ax,) = figstyle.new_figure(height=3.0)
bins = np.logspace(-6, 3, 46)
ax.hist(np.clip(change.numpy(), bins[0], bins[-1]), bins=bins, color=figstyle.ORANGE)
ax.axvline(float(size), color=figstyle.GREY, linestyle="--", linewidth=1)
ax.set_xscale("log")
figstyle.label(
    ax,
    f"Learning rate {p.lr:g}: the weights moved {moved:.2g}x their size on average",
    "how far a weight moved in 200 steps (log scale; dashed: a typical initial weight)",
    "weights and biases",
)
figstyle.check(fig)
print(f"lr {p.lr:g}: the weights moved {moved:.0%} of their initial size on average, median {median:.2g}")
