"""ReLU, sigmoid and tanh beside the derivatives autograd computes for them.

Checks that autograd's derivatives equal the textbook formulas and that ReLU's derivative is 0 or 1.
"""

from __future__ import annotations

import figstyle
import publish
import torch

torch.manual_seed(0)

x = torch.linspace(-5, 5, 401, requires_grad=True)
activations = {"ReLU": torch.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh}
analytic = {
    "ReLU": lambda v: (v > 0).float(),
    "sigmoid": lambda v: torch.sigmoid(v) * (1 - torch.sigmoid(v)),
    "tanh": lambda v: 1 - torch.tanh(v) ** 2,
}

fig, (ax_f, ax_d) = figstyle.new_figure(ncols=2)
for name, f in activations.items():
    y = f(x)
    # Summing makes a scalar whose gradient is f'(x) at every point: backprop, one layer deep.
    (grad,) = torch.autograd.grad(y.sum(), x)
    expected = analytic[name](x.detach())
    err = (grad - expected).abs().max().item()
    assert err < 1e-6, f"{name}: autograd differs from the analytic derivative by {err:.2e}"
    ax_f.plot(x.detach(), y.detach(), label=name)
    ax_d.plot(x.detach(), grad, label=f"{name}'")
    publish.value(f"{name.lower()}_peak_slope", grad.max().item())
    print(f"{name:8s} max slope {grad.max().item():.3f}, slope at x=±5: {grad[0].item():.4f}")

relu_grad = torch.autograd.grad(torch.relu(x).sum(), x)[0]
assert set(relu_grad.unique().tolist()) <= {0.0, 1.0}, "ReLU's derivative must be 0 or 1"
sigmoid_peak = torch.autograd.grad(torch.sigmoid(x).sum(), x)[0].max().item()
assert abs(sigmoid_peak - 0.25) < 1e-3, f"sigmoid's slope peaks at 1/4, got {sigmoid_peak:.4f}"
tanh_peak = torch.autograd.grad(torch.tanh(x).sum(), x)[0].max().item()
assert abs(tanh_peak - 1) < 1e-3, f"tanh's slope peaks at 1, got {tanh_peak:.4f}"

figstyle.label(ax_f, "Activation functions", "input x", "output f(x)")
figstyle.label(ax_d, "Their derivatives (autograd)", "input x", "slope f'(x)")
ax_f.set_ylim(-1.3, 3)  # ReLU grows without bound; the interesting part is near zero
for ax in (ax_f, ax_d):
    ax.legend()
figstyle.check(fig)
print("autograd matches the formulas; ReLU' ∈ {0, 1}; sigmoid' ≤ 1/4, which is why it vanishes")
