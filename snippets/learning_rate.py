"""One network trained with five learning rates: too small crawls, too large diverges.

A reader scrubs the learning rate (the embed's `vary:` grid; `vary.params` reads the chosen one).
The same small MLP, from the same initial weights, learns two interleaved moons with plain SGD for
200 full-batch steps. Checks, in every variant, what the post says: only the largest rates diverge
(the loss ends above where it started), and the smallest ones hardly move or crawl.
"""

from __future__ import annotations

import math

import figstyle
import numpy as np
import publish
import torch
import vary
from torch import nn

p = vary.params(lr=0.1)
STEPS = 200
rng = np.random.default_rng(0)
n = 200
angle = rng.uniform(0, math.pi, n)
upper = rng.random(n) < 0.5
points = np.where(
    upper[:, None],
    np.c_[np.cos(angle), np.sin(angle)],
    np.c_[1 - np.cos(angle), 0.5 - np.sin(angle)],
) + rng.normal(scale=0.1, size=(n, 2))
x = torch.tensor(points, dtype=torch.float32)
y = torch.tensor(upper, dtype=torch.long)

torch.manual_seed(0)  # the same initial weights for every learning rate
net = nn.Sequential(nn.Linear(2, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh(), nn.Linear(32, 2))
optimiser = torch.optim.SGD(net.parameters(), lr=p.lr)
losses = []
for _ in range(STEPS):
    optimiser.zero_grad()
    loss = nn.functional.cross_entropy(net(x), y)
    losses.append(loss.item())
    if not math.isfinite(losses[-1]):
        break
    loss.backward()
    optimiser.step()
finite = [value for value in losses if math.isfinite(value)]
final = finite[-1]
with torch.no_grad():
    accuracy = (net(x).argmax(1) == y).float().mean().item() if math.isfinite(final) else 0.5
ratio = final / losses[0]
if not math.isfinite(losses[-1]) or ratio > 1:
    verdict = "diverges"
elif ratio > 0.8:
    verdict = "hardly moves"
elif ratio > 0.45:
    verdict = "crawls"
else:
    verdict = "converges"
assert (verdict == "diverges") == (p.lr >= 5), f"lr {p.lr}: the training {verdict}"
assert verdict not in ("hardly moves", "crawls") or p.lr <= 0.01, f"lr {p.lr} should learn"
publish.value("lr", p.lr)
publish.value("final_loss", final)
publish.value("accuracy", accuracy)
publish.value("verdict", verdict)

fig, (ax,) = figstyle.new_figure(height=3.2)
ax.semilogy(range(1, len(finite) + 1), finite, color=figstyle.BLUE)
ax.axhline(losses[0], color=figstyle.GREY, linestyle="--", linewidth=1)
ax.set_xlim(0, STEPS)
ax.set_ylim(1e-3, 1e2)
figstyle.label(ax, f"Learning rate {p.lr:g}: the training {verdict}", "SGD step", "loss (log scale)")
figstyle.check(fig)
print(f"lr {p.lr:g}: loss {losses[0]:.3f} -> {final:.3g}, accuracy {accuracy:.0%} ({verdict})")
