"""The input, hidden and output layers of an `nn.Sequential`, drawn by walking the module itself.

Checks that the drawing has exactly the module's neurons and one line per weight, so the picture
cannot drift from the code.
"""

from __future__ import annotations

import figstyle
import numpy as np
import torch
from matplotlib.collections import LineCollection
from torch import nn

torch.manual_seed(0)

model = nn.Sequential(
    nn.Linear(3, 6),
    nn.ReLU(),
    nn.Linear(6, 5),
    nn.ReLU(),
    nn.Linear(5, 2),
)

# Walk the modules: every Linear maps one layer of neurons to the next; an activation after it
# belongs to the layer it feeds.
linears = [m for m in model if isinstance(m, nn.Linear)]
sizes = [linears[0].in_features] + [m.out_features for m in linears]
activation = ["" for _ in sizes]
layer = 0
for module in model:
    if isinstance(module, nn.Linear):
        layer += 1
    else:
        activation[layer] = type(module).__name__


def positions(size: int, column: int) -> np.ndarray:
    """Neuron centres of one layer: a centred column of `size` points."""
    ys = np.arange(size) - (size - 1) / 2
    return np.column_stack([np.full(size, float(column)), ys])


centres = [positions(size, column) for column, size in enumerate(sizes)]
segments, widths, colours = [], [], []
for column, linear in enumerate(linears):
    weight = linear.weight.detach().numpy()  # shape (out, in): one entry per connection
    for j, i in np.ndindex(weight.shape):
        segments.append([centres[column][i], centres[column + 1][j]])
        widths.append(0.4 + 3 * abs(weight[j, i]))
        colours.append(figstyle.BLUE if weight[j, i] > 0 else figstyle.ORANGE)

n_weights = sum(m.weight.numel() for m in linears)
n_params = sum(p.numel() for p in model.parameters())
assert len(segments) == n_weights, f"{len(segments)} lines drawn for {n_weights} weights"
assert [len(c) for c in centres] == sizes, "one circle per neuron"
assert sizes[0] == 3 and sizes[-1] == 2, f"layer sizes read from the module: {sizes}"

fig, (ax,) = figstyle.new_figure()
ax.add_collection(LineCollection(segments, linewidths=widths, colors=colours, alpha=0.6, zorder=1))
ax.plot([], [], color=figstyle.BLUE, label="positive weight")
ax.plot([], [], color=figstyle.ORANGE, label="negative weight")
for column, (size, points) in enumerate(zip(sizes, centres, strict=True)):
    ax.plot(points[:, 0], points[:, 1], "o", ms=14, color="white", mec=figstyle.TEXT, zorder=2)
    if column == 0:
        name = "Input layer"
    elif column == len(sizes) - 1:
        name = "Output layer"
    else:
        name = f"Hidden layer {column}"
    detail = f"{size} neurons" + (f" · {activation[column]}" if activation[column] else "")
    ax.text(column, -max(sizes) / 2 - 0.3, f"{name}\n{detail}", ha="center", va="top")
ax.set_xlim(-0.5, len(sizes) - 0.5)
ax.set_ylim(-max(sizes) / 2 - 1.5, max(sizes) / 2 + 0.3)
figstyle.image_axes(ax)
figstyle.label(
    ax, "nn.Sequential, drawn from its own modules", "data flows left → right", "neurons"
)
ax.legend(loc="upper right")
figstyle.check(fig)
print(f"layers {' → '.join(map(str, sizes))}: {n_weights} weights + "
      f"{n_params - n_weights} biases = {n_params} parameters")
