"""Opening the black box a little: a saliency map (the gradient of the decision with respect to
each input pixel) shows where a small CNN looks.

Checks that the CNN tells a "+" from an "x" hidden among noise and distractor blobs (>= 90 % on new
images), that on average >= 40 % of its saliency falls on the 5x5 pixels around the symbol
(6 % of the image), and that in each of the four shown examples most of it does (>= 50 %).
"""

from __future__ import annotations

import figstyle
import numpy as np
import publish
import torch
from matplotlib.patches import Rectangle
from torch import nn
from training import fit

torch.manual_seed(0)
rng = np.random.default_rng(0)
SIZE = 20
PLUS = np.array([[0, 1, 0], [1, 1, 1], [0, 1, 0]], dtype=np.float32)
CROSS = np.array([[1, 0, 1], [0, 1, 0], [1, 0, 1]], dtype=np.float32)


def scenes(n: int) -> tuple[torch.Tensor, torch.Tensor, np.ndarray]:
    """Noise, three blurry distractor blobs and one small symbol; label 0 for "+", 1 for "x"."""
    rows, cols = np.mgrid[0:SIZE, 0:SIZE]
    images = rng.normal(scale=0.25, size=(n, SIZE, SIZE)).astype(np.float32)
    labels = rng.integers(0, 2, n)
    corners = rng.integers(1, SIZE - 4, (n, 2))  # top-left of the 3x3 symbol, 1 px from the edge
    for k in range(n):
        for cy, cx in rng.uniform(0, SIZE, (3, 2)):
            images[k] += 0.8 * np.exp(-((rows - cy) ** 2 + (cols - cx) ** 2) / 6)
        r, c = corners[k]
        images[k, r : r + 3, c : c + 3] += PLUS if labels[k] == 0 else CROSS
    return torch.from_numpy(images[:, None]), torch.from_numpy(labels), corners


x_train, y_train, _ = scenes(400)
x_test, y_test, corners = scenes(200)
model = nn.Sequential(
    nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(),
    nn.Conv2d(8, 8, 3, padding=1), nn.ReLU(),
    nn.AdaptiveMaxPool2d(1), nn.Flatten(), nn.Linear(8, 2),
)
fit(model, lambda: nn.functional.cross_entropy(model(x_train), y_train), steps=50, lr=0.01)

# Saliency: how much would the score of the true class change if one pixel changed a little?
inputs = x_test.clone().requires_grad_(True)
logits = model(inputs)
logits.gather(1, y_test[:, None]).sum().backward()
saliency = inputs.grad.abs()[:, 0].numpy()
accuracy = (logits.argmax(1) == y_test).float().mean().item()

inside = np.zeros_like(saliency, dtype=bool)
for k, (r, c) in enumerate(corners):
    inside[k, r - 1 : r + 4, c - 1 : c + 4] = True  # the symbol plus a 1-pixel margin
share = (saliency * inside).sum((1, 2)) / saliency.sum((1, 2))
assert accuracy >= 0.9, f"test accuracy only {accuracy:.1%}"
assert share.mean() >= 0.4, f"only {share.mean():.0%} of the saliency is on the symbol"
assert share[:4].min() >= 0.5, f"a shown map is not bright mostly inside the box: {share[:4]}"
publish.value("accuracy", accuracy)
publish.value("mean_share", share.mean())
publish.value("shown_share_min", share[:4].min())
publish.value("shown_share_max", share[:4].max())
publish.value("symbol_area", inside[0].mean())

fig, axes = figstyle.new_figure(ncols=4, nrows=2, height=3.9, sharex=True, sharey=True)
for column, k in enumerate(range(4)):
    symbol = "+" if y_test[k] == 0 else "x"
    top, bottom = axes[column], axes[4 + column]
    top.imshow(x_test[k, 0].numpy(), cmap="gray")
    bottom.imshow(saliency[k], cmap="magma")
    for ax in (top, bottom):
        figstyle.image_axes(ax)
        r, c = corners[k]
        ax.add_patch(Rectangle((c - 1.5, r - 1.5), 5, 5, fill=False, ec=figstyle.GOLD, lw=1.2))
    figstyle.label(top, f"input: a hidden {symbol!r}", "", "image" if column == 0 else "")
    figstyle.label(bottom, f"{share[k]:.0%} on the symbol", "20 px",
                   "saliency" if column == 0 else "")
figstyle.check(fig)
print(f"test accuracy {accuracy:.1%}; on average {share.mean():.0%} of the saliency lies on the "
      f"symbol's {inside[0].mean():.0%} of the image")
