"""A CNN for images beside an RNN for sequences: a small CNN names shapes in tiny noisy pictures,
and a GRU continues a sine wave it has only seen the start of.

Checks that the CNN names >= 95 % of new pictures correctly and that the GRU's 30-step
continuation stays close to the true wave (mean squared error < 0.05, >= 10x better than
repeating the last value).
"""

from __future__ import annotations

import figstyle
import numpy as np
import torch
from torch import nn
from training import fit

torch.manual_seed(0)
rng = np.random.default_rng(0)
SIZE, SHAPES = 14, ("ring", "square", "cross")


def pictures(n: int) -> tuple[torch.Tensor, torch.Tensor]:
    """One outlined shape per picture, of random size and place, in Gaussian noise."""
    rows, cols = np.mgrid[0:SIZE, 0:SIZE]
    labels = rng.integers(0, len(SHAPES), n)
    images = rng.normal(scale=0.25, size=(n, SIZE, SIZE))
    for k in range(n):
        half = rng.uniform(3, 4.5)
        cy, cx = rng.uniform(half + 0.5, SIZE - half - 1.5, 2)
        dy, dx = rows - cy, cols - cx
        if labels[k] == 0:
            shape = np.abs(np.hypot(dy, dx) - half) < 0.7
        elif labels[k] == 1:
            shape = np.abs(np.maximum(np.abs(dy), np.abs(dx)) - half) < 0.6
        else:
            shape = (np.minimum(np.abs(dy), np.abs(dx)) < 0.6) & (np.maximum(abs(dy), abs(dx)) < half)
        images[k] += shape
    return torch.tensor(images[:, None], dtype=torch.float32), torch.from_numpy(labels)


x_img, y_img = pictures(450)
x_img_test, y_img_test = pictures(150)
cnn = nn.Sequential(
    nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(8, 8, 3, padding=1), nn.ReLU(), nn.AdaptiveMaxPool2d(1),
    nn.Flatten(), nn.Linear(8, len(SHAPES)),
)
fit(cnn, lambda: nn.functional.cross_entropy(cnn(x_img), y_img), steps=80, lr=0.01)
with torch.no_grad():
    predicted = cnn(x_img_test).argmax(1)
cnn_accuracy = (predicted == y_img_test).float().mean().item()
assert cnn_accuracy >= 0.95, f"CNN test accuracy only {cnn_accuracy:.1%}"

# The sequence: sine waves of random frequency and phase. The GRU reads the first SEEN steps and
# its final state is turned into the next STEPS - SEEN values in one go.
STEPS, SEEN = 60, 30


def waves(n: int) -> torch.Tensor:
    t = np.arange(STEPS)
    freq, phase = rng.uniform(0.15, 0.35, (n, 1)), rng.uniform(0, 2 * np.pi, (n, 1))
    return torch.tensor(np.sin(freq * t + phase)[..., None], dtype=torch.float32)


class Forecaster(nn.Module):
    """A GRU summarises the sequence so far in its hidden state; a linear layer reads the future."""

    def __init__(self, hidden: int = 32) -> None:
        super().__init__()
        self.gru = nn.GRU(1, hidden, batch_first=True)
        self.out = nn.Linear(hidden, STEPS - SEEN)

    def forward(self, seen: torch.Tensor) -> torch.Tensor:
        _, state = self.gru(seen)
        return self.out(state[0])


train = waves(256)
rnn = Forecaster()


def forecast_loss() -> torch.Tensor:
    """Fresh measurement noise on what the GRU sees, every step: it must not memorise."""
    noisy = train[:, :SEEN] + 0.03 * torch.randn(train.shape[0], SEEN, 1)
    return nn.functional.mse_loss(rnn(noisy), train[:, SEEN:, 0])


fit(rnn, forecast_loss, steps=200, lr=0.01)

test = waves(64)
truth = test[:, SEEN:, 0]
with torch.no_grad():
    continuation = rnn(test[:, :SEEN])
rnn_mse = nn.functional.mse_loss(continuation, truth).item()
naive_mse = nn.functional.mse_loss(test[:, SEEN - 1].expand_as(truth), truth).item()
assert rnn_mse < 0.05, f"GRU continuation MSE {rnn_mse:.3f}"
assert rnn_mse * 10 < naive_mse, f"GRU {rnn_mse:.3f} vs repeating the last value {naive_mse:.3f}"

fig, panel = figstyle.new_mosaic([["a", "b", "seq", "seq"], ["c", "d", "seq", "seq"]], height=3.8)
pics = [panel[name] for name in "abcd"]
for k, ax in enumerate(pics):
    ax.sharex(pics[0])
    ax.sharey(pics[0])
    ax.imshow(x_img_test[k, 0].numpy(), cmap="gray")
    figstyle.image_axes(ax)
    verdict = "✓" if predicted[k] == y_img_test[k] else "✗"
    figstyle.label(ax, f"CNN: {SHAPES[predicted[k]]} {verdict}", "14 px" if k >= 2 else "",
                   "14 px" if k % 2 == 0 else "")
ax_seq = panel["seq"]
t = np.arange(STEPS)
ax_seq.plot(t[:SEEN], test[0, :SEEN, 0], label="seen by the GRU")
ax_seq.plot(t[SEEN:], truth[0], color=figstyle.GREY, lw=3, alpha=0.5, label="true future")
ax_seq.plot(t[SEEN:], continuation[0], "--", label="GRU continues")
ax_seq.axvline(SEEN - 0.5, color=figstyle.GREY, lw=0.8)
ax_seq.set_ylim(-1.5, 1.9)
figstyle.label(ax_seq, "RNN (GRU): continuing a wave", "time step", "value")
ax_seq.legend(loc="upper left", ncols=2)
figstyle.check(fig)


def phone(fig):
    """On a phone's column (site_tools draws each figure again for it): the four pictures in two
    rows of two, the GRU's wave under them at the full width."""
    grid = fig.add_gridspec(3, 2, height_ratios=[1, 1, 1.3])
    for k, ax in enumerate(pics):
        ax.set_subplotspec(grid[k // 2, k % 2])
    ax_seq.set_subplotspec(grid[2, :])
    fig.set_size_inches(fig.get_figwidth(), fig.get_figwidth() * 1.9)


print(f"CNN: {cnn_accuracy:.1%} of {len(y_img_test)} new pictures named correctly")
print(f"GRU: {STEPS - SEEN}-step continuation MSE {rnn_mse:.4f} (repeating the last value: {naive_mse:.3f})")
