"""A deep stack of equal layers and the gradient each layer receives: the vanishing-gradient figures'
one network (vanishing_gradients.py, depth_gradients.py)."""

from __future__ import annotations

import torch
from torch import nn


def deep_net(activation: type[nn.Module], depth: int, width: int) -> nn.Sequential:
    """``depth`` hidden layers, each initialised as its activation likes best (Glorot or He)."""
    layers: list[nn.Module] = []
    for _ in range(depth):
        linear = nn.Linear(width, width)
        if activation is nn.ReLU:
            nn.init.kaiming_normal_(linear.weight, nonlinearity="relu")
        else:
            nn.init.xavier_normal_(linear.weight)
        nn.init.zeros_(linear.bias)
        layers += [linear, activation()]
    return nn.Sequential(*layers, nn.Linear(width, 1))


def layer_grad_norms(net: nn.Sequential, x: torch.Tensor, y: torch.Tensor) -> list[float]:
    """One backward pass of the MSE loss; the weight-gradient norm of each hidden layer."""
    net.zero_grad()
    nn.functional.mse_loss(net(x), y).backward()
    linears = [m for m in net if isinstance(m, nn.Linear)][:-1]
    return [m.weight.grad.norm().item() for m in linears]
