"""Depth against width at an equal parameter count, fitting a wiggly 1-D function, and the
hierarchy of features the deep network builds on the way.

Checks what the captions say: both networks have exactly the same number of parameters, the deep
one fits at least 5x better with the same training, and its units bend more at every layer.
"""

from __future__ import annotations

from itertools import pairwise

import figstyle
import numpy as np
import publish
import torch
from torch import nn
from training import fit

torch.manual_seed(0)
rng = np.random.default_rng(0)

x = torch.linspace(-1, 1, 256)[:, None]
target = torch.sin(3 * torch.pi * x) + 0.5 * torch.sin(9 * torch.pi * x)
y = target + torch.tensor(rng.normal(scale=0.05, size=x.shape), dtype=torch.float32)


def mlp(widths: list[int]) -> nn.Sequential:
    """1 → widths… → 1 with tanh between the layers."""
    layers: list[nn.Module] = []
    fan_in = 1
    for width in widths:
        layers += [nn.Linear(fan_in, width), nn.Tanh()]
        fan_in = width
    return nn.Sequential(*layers, nn.Linear(fan_in, 1))


networks = {"deep: 4 layers x 16": mlp([16] * 4), "shallow: 1 layer x 288": mlp([288])}
counts = {name: sum(p.numel() for p in net.parameters()) for name, net in networks.items()}
deep_n, shallow_n = counts.values()
assert deep_n == shallow_n, f"unequal parameter counts: {counts}"
publish.value("parameters", deep_n)

curves = {  # the same budget for both: 1,500 full-batch steps
    name: fit(net, lambda net=net: nn.functional.mse_loss(net(x), y), steps=1500, lr=0.01,
              cosine=True)
    for name, net in networks.items()
}

with torch.no_grad():
    fits = {name: net(x) for name, net in networks.items()}
errors = {name: nn.functional.mse_loss(out, target).item() for name, out in fits.items()}
deep_mse, shallow_mse = errors.values()
assert shallow_mse > 5 * deep_mse, f"deep only {shallow_mse / deep_mse:.1f}x better: {errors}"
publish.value("fit_ratio", shallow_mse / deep_mse)

# The hierarchy: read the hidden units of the deep net layer by layer.
deep = networks["deep: 4 layers x 16"]
units, h = [], x
with torch.no_grad():
    for module in deep:
        h = module(h)
        if isinstance(module, nn.Tanh):
            units.append(h)


def turning_points(curves_by_unit: torch.Tensor) -> float:
    """Mean number of times a unit's output changes direction as x sweeps from -1 to 1.

    Flat stretches (a saturated tanh) are skipped, so rounding noise there counts as no bend.
    """
    counts = []
    for curve in curves_by_unit.T:
        slope = torch.diff(curve)
        signs = torch.sign(slope[slope.abs() > 1e-4])
        counts.append(int((signs[1:] != signs[:-1]).sum()))
    return float(np.mean(counts))


bends = [turning_points(layer) for layer in units]
assert bends[0] == 0, "a first-layer tanh unit is monotone in x"
assert all(a < b for a, b in pairwise(bends)), f"units should bend more at every layer: {bends}"
assert bends[-1] >= 2, f"last-layer units should bend several times, got {bends[-1]:.1f}"
for depth, bend in enumerate(bends, start=1):
    publish.value(f"bends_{depth}", bend)

fig, (ax_fit, ax_loss) = figstyle.new_figure(ncols=2)
ax_fit.plot(x, target, color=figstyle.GREY, lw=3, alpha=0.6, label="target")
for name, out in fits.items():
    ax_fit.plot(x, out, label=f"{name.split(':')[0]}, MSE {errors[name]:.3f}")
figstyle.label(ax_fit, f"Fits with ≈{shallow_n} parameters each", "input x", "output y")
ax_fit.set_ylim(-2.1, 1.6)
ax_fit.legend(loc="lower center", ncols=3, handlelength=1.2, columnspacing=0.8)
for name, curve in curves.items():
    ax_loss.semilogy(curve, label=f"{name} ({counts[name]} params)")
figstyle.label(ax_loss, "Same training, different shape", "step (full batch)", "MSE (log)")
ax_loss.legend()
figstyle.check(fig)

fig_units, panels = figstyle.new_figure(ncols=len(units), height=2.6, sharey=True)
for depth, (ax, layer) in enumerate(zip(panels, units, strict=True), start=1):
    ax.plot(x, layer[:, :6], lw=1.4)  # six units of each layer
    figstyle.label(ax, f"layer {depth}: {bends[depth - 1]:.1f} turns", "input x",  # per unit
                   "unit output" if depth == 1 else "")
figstyle.check(fig_units)
print(f"{deep_n} vs {shallow_n} parameters; MSE deep {deep_mse:.4f}, shallow {shallow_mse:.4f} "
      f"({shallow_mse / deep_mse:.1f}x)")
print("mean turning points per unit, layer 1→4: " + ", ".join(f"{b:.1f}" for b in bends))
