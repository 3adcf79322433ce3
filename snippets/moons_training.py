"""The training the learning-rate figures of "How Neural Networks Learn from Data" share.

One small MLP, from the same initial weights, learns two interleaved moons with plain SGD for 200
full-batch steps at a learning rate the reader picks (each snippet reads it with `vary.params`).
Each figure's snippet trains it again (a fraction of a second), so each stays a run of its own,
cached and tested like any other; this module is part of each one's cache key.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

STEPS = 200


def moons(n: int = 200) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved half circles with a little noise: points (n, 2) and labels (n,)."""
    rng = np.random.default_rng(0)
    angle = rng.uniform(0, math.pi, n)
    upper = rng.random(n) < 0.5
    points = np.where(
        upper[:, None],
        np.c_[np.cos(angle), np.sin(angle)],
        np.c_[1 - np.cos(angle), 0.5 - np.sin(angle)],
    ) + rng.normal(scale=0.1, size=(n, 2))
    return points.astype(np.float32), upper.astype(np.int64)


@dataclass
class Training:
    net: nn.Sequential
    initial: list[torch.Tensor]  # each parameter before the first step
    losses: list[float]  # one per step, until the loss stops being finite
    points: np.ndarray
    labels: np.ndarray

    @property
    def finite(self) -> list[float]:
        return [value for value in self.losses if math.isfinite(value)]

    @property
    def diverged(self) -> bool:
        return not math.isfinite(self.losses[-1]) or self.finite[-1] > self.losses[0]

    @property
    def verdict(self) -> str:
        """What the loss did, in the words the post uses."""
        ratio = self.finite[-1] / self.losses[0]
        if self.diverged:
            return "diverges"
        if ratio > 0.8:
            return "hardly moves"
        if ratio > 0.45:
            return "crawls"
        return "converges"

    def predict(self, grid: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            return self.net(torch.from_numpy(grid)).argmax(1).numpy()

    @property
    def accuracy(self) -> float:
        """The fraction of the points classified right (a diverged net's guesses count as they fall)."""
        return float((self.predict(self.points) == self.labels).mean())


def train(lr: float) -> Training:
    points, labels = moons()
    x, y = torch.from_numpy(points), torch.from_numpy(labels)
    torch.manual_seed(0)  # the same initial weights for every learning rate
    net = nn.Sequential(nn.Linear(2, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh(), nn.Linear(32, 2))
    initial = [p.detach().clone() for p in net.parameters()]
    optimiser = torch.optim.SGD(net.parameters(), lr=lr)
    losses: list[float] = []
    for _ in range(STEPS):
        optimiser.zero_grad()
        loss = nn.functional.cross_entropy(net(x), y)
        losses.append(loss.item())
        if not math.isfinite(losses[-1]):
            break
        loss.backward()
        optimiser.step()
    return Training(net, initial, losses, points, labels)
