"""Gradient norm per layer in a deep sigmoid network and in the same network with ReLU.

Checks the vanishing-gradient claim as the caption words it: the first sigmoid layer's gradient is
at least 10x smaller than the first ReLU layer's, while at the last layer the two are comparable;
with sigmoid the gradient shrinks by "about 4x" per layer (3x to 5x), with ReLU it stays within 10x.
"""

from __future__ import annotations

import figstyle
import numpy as np
import publish
import torch
from deep_stack import deep_net, layer_grad_norms
from torch import nn

torch.manual_seed(0)
rng = np.random.default_rng(0)

DEPTH, WIDTH = 12, 32
x = torch.tensor(rng.normal(size=(256, WIDTH)), dtype=torch.float32)
y = torch.tensor(rng.normal(size=(256, 1)), dtype=torch.float32)


norms = {}
for name, activation in (("sigmoid", nn.Sigmoid), ("ReLU", nn.ReLU)):
    torch.manual_seed(0)  # same initial weights for both networks
    norms[name] = layer_grad_norms(deep_net(activation, DEPTH, WIDTH), x, y)

ratio_first = norms["ReLU"][0] / norms["sigmoid"][0]
ratio_last = norms["ReLU"][-1] / norms["sigmoid"][-1]
assert ratio_first >= 10, f"first-layer gradient only {ratio_first:.1f}x smaller with sigmoid"
assert ratio_last < ratio_first / 10, "the gap should open up towards the input, layer by layer"
per_layer = (norms["sigmoid"][-1] / norms["sigmoid"][0]) ** (1 / (DEPTH - 1))
assert 3 <= per_layer <= 5, f"sigmoid gradients should shrink about 4x per layer, got {per_layer:.2f}x"
relu_spread = max(norms["ReLU"]) / min(norms["ReLU"])
assert relu_spread < 10, f"ReLU gradients should stay within 10x, spread {relu_spread:.1f}x"
publish.value("sigmoid_shrink", per_layer)
publish.value("relu_spread", relu_spread)
publish.value("sigmoid_first", norms["sigmoid"][0])
publish.value("sigmoid_last", norms["sigmoid"][-1])
publish.value("relu_min", min(norms["ReLU"]))
publish.value("relu_max", max(norms["ReLU"]))

fig, (ax,) = figstyle.new_figure()
layers = np.arange(1, DEPTH + 1)
for name, values in norms.items():
    ax.semilogy(layers, values, marker="o", label=f"{name} network")
figstyle.label(
    ax,
    f"Gradient reaching each layer of a {DEPTH}-layer network",
    "hidden layer (1 = next to the input)",
    "‖∂loss/∂W‖ (log scale)",
)
ax.set_xticks(layers)
ax.legend()
figstyle.check(fig)
print(f"layer 1 gradient: sigmoid {norms['sigmoid'][0]:.2e}, ReLU {norms['ReLU'][0]:.2e}")
print(f"sigmoid: the gradient shrinks {per_layer:.1f}x per layer; ReLU: within {relu_spread:.1f}x")
