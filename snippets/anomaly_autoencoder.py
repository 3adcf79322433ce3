"""An application: an autoencoder trained only on normal sensor readings flags the abnormal ones,
because it cannot reconstruct what it has never seen.

Checks that reconstruction error separates anomalies from new normal windows (ROC AUC >= 0.97)
and that a threshold set on the training data (its largest error) catches >= 90 % of anomalies
with <= 5 % false alarms.
"""

from __future__ import annotations

import figstyle
import numpy as np
import publish
import torch
from torch import nn
from training import fit

torch.manual_seed(0)
rng = np.random.default_rng(0)
WINDOW = 48
t = np.arange(WINDOW)


def normal(n: int) -> np.ndarray:
    """A vibrating machine: two harmonics with drifting amplitude and phase, plus sensor noise."""
    amp = rng.uniform(0.7, 1.3, (n, 1))
    phase = rng.uniform(0, 2 * np.pi, (n, 1))
    signal = amp * np.sin(2 * np.pi * t / 16 + phase) + 0.4 * amp * np.sin(2 * np.pi * t / 8 + 2 * phase)
    return signal + rng.normal(scale=0.08, size=(n, WINDOW))


def anomalous(n: int) -> tuple[np.ndarray, list[str]]:
    """Normal windows with one fault each: a spike, a level shift or a high-frequency rattle."""
    windows, kinds = normal(n), []
    for k in range(n):
        start = rng.integers(8, WINDOW - 16)
        kind = ("spike", "shift", "rattle")[k % 3]
        if kind == "spike":
            windows[k, start] += rng.choice([-1, 1]) * rng.uniform(1.5, 2.5)
        elif kind == "shift":
            windows[k, start:] += rng.choice([-1, 1]) * rng.uniform(0.6, 1.0)
        else:
            windows[k, start : start + 12] += 0.5 * np.sin(np.pi * 0.9 * np.arange(12))
        kinds.append(kind)
    return windows, kinds


def tensor(a: np.ndarray) -> torch.Tensor:
    return torch.tensor(a, dtype=torch.float32)


x_train = tensor(normal(600))
x_normal, (bad, kinds) = tensor(normal(200)), anomalous(60)
x_bad = tensor(bad)

autoencoder = nn.Sequential(
    nn.Linear(WINDOW, 24), nn.Tanh(), nn.Linear(24, 4),  # encoder: 48 readings → 4 numbers
    nn.Tanh(), nn.Linear(4, 24), nn.Tanh(), nn.Linear(24, WINDOW),  # decoder: back to 48
)
losses = fit(autoencoder, lambda: nn.functional.mse_loss(autoencoder(x_train), x_train),
             steps=600, lr=0.01, cosine=True)


def error(x: torch.Tensor) -> np.ndarray:
    """Mean squared reconstruction error per window."""
    with torch.no_grad():
        return (autoencoder(x) - x).pow(2).mean(1).numpy()


threshold = error(x_train).max()  # no training window would have raised an alarm
err_normal, err_bad = error(x_normal), error(x_bad)
# ROC AUC as a rank statistic: the chance that a random anomaly scores above a random normal window.
auc = (err_bad[:, None] > err_normal[None, :]).mean()
caught, false_alarms = (err_bad > threshold).mean(), (err_normal > threshold).mean()
assert losses[-1] < losses[0] / 10, f"training loss fell only {losses[0] / losses[-1]:.1f}x"
assert auc >= 0.97, f"ROC AUC only {auc:.3f}"
assert caught >= 0.9, f"caught only {caught:.0%} of the anomalies"
assert false_alarms <= 0.05, f"{false_alarms:.0%} false alarms"
normal_high, anomaly_low = np.quantile(err_normal, 0.95), np.quantile(err_bad, 0.05)
assert normal_high < threshold, "most new normal windows should fall below the threshold"
assert anomaly_low > normal_high, "the bulk of the anomalies should lie above the normal windows"
publish.value("threshold", threshold)
publish.value("normal_high", normal_high)
publish.value("anomaly_low", anomaly_low)
publish.value("auc", auc)
publish.value("caught", caught)
publish.value("false_alarms", false_alarms)

with torch.no_grad():
    rebuilt_normal, rebuilt_bad = autoencoder(x_normal[:1])[0], autoencoder(x_bad[:1])[0]
fig, (ax_n, ax_b) = figstyle.new_figure(ncols=2, sharey=True)
window_errors = []
for ax, x, rebuilt, what in ((ax_n, x_normal[0], rebuilt_normal, "A normal window"),
                             (ax_b, x_bad[0], rebuilt_bad, f"An anomaly ({kinds[0]})")):
    ax.plot(t, x, label="sensor")
    ax.plot(t, rebuilt, "--", label="reconstruction")
    mse = (x - rebuilt).pow(2).mean().item()
    window_errors.append(mse)
    figstyle.label(ax, f"{what}: error {mse:.3f}", "time (samples)", "reading" if ax is ax_n else "")
assert window_errors[1] > 3 * window_errors[0], f"the fault is rebuilt too well: {window_errors}"
publish.value("normal_window_error", window_errors[0])
publish.value("anomaly_window_error", window_errors[1])
ax_n.legend(loc="upper left", ncols=2)
ax_b.legend(loc="upper right", ncols=2)
ax_n.set_ylim(top=2.9)
figstyle.check(fig)

fig_h, (ax_h,) = figstyle.new_figure(height=3.0)
bins = np.geomspace(min(err_normal.min(), err_bad.min()), max(err_normal.max(), err_bad.max()), 40)
ax_h.hist(err_normal, bins=bins, alpha=0.7, label=f"normal ({len(err_normal)} new windows)")
ax_h.hist(err_bad, bins=bins, alpha=0.7, label=f"anomalous ({len(err_bad)})")
ax_h.axvline(threshold, color=figstyle.TEXT, ls="--", lw=1.2, label="threshold: worst training error")
ax_h.set_xscale("log")
figstyle.label(ax_h, "Reconstruction error separates the anomalies", "mean squared error (log)",
               "windows")
ax_h.legend()
figstyle.check(fig_h)
print(f"ROC AUC {auc:.3f}; threshold {threshold:.4f} catches {caught:.0%} of anomalies "
      f"with {false_alarms:.1%} false alarms")
