"""A small CNN learns to tell horizontal from vertical stripes: its filters and feature maps.

Checks that it classifies unseen noisy images (>= 95 %) and that its filters specialise: one
filter fires far more on horizontal stripes, another far more on vertical ones.
"""

from __future__ import annotations

import figstyle
import numpy as np
import torch
from torch import nn
from training import fit

torch.manual_seed(0)
rng = np.random.default_rng(0)
SIZE = 16


def stripes(n: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Noisy sinusoidal stripes of random frequency and phase; label 0 horizontal, 1 vertical."""
    label = rng.integers(0, 2, n)
    freq = rng.uniform(0.12, 0.3, (n, 1, 1))
    phase = rng.uniform(0, 2 * np.pi, (n, 1, 1))
    rows, cols = np.mgrid[0:SIZE, 0:SIZE]
    coord = np.where(label[:, None, None] == 0, rows, cols)
    image = np.sin(2 * np.pi * freq * coord + phase) + rng.normal(scale=0.6, size=(n, SIZE, SIZE))
    return torch.tensor(image[:, None], dtype=torch.float32), torch.from_numpy(label)


x_train, y_train = stripes(400)
x_test, y_test = stripes(200)

conv = nn.Conv2d(1, 4, kernel_size=5, padding=2)
model = nn.Sequential(conv, nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, 2))
fit(model, lambda: nn.functional.cross_entropy(model(x_train), y_train), steps=150, lr=0.03)

with torch.no_grad():
    accuracy = (model(x_test).argmax(1) == y_test).float().mean().item()
    maps = torch.relu(conv(x_test))  # feature maps: what each filter finds, pixel by pixel
    response = torch.stack([maps[y_test == k].mean(dim=(0, 2, 3)) for k in (0, 1)])
selectivity = (response[0] + 1e-6) / (response[1] + 1e-6)  # per filter: horizontal / vertical
assert accuracy >= 0.95, f"test accuracy only {accuracy:.1%}"
assert selectivity.max() > 2, f"no filter prefers horizontal stripes: {selectivity.tolist()}"
assert selectivity.min() < 0.5, f"no filter prefers vertical stripes: {selectivity.tolist()}"

filters = conv.weight.detach()[:, 0]
fig_f, axes_f = figstyle.new_figure(ncols=4, height=2.3, sharey=True)
limit = filters.abs().max().item()
for k, ax in enumerate(axes_f):
    image = ax.imshow(filters[k].numpy(), cmap=figstyle.DIVERGING, vmin=-limit, vmax=limit)
    prefers = "horizontal" if selectivity[k] > 1 else "vertical"
    figstyle.image_axes(ax)
    figstyle.label(ax, f"filter {k + 1}\n{prefers}", "5 px", "5 px" if k == 0 else "")
fig_f.colorbar(image, ax=axes_f, label="weight", shrink=0.8)
figstyle.check(fig_f)

examples = [int((y_test == k).nonzero()[0]) for k in (0, 1)]
fig_m, axes_m = figstyle.new_figure(ncols=5, nrows=2, height=3.6, sharex=True, sharey=True)
for row, index in enumerate(examples):
    kind = "horizontal" if row == 0 else "vertical"
    ax = axes_m[row * 5]
    ax.imshow(x_test[index, 0].numpy(), cmap="gray")
    figstyle.label(figstyle.image_axes(ax), f"{kind} input", "16 px" if row else "", "16 px")
    for k in range(4):
        ax = axes_m[row * 5 + 1 + k]
        ax.imshow(maps[index, k].numpy(), vmin=0, vmax=maps[examples].max().item())
        figstyle.label(figstyle.image_axes(ax), f"map {k + 1}", "16 px" if row else "", "")
figstyle.check(fig_m)
print(f"test accuracy {accuracy:.1%}; filter selectivity (horizontal/vertical response): "
      + ", ".join(f"{s:.2f}" for s in selectivity.tolist()))
