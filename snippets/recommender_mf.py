"""A matrix-factorisation recommender learns from synthetic star ratings: its training curve and
the 2-D item embeddings it discovers.

Checks that it predicts held-out ratings far better than the average rating does, and that the
embeddings group items by a genre the model was never told about.
"""

from __future__ import annotations

import figstyle
import numpy as np
import publish
import torch
from torch import nn

torch.manual_seed(0)
rng = np.random.default_rng(0)
USERS, ITEMS, GENRES = 120, 45, ("thriller", "comedy", "documentary")

# Hidden truth: each item has a genre (a direction in taste space); users like some directions.
genre = rng.integers(0, len(GENRES), ITEMS)
angles = 2 * np.pi * np.arange(len(GENRES)) / len(GENRES)
item_taste = np.column_stack([np.cos(angles), np.sin(angles)])[genre] * 1.2
item_taste += rng.normal(scale=0.15, size=(ITEMS, 2))
user_taste = rng.normal(size=(USERS, 2))
stars = np.clip(3 + user_taste @ item_taste.T + rng.normal(scale=0.3, size=(USERS, ITEMS)), 1, 5)

# Each user rated a quarter of the items; a fifth of those ratings are held out for testing.
users, items = np.nonzero(rng.random((USERS, ITEMS)) < 0.25)
test = rng.random(len(users)) < 0.2
u, i = torch.from_numpy(users), torch.from_numpy(items)
r = torch.tensor(stars[users, items], dtype=torch.float32)
train_mask, test_mask = torch.from_numpy(~test), torch.from_numpy(test)


class Factorisation(nn.Module):
    """rating ≈ global mean + user bias + item bias + user vector · item vector (2-D)."""

    def __init__(self, mean: float) -> None:
        super().__init__()
        self.user, self.item = nn.Embedding(USERS, 2), nn.Embedding(ITEMS, 2)
        self.user_bias, self.item_bias = nn.Embedding(USERS, 1), nn.Embedding(ITEMS, 1)
        for table in (self.user, self.item):
            nn.init.normal_(table.weight, std=0.1)
        for table in (self.user_bias, self.item_bias):
            nn.init.zeros_(table.weight)
        self.mean = mean

    def forward(self, users: torch.Tensor, items: torch.Tensor) -> torch.Tensor:
        dot = (self.user(users) * self.item(items)).sum(1)
        return self.mean + dot + self.user_bias(users)[:, 0] + self.item_bias(items)[:, 0]


def rmse(prediction: torch.Tensor, mask: torch.Tensor) -> float:
    return (prediction[mask] - r[mask]).pow(2).mean().sqrt().item()


mean_rating = r[train_mask].mean().item()
baseline = rmse(torch.full_like(r, mean_rating), test_mask)
model = Factorisation(mean_rating)
optimiser = torch.optim.Adam(model.parameters(), lr=0.05, weight_decay=1e-4)
history: dict[str, list[float]] = {"training ratings": [], "held-out ratings": []}
for _ in range(300):
    prediction = model(u, i)
    loss = (prediction[train_mask] - r[train_mask]).pow(2).mean()
    optimiser.zero_grad()
    loss.backward()
    optimiser.step()
    history["training ratings"].append(rmse(prediction.detach(), train_mask))
    history["held-out ratings"].append(rmse(prediction.detach(), test_mask))

# Do the learned item vectors cluster by the hidden genre? Give each its nearest genre centroid.
embedding = model.item.weight.detach().numpy()
centroids = np.stack([embedding[genre == g].mean(0) for g in range(len(GENRES))])
nearest = np.linalg.norm(embedding[:, None] - centroids[None], axis=2).argmin(1)
purity = (nearest == genre).mean()
test_rmse = history["held-out ratings"][-1]
train_rmse = history["training ratings"][-1]
assert test_rmse < baseline / 2, f"held-out RMSE {test_rmse:.2f} vs {baseline:.2f} for the mean"
assert purity >= 0.9, f"only {purity:.0%} of items sit nearest their own genre's centroid"
assert train_rmse < test_rmse, "the training error should end below the held-out error"
publish.value("train_rmse", train_rmse)
publish.value("test_rmse", test_rmse)
publish.value("baseline", baseline)
publish.value("purity", purity)

fig, (ax_c, ax_e) = figstyle.new_figure(ncols=2)
for name, values in history.items():
    ax_c.plot(values, label=name)
ax_c.axhline(baseline, color=figstyle.GREY, ls="--", lw=1.2, label="always the mean rating")
ax_c.set_ylim(0, baseline * 1.4)
figstyle.label(ax_c, "Training curve", "step (full batch)", "RMSE (stars)")
ax_c.legend()
for g, name in enumerate(GENRES):
    ax_e.plot(*embedding[genre == g].T, "o", ms=6, label=name)
figstyle.label(ax_e, "Learned item embeddings", "dimension 1", "dimension 2")
ax_e.legend(title="hidden genre")
figstyle.check(fig)
print(f"held-out RMSE {test_rmse:.2f} stars (the mean rating: {baseline:.2f}) "
      f"from {int(train_mask.sum())} training ratings")
print(f"{purity:.0%} of the items sit nearest their own genre's centroid, unsupervised")
