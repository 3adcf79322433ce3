# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Train your first network in PyTorch
#
# This notebook trains a small neural network from start to finish, in the six steps every
# PyTorch project goes through: **data → model → loss → optimiser → training loop →
# evaluation**. It runs in a few seconds on a laptop CPU and needs only `torch`, `numpy` and
# `matplotlib`. Every number and figure below was computed when this page was built.
#
# The task: points in the plane belong to one of two classes, a disc in the middle and a ring
# around it. No straight line separates them, so the network has to learn a curved boundary.

# %%
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

try:
    import figstyle  # the site's figure style, present when the site builds this page

    figstyle.apply()
except ImportError:  # running on its own: matplotlib's defaults will do
    pass

torch.manual_seed(0)  # the same random numbers on every run, so the results can be checked
rng = np.random.default_rng(0)
device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"PyTorch {torch.__version__.split('+')[0]} on {device}")

# %% [markdown]
# ## 1. Data
#
# We make the data ourselves: 1,000 points, half in a disc of radius 1, half in a ring between
# radii 1.5 and 2.5, with a little noise. We keep 20 % aside as a **test set**: the network never
# trains on it, so it tells us how well the network does on points it has not seen.

# %%
def disc_and_ring(n: int) -> tuple[np.ndarray, np.ndarray]:
    """n points: label 0 inside a disc, label 1 in a ring around it."""
    labels = rng.integers(0, 2, n)
    radius = np.where(labels == 0, rng.uniform(0, 1, n), rng.uniform(1.5, 2.5, n))
    angle = rng.uniform(0, 2 * np.pi, n)
    points = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    points += rng.normal(scale=0.25, size=points.shape)
    return points.astype(np.float32), labels.astype(np.float32)


points, labels = disc_and_ring(1000)
x = torch.from_numpy(points)
y = torch.from_numpy(labels)[:, None]  # shape (n, 1): one target per point
x_train, y_train, x_test, y_test = x[:800], y[:800], x[800:], y[800:]

# A DataLoader serves the training set in shuffled mini-batches of 32 points.
train_loader = DataLoader(TensorDataset(x_train, y_train), batch_size=32, shuffle=True)
print(f"{len(x_train)} training points, {len(x_test)} test points")

fig, ax = plt.subplots(figsize=(4.5, 4.2), layout="constrained")
for k, name in enumerate(("disc (class 0)", "ring (class 1)")):
    mine = points[:800][labels[:800] == k]
    ax.plot(mine[:, 0], mine[:, 1], "o", ms=3, label=name)
ax.set(title="The training data", xlabel="x₁", ylabel="x₂", aspect="equal")
ax.legend(loc="upper right")

# %% [markdown]
# ## 2. Model
#
# An `nn.Sequential` runs its layers in order: 2 inputs → 16 hidden neurons → 16 → 1 output.
# The `ReLU` between the layers is what makes a curved boundary possible; the single output is a
# *logit*, a score that is positive when the network thinks "ring".

# %%
model = nn.Sequential(
    nn.Linear(2, 16),
    nn.ReLU(),
    nn.Linear(16, 16),
    nn.ReLU(),
    nn.Linear(16, 1),
).to(device)
print(model)
print(f"{sum(p.numel() for p in model.parameters())} trainable parameters")

# %% [markdown]
# ## 3. Loss and 4. optimiser
#
# The **loss** measures how wrong the predictions are: binary cross-entropy, computed straight
# from the logits (`BCEWithLogitsLoss` is more stable than a sigmoid followed by `BCELoss`).
# The **optimiser** decides how to change the weights given their gradients: Adam with a
# learning rate of 0.002.

# %%
loss_fn = nn.BCEWithLogitsLoss()
optimiser = torch.optim.Adam(model.parameters(), lr=0.002)

# %% [markdown]
# ## 5. The training loop
#
# One **epoch** is one pass over the training set. For every mini-batch: predict, measure the
# loss, let autograd compute every gradient (`loss.backward()`, backpropagation), and take an
# optimiser step. Zeroing the gradients first matters: PyTorch adds new gradients to old ones.
# After each epoch we also measure the loss on the test set, without gradients.

