"""Backpropagation training a small MLP on two interleaved half-moons, and the boundary it forms.

Checks what the figures say: the accuracy at the four snapshots rises, from no better than chance
(<= 60 %) to >= 97 %, and the loss falls at least 100x.
"""

from __future__ import annotations

import figstyle
import numpy as np
import publish
import torch
from torch import nn

torch.manual_seed(0)
rng = np.random.default_rng(0)


def two_moons(n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles, class 0 on top and class 1 below, with Gaussian noise."""
    angle = rng.uniform(0, np.pi, n)
    label = rng.integers(0, 2, n)
    x = np.where(label == 0, np.cos(angle), 1 - np.cos(angle))
    y = np.where(label == 0, np.sin(angle), 0.5 - np.sin(angle))
    points = np.column_stack([x, y]) + rng.normal(scale=noise, size=(n, 2))
    return points.astype(np.float32), label


points, labels = two_moons(150, noise=0.12)
x, y = torch.from_numpy(points), torch.from_numpy(labels).float()

model = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 1))
optimiser = torch.optim.Adam(model.parameters(), lr=0.02)
loss_fn = nn.BCEWithLogitsLoss()


def predict(grid: np.ndarray) -> np.ndarray:
    """Class 1 where the network's logit is positive."""
    with torch.no_grad():
        return (model(torch.from_numpy(grid)).squeeze(1) > 0).numpy().astype(int)


SNAPSHOTS = (0, 15, 60, 400)
fig_boundary, panels = figstyle.new_figure(ncols=len(SNAPSHOTS), height=2.6, sharey=True)
losses, accuracies = [], []
for epoch in range(SNAPSHOTS[-1] + 1):
    logits = model(x).squeeze(1)
    loss = loss_fn(logits, y)
    accuracies.append(((logits > 0).float() == y).float().mean().item())
    losses.append(loss.item())
    if epoch in SNAPSHOTS:
        ax = panels[SNAPSHOTS.index(epoch)]
        figstyle.decision_regions(ax, predict, points, labels)
        title = f"epoch {epoch}: {accuracies[-1]:.0%} right"
        figstyle.label(ax, title, "x₁", "x₂" if epoch == 0 else "")
    optimiser.zero_grad()
    loss.backward()  # backpropagation: the gradient of the loss for every weight and bias
    optimiser.step()

snapshots = [accuracies[e] for e in SNAPSHOTS]
assert losses[-1] < losses[0] / 100, f"loss fell only {losses[0] / losses[-1]:.1f}x"
assert accuracies[0] <= 0.6, f"the untrained net is already {accuracies[0]:.0%} right"
assert snapshots == sorted(snapshots), f"accuracy should rise from snapshot to snapshot: {snapshots}"
assert accuracies[-1] >= 0.97, f"final accuracy only {accuracies[-1]:.1%}"
for epoch, accuracy in zip(SNAPSHOTS, snapshots, strict=True):
    publish.value(f"accuracy_{epoch}", accuracy)
publish.value("first_loss", losses[0])
publish.value("final_loss", losses[-1])
figstyle.check(fig_boundary)

fig_loss, (ax_loss,) = figstyle.new_figure(height=3.0)
ax_loss.semilogy(losses, label="training loss")
ax_loss.plot(list(SNAPSHOTS), [losses[e] for e in SNAPSHOTS], "o", label="snapshots above")
figstyle.label(ax_loss, "Loss during backpropagation", "epoch (full batch)", "cross-entropy (log)")
ax_loss.legend()
figstyle.check(fig_loss)
print(f"loss {losses[0]:.3f} → {losses[-1]:.4f} ({losses[0] / losses[-1]:.0f}x lower)")
print(f"accuracy {accuracies[0]:.0%} → {accuracies[-1]:.1%} after {SNAPSHOTS[-1]} epochs")
