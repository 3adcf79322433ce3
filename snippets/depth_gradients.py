"""The gradient reaching each layer, as a reader scrubs the depth and the activation.

The embed's `vary:` grid picks the depth and the activation (`vary.params` reads them). One
backward pass of an MSE loss through a fresh network, initialised as its activation likes best
(Glorot for sigmoid, He for ReLU). Checks, in every variant, what the post says: with sigmoid the
gradient reaching the first layer shrinks as the network deepens (below a hundredth of the last
layer's from 8 layers on); with ReLU it stays within 10x of the last layer's at any depth.
"""

from __future__ import annotations

import figstyle
import numpy as np
import publish
import torch
import vary
from deep_stack import deep_net, layer_grad_norms
from torch import nn

p = vary.params(depth=8, activation="sigmoid")
WIDTH = 32
rng = np.random.default_rng(0)
x = torch.tensor(rng.normal(size=(256, WIDTH)), dtype=torch.float32)
y = torch.tensor(rng.normal(size=(256, 1)), dtype=torch.float32)
activation = {"sigmoid": nn.Sigmoid, "relu": nn.ReLU}[p.activation]

torch.manual_seed(0)
norms = layer_grad_norms(deep_net(activation, p.depth, WIDTH), x, y)

ratio = norms[0] / norms[-1]  # first layer's gradient against the last hidden layer's
if p.activation == "sigmoid" and p.depth >= 8:
    assert ratio < 1e-2, f"sigmoid, {p.depth} layers: the first layer gets {ratio:.1e} of the last's"
if p.activation == "relu":
    assert 0.1 < ratio < 10, f"ReLU, {p.depth} layers: the first layer gets {ratio:.1f}x the last's"
publish.value("depth", p.depth)
publish.value("activation", "ReLU" if p.activation == "relu" else "sigmoid")
publish.value("first_grad", norms[0])
publish.value("ratio", ratio)

fig, (ax,) = figstyle.new_figure(height=3.2)
colour = figstyle.BLUE if p.activation == "sigmoid" else figstyle.ORANGE
ax.bar(np.arange(1, p.depth + 1), norms, color=colour, width=0.7)
ax.set_yscale("log")
ax.set_ylim(1e-12, 10)
ax.set_xlim(0.3, 16.7)
ax.set_xticks([1, 2, 4, 8, 12, 16])
name = "ReLU" if p.activation == "relu" else "sigmoid"
figstyle.label(ax, f"{p.depth} {name} layers", "hidden layer (1 = next to the input)", "‖∂loss/∂W‖ (log)")
figstyle.check(fig)
print(f"{name}, {p.depth} layers: first layer {norms[0]:.2e}, last {norms[-1]:.2e} (ratio {ratio:.1e})")