# %%
EPOCHS = 30
history: dict[str, list[float]] = {"training loss": [], "test loss": []}


def test_loss() -> float:
    model.eval()
    with torch.no_grad():  # no gradients needed to evaluate: faster, less memory
        return loss_fn(model(x_test.to(device)), y_test.to(device)).item()


history["training loss"].append(loss_fn(model(x_train.to(device)), y_train.to(device)).item())
history["test loss"].append(test_loss())
for epoch in range(1, EPOCHS + 1):
    model.train()
    total = 0.0
    for batch_cpu, targets_cpu in train_loader:
        batch_x, batch_y = batch_cpu.to(device), targets_cpu.to(device)
        loss = loss_fn(model(batch_x), batch_y)  # forward pass and loss
        optimiser.zero_grad()  # forget the previous batch's gradients
        loss.backward()  # backpropagation: d loss / d every parameter
        optimiser.step()  # move every parameter a little downhill
        total += loss.item() * len(batch_x)
    history["training loss"].append(total / len(x_train))
    history["test loss"].append(test_loss())
    if epoch % 5 == 0:
        print(f"epoch {epoch:2d}: training loss {history['training loss'][-1]:.4f}, "
              f"test loss {history['test loss'][-1]:.4f}")

first, last = history["test loss"][0], history["test loss"][-1]
assert last < first / 5, f"the test loss fell only {first / last:.1f}x"

fig, ax = plt.subplots(figsize=(6, 3.2), layout="constrained")
for name, values in history.items():
    ax.plot(values, label=name)
ax.set(title="Learning curves", xlabel="epoch", ylabel="binary cross-entropy", yscale="log")
ax.legend()

# %% [markdown]
# The training and test losses fall together: the network learns the pattern rather than
# memorising the training points. Had the test loss started rising while the training loss kept
# falling, the network would be *overfitting*.
#
# ## 6. Evaluation
#
# Accuracy on the test set is the number to report. We also colour the plane by the network's
# prediction to see the boundary it learned.

# %%
model.eval()
with torch.no_grad():
    predicted = (model(x_test.to(device)) > 0).float().cpu()
accuracy = (predicted == y_test).float().mean().item()
print(f"test accuracy: {accuracy:.1%} on {len(x_test)} unseen points")
assert accuracy >= 0.95, f"test accuracy only {accuracy:.1%}"

grid_axis = np.linspace(-3.2, 3.2, 80, dtype=np.float32)
gx, gy = np.meshgrid(grid_axis, grid_axis)
grid = torch.from_numpy(np.column_stack([gx.ravel(), gy.ravel()])).to(device)
with torch.no_grad():
    probability = torch.sigmoid(model(grid)).cpu().numpy().reshape(gx.shape)

fig, ax = plt.subplots(figsize=(5.2, 4.2), layout="constrained")
shade = ax.contourf(gx, gy, probability, levels=np.linspace(0, 1, 11), cmap="Greys", alpha=0.5)
ax.contour(gx, gy, probability, levels=[0.5], colors="black", linewidths=1.2)
test_points, test_labels = x_test.numpy(), y_test[:, 0].numpy()
for k, name in enumerate(("disc", "ring")):
    mine = test_points[test_labels == k]
    ax.plot(mine[:, 0], mine[:, 1], "o", ms=3.5, mec="#222222", mew=0.4, label=f"test: {name}")
fig.colorbar(shade, ax=ax, label="predicted probability of 'ring'")
ax.set(title=f"Learned boundary: {accuracy:.0%} of test points right", xlabel="x₁", ylabel="x₂",
       aspect="equal")
ax.grid(False)
ax.legend(loc="upper right")

# %% [markdown]
# ## Where to go next
#
# - Change `nn.ReLU()` to `nn.Identity()`: without a nonlinearity the model can only draw a
#   straight line, and the accuracy drops to about chance.
# - Make the hidden layers narrower (4 neurons) or train for fewer epochs and watch the boundary.
# - Swap the synthetic points for your own data: steps 2 to 6 stay the same.
