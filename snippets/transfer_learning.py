"""Research in miniature, transfer learning: features learned on a data-rich task A let a new
task B be learned from a handful of examples.

Both tasks see the same 60 raw numbers per example (a hidden 2-D position mixed with 40 nuisance
dimensions). Checks that a new head on the frozen task-A features beats the same network trained
from scratch at every training-set size (the pretrained line runs above), by >= 8 points of
accuracy from 40 examples up.
"""

from __future__ import annotations

import copy

import figstyle
import numpy as np
import publish
import torch
from torch import nn
from training import fit

torch.manual_seed(0)
rng = np.random.default_rng(0)
SIGNAL, NUISANCE = 20, 40
SIZES, REPEATS = (10, 20, 40, 80, 160), 3

# The world: a hidden position z in a square, seen only through a fixed nonlinear "sensor" whose
# readings are mixed (by a random rotation) with as many dimensions of irrelevant noise.
w1, b1 = rng.normal(size=(2, 32)) * 2, rng.uniform(-2, 2, 32)
w2 = rng.normal(size=(32, SIGNAL)) / np.sqrt(32)
mixing, _ = np.linalg.qr(rng.normal(size=(SIGNAL + NUISANCE, SIGNAL + NUISANCE)))


def observe(z: np.ndarray) -> torch.Tensor:
    signal = np.tanh(np.tanh(z @ w1 + b1) @ w2)
    nuisance = rng.normal(scale=0.5, size=(len(z), NUISANCE))
    return torch.tensor(np.hstack([signal, nuisance]) @ mixing, dtype=torch.float32)


def positions(n: int) -> np.ndarray:
    return rng.uniform(-1, 1, (n, 2))


def task_a(z: np.ndarray) -> torch.Tensor:
    """Which of 4 x 4 grid cells holds z (16 classes)."""
    cell = np.clip(((z + 1) * 2).astype(int), 0, 3)
    return torch.from_numpy(cell[:, 0] * 4 + cell[:, 1])


def task_b(z: np.ndarray) -> torch.Tensor:
    """Is z inside a circle (a question task A never asked)?"""
    return torch.from_numpy((np.hypot(z[:, 0] - 0.2, z[:, 1] + 0.1) < 0.6).astype(int))


def trunk() -> nn.Sequential:
    """The feature extractor both approaches share: 60 raw numbers → 64 features."""
    return nn.Sequential(nn.Linear(SIGNAL + NUISANCE, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU())


# Pretraining on task A, where data is plentiful.
z_a = positions(2000)
x_a, y_a = observe(z_a), task_a(z_a)
pretrained = trunk()
net_a = nn.Sequential(pretrained, nn.Linear(64, 16))
fit(net_a, lambda: nn.functional.cross_entropy(net_a(x_a), y_a), steps=300, lr=0.01)
for parameter in pretrained.parameters():
    parameter.requires_grad_(False)  # transfer: keep the features, learn only a new head

z_test = positions(2000)
x_test, y_test = observe(z_test), task_b(z_test)


def accuracy_on_b(body: nn.Module, n: int) -> float:
    """Train body + a new head on n examples of task B; accuracy on 2,000 new ones."""
    z = positions(n)
    x, y = observe(z), task_b(z)
    net = nn.Sequential(body, nn.Linear(64, 2))
    fit(net, lambda: nn.functional.cross_entropy(net(x), y), steps=150, lr=0.01)
    with torch.no_grad():
        return (net(x_test).argmax(1) == y_test).float().mean().item()


results = {"pretrained on task A": [], "from scratch": []}
for n in SIZES:
    results["pretrained on task A"].append(
        [accuracy_on_b(copy.deepcopy(pretrained), n) for _ in range(REPEATS)])
    results["from scratch"].append([accuracy_on_b(trunk(), n) for _ in range(REPEATS)])
mean = {name: np.mean(runs, axis=1) for name, runs in results.items()}
gain = mean["pretrained on task A"] - mean["from scratch"]
for n, g in zip(SIZES, gain, strict=True):
    assert g > 0, f"with {n} examples the pretrained line is not above: {g:+.1%}"
    if n >= 40:
        assert g >= 0.08, f"with {n} examples transfer gains only {g:+.1%}"
for key, name in (("pretrained", "pretrained on task A"), ("scratch", "from scratch")):
    publish.value(f"{key}_first", mean[name][0])
    publish.value(f"{key}_last", mean[name][-1])

fig, (ax_t, ax_c) = figstyle.new_figure(ncols=2, width_ratios=[1, 1.4])
z_show = z_test[:250]
inside = task_b(z_show).numpy() == 1
ax_t.plot(*z_show[~inside].T, "o", ms=3, color=figstyle.GREY, label="B: outside")
ax_t.plot(*z_show[inside].T, "o", ms=3, color=figstyle.MAGENTA, label="B: inside")
for edge in (-0.5, 0, 0.5):
    ax_t.axvline(edge, color=figstyle.BLUE, lw=1)
    ax_t.axhline(edge, color=figstyle.BLUE, lw=1)
ax_t.set_aspect("equal")
ax_t.grid(False)
figstyle.label(ax_t, "A: 16 cells; B: the circle", "hidden z₁", "hidden z₂")
ax_t.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncols=2)
for name, runs in results.items():
    ax_c.plot(SIZES, mean[name], marker="o", label=name)
    ax_c.fill_between(SIZES, np.min(runs, axis=1), np.max(runs, axis=1), alpha=0.2)
ax_c.set_xscale("log")
ax_c.set_xticks(SIZES, [str(n) for n in SIZES])
ax_c.minorticks_off()
figstyle.label(ax_c, "Task B with few examples", "training examples of task B",
               "test accuracy on B")
ax_c.legend(loc="lower right")
figstyle.check(fig)
print("test accuracy on B, pretrained vs scratch: " + "; ".join(
    f"n={n}: {p:.0%} vs {s:.0%}" for n, p, s in
    zip(SIZES, mean["pretrained on task A"], mean["from scratch"], strict=True)))
