"""The full-batch training loop that most snippets share, so each snippet shows only its model,
its data and its loss (the loop itself is spelled out in `backprop_moons.py` and the tutorial).
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn


def fit(
    model: nn.Module,
    loss_fn: Callable[[], torch.Tensor],
    *,
    steps: int,
    lr: float,
    cosine: bool = False,
) -> list[float]:
    """Adam on `loss_fn()` (which runs the model on the whole batch) for `steps` steps.

    Returns the loss before each step. `cosine` anneals the learning rate to zero, which makes the
    final fit steadier when two models are compared.
    """
    optimiser = torch.optim.Adam(model.parameters(), lr=lr)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimiser, steps) if cosine else None
    losses = []
    for _ in range(steps):
        loss = loss_fn()
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        if schedule is not None:
            schedule.step()
        losses.append(loss.item())
    return losses
