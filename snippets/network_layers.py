"""The input, hidden and output layers of an `nn.Sequential`, drawn by walking the module itself.

Checks the drawing against the module, reading both back: the layer sizes found by walking the
modules are the sizes a forward pass really has; the figure holds one circle per neuron and one line
per weight, each line blue exactly where its weight is positive and thicker where the weight is
larger; and the labels under the layers say the sizes and activations the alt text cites.
"""

from __future__ import annotations

import figstyle
import numpy as np
import publish
import torch
from matplotlib import colors as mpl_colors
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
# The sizes the walk found must be the sizes data really has on its way through the network.
seen = [sizes[0]]
h = torch.zeros(1, sizes[0])
for module in model:
    h = module(h)
    if isinstance(module, nn.Linear):
        seen.append(h.shape[1])
assert seen == sizes, f"the walk found layers {sizes}, a forward pass has {seen}"

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



def phone(fig):
    """On a phone's column (site_tools draws each figure again for it), each layer's label is short:
    "Hidden 1" over "6 · ReLU", so that four of them fit side by side."""
    (diagram,) = fig.axes
    for text in diagram.texts:
        name, detail = text.get_text().split("\n")
        text.set_text(name.replace(" layer", "") + "\n" + detail.replace(" neurons", ""))
    bottom, top = diagram.get_ylim()
    diagram.set_ylim(bottom - 1.5, top)  # room for the labels' two lines at a phone's height
    fig.set_size_inches(fig.get_figwidth(), fig.get_figwidth() * 1.05)


# Read the picture back from the figure, not from the lists it was drawn from.
(lines,) = ax.collections
drawn = lines.get_segments()
weights = np.concatenate([m.weight.detach().numpy().ravel() for m in linears])
assert len(drawn) == weights.size == n_weights, f"{len(drawn)} lines drawn for {n_weights} weights"
blue = np.all(np.isclose(lines.get_colors()[:, :3], mpl_colors.to_rgb(figstyle.BLUE)), axis=1)
assert (blue == (weights > 0)).all(), "a line's colour does not match its weight's sign"
order = np.argsort(np.abs(weights))
assert np.all(np.diff(np.asarray(lines.get_linewidths())[order]) >= 0), "a larger weight has a thinner line"
circles = sum(len(line.get_xdata()) for line in ax.get_lines() if line.get_marker() == "o")
assert circles == sum(sizes), f"{circles} circles drawn for {sum(sizes)} neurons"
labels = [t.get_text().split("\n")[1] for t in ax.texts]
# Each layer's activation is the module right after the Linear that produces it (none for the input).
after = [type(model[i + 1]).__name__ if i + 1 < len(model) else "" for i, m in enumerate(model)]
acts = [""] + [after[i] for i, m in enumerate(model) if isinstance(m, nn.Linear)]
expected = [f"{n} neurons" + (f" · {a}" if a else "") for n, a in zip(sizes, acts, strict=True)]
assert labels == expected, f"layer labels {labels} do not describe the module ({expected})"
publish.value("layers", " → ".join(map(str, sizes)))
publish.value("weights", n_weights)
publish.value("parameters", n_params)
for column, size in enumerate(sizes):
    publish.value(f"neurons_{column}", size)
print(f"layers {' → '.join(map(str, sizes))}: {n_weights} weights + "
      f"{n_params - n_weights} biases = {n_params} parameters")
