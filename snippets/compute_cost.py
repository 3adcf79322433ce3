"""Why deep learning is computationally intensive: the arithmetic of one forward pass grows with
every layer added and with the square of the width.

Counts the floating-point operations of each Linear layer by hand (2 x inputs x outputs per
example), checks the count against PyTorch's own FLOP counter, and checks that it grows
monotonically with depth and about 4x per doubling of the width.
"""

from __future__ import annotations

from itertools import pairwise

import figstyle
import publish
import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

torch.manual_seed(0)
INPUTS, OUTPUTS, BATCH = 64, 10, 32
DEPTHS = [1, 2, 4, 8, 16]
WIDTHS = [64, 128, 256, 512, 1024]


def mlp(depth: int, width: int) -> nn.Sequential:
    """`depth` hidden layers of `width` neurons, built on the meta device: shapes without memory."""
    sizes = [INPUTS] + [width] * depth + [OUTPUTS]
    layers: list[nn.Module] = []
    for fan_in, fan_out in pairwise(sizes):
        layers += [nn.Linear(fan_in, fan_out, device="meta"), nn.ReLU()]
    return nn.Sequential(*layers[:-1])


def analytic_flops(net: nn.Sequential) -> int:
    """A Linear layer does one multiply and one add per weight and per example."""
    return sum(2 * BATCH * m.in_features * m.out_features for m in net if isinstance(m, nn.Linear))


def counted_flops(net: nn.Sequential) -> int:
    """PyTorch's FLOP counter, run on meta tensors: it sees every matmul, computes nothing."""
    with FlopCounterMode(display=False) as counter:
        net(torch.empty(BATCH, INPUTS, device="meta"))
    return counter.get_total_flops()


flops: dict[int, list[int]] = {}
for width in WIDTHS:
    flops[width] = []
    for depth in DEPTHS:
        net = mlp(depth, width)
        by_hand, by_torch = analytic_flops(net), counted_flops(net)
        assert by_hand == by_torch, f"depth {depth}, width {width}: {by_hand} ≠ {by_torch}"
        flops[width].append(by_hand // BATCH)  # per example

for width, row in flops.items():
    assert row == sorted(set(row)), f"width {width}: FLOPs must grow with depth: {row}"
for d, depth in enumerate(DEPTHS):
    column = [flops[w][d] for w in WIDTHS]
    assert column == sorted(set(column)), f"depth {depth}: FLOPs must grow with width"
doubling = flops[1024][-1] / flops[512][-1]
assert 3.5 < doubling <= 4, f"doubling a deep net's width should ~4x its FLOPs, got {doubling:.2f}"
publish.value("doubling", doubling)

fig, (ax_d, ax_w) = figstyle.new_figure(ncols=2)
for width in WIDTHS:
    ax_d.loglog(DEPTHS, flops[width], marker="o", label=f"width {width}")
for d, depth in enumerate(DEPTHS):
    ax_w.loglog(WIDTHS, [flops[w][d] for w in WIDTHS], marker="o", label=f"{depth} layer{'s' * (depth > 1)}")
figstyle.label(ax_d, "More layers, more work", "hidden layers", "FLOPs per example")
figstyle.label(ax_w, "Wider layers, quadratically more", "neurons per layer", "FLOPs per example")
for ax, ticks in ((ax_d, DEPTHS), (ax_w, WIDTHS)):
    ax.set_xticks(ticks, [str(t) for t in ticks])
    ax.minorticks_off()
    ax.legend(fontsize=8)
figstyle.check(fig)
print(f"hand count = torch.utils.flop_counter for all {len(WIDTHS) * len(DEPTHS)} networks")
print(f"16 layers x 1024: {flops[1024][-1] / 1e6:.1f} MFLOPs per example; doubling the width "
      f"costs {doubling:.2f}x")
