"""A neural network and its training: a small MLP adjusts its weights and biases until it tells
three interleaved spiral arms apart.

Checks what the figures say: the loss falls to near 0 (below 0.05, at least 10x), >= 95 % of the
points end up in the right class, training really moved the weights (on average by >= 30 % of
their initial size) and the first layer's weights end up spread wider (standard deviation >= 1.5x).
"""

from __future__ import annotations

import figstyle
import numpy as np
import publish
import torch
from torch import nn

torch.manual_seed(0)
rng = np.random.default_rng(0)
CLASSES, PER_CLASS = 3, 100


def spirals() -> tuple[np.ndarray, np.ndarray]:
    """CLASSES spiral arms around the origin, each a class, with a little angular noise."""
    radius = np.tile(np.linspace(0.1, 1, PER_CLASS), CLASSES)
    labels = np.repeat(np.arange(CLASSES), PER_CLASS)
    angle = labels * 2 * np.pi / CLASSES + 4 * radius + rng.normal(scale=0.12, size=radius.size)
    points = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    return points.astype(np.float32), labels


points, labels = spirals()
x, y = torch.from_numpy(points), torch.from_numpy(labels)
model = nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 3))
initial = [p.detach().clone() for p in model.parameters()]
optimiser = torch.optim.Adam(model.parameters(), lr=0.01)
losses, accuracies = [], []
for _ in range(300):
    logits = model(x)
    loss = nn.functional.cross_entropy(logits, y)
    optimiser.zero_grad()
    loss.backward()  # how each weight and bias should change to lower the loss
    optimiser.step()  # ... and the change itself
    losses.append(loss.item())
    accuracies.append((logits.argmax(1) == y).float().mean().item())

moved = [(p.detach() - p0).abs().mean() / p0.abs().mean() for p, p0 in
         zip(model.parameters(), initial, strict=True)]
relative_change = float(torch.stack(moved).mean())
assert losses[-1] < losses[0] / 10, f"loss fell only {losses[0] / losses[-1]:.1f}x"
assert accuracies[-1] >= 0.95, f"final accuracy only {accuracies[-1]:.1%}"
assert relative_change >= 0.3, f"weights moved by only {relative_change:.0%} on average"
assert losses[-1] < 0.05, f"final loss {losses[-1]:.3f} is not near 0"
spread = (model[0].weight.detach().std() / initial[0].std()).item()
assert spread >= 1.5, f"first-layer weights spread only {spread:.2f}x wider"
publish.value("first_loss", losses[0])
publish.value("final_loss", losses[-1])
publish.value("accuracy", accuracies[-1])
publish.value("spread", spread)


def predict(grid: np.ndarray) -> np.ndarray:
    with torch.no_grad():
        return model(torch.from_numpy(grid)).argmax(1).numpy()


fig, (ax_r, ax_t) = figstyle.new_figure(ncols=2)
figstyle.decision_regions(ax_r, predict, points, labels, margin=0.15, resolution=90)
ax_r.set_aspect("equal")
figstyle.label(ax_r, "What it learned: three classes", "x₁", "x₂")
ax_t.plot(losses, label="loss (cross-entropy)")
ax_t.plot(accuracies, label="accuracy")
figstyle.label(ax_t, "Training: 300 full-batch steps", "step", "loss; accuracy (fraction)")
ax_t.legend()
figstyle.check(fig)

fig_w, (ax_w,) = figstyle.new_figure(height=2.8)
first = model[0].weight.detach().ravel()
bins = np.linspace(-2.5, 2.5, 41)
ax_w.hist(initial[0].ravel(), bins=bins, alpha=0.6, label="before training")
ax_w.hist(first, bins=bins, alpha=0.6, label="after training")
figstyle.label(ax_w, "Weights of the first layer, adjusted by training", "weight", "count")
ax_w.legend()
figstyle.check(fig_w)
print(f"loss {losses[0]:.2f} → {losses[-1]:.1e}; accuracy {accuracies[-1]:.1%}; "
      f"weights moved {relative_change:.0%} of their initial size on average")
