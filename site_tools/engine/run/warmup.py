"""Torch's first operations, paid once by the worker server before it forks.

A snippet runs in a fresh fork of the preloaded process (``preload.py``). Without this, each fork
pays again what only a first call costs: each operator's dispatch and kernel set-up (a linear layer,
a convolution, an LSTM, a loss, an optimizer's step). Measured on the real site's snippets (CPU time
of each fork, 7 alternated rounds on 2 cores): 10 ms less per run, for 7 ms once. Drawing and saving
a small figure here too was measured and left out: 0.5 s once for 3 ms more per run, which the
real site's 37 runs do not pay back (matplotlib's font cache and SVG writer are warmed by the
preload's empty figure).

Three rules keep each run as it was:
- no thread is started: torch computes with one thread, and nothing runs backward (autograd's
  first backward starts its device threads, one per GPU, and a fork of a process with threads is
  unsafe); ``tests/engine/test_warmup.py`` checks the thread count;
- nothing a snippet sees is left changed: torch's thread count and random state are restored, and
  every run reseeds its generators anyway;
- a run's figures, values and keys stay byte for byte what they are without it (the same test runs
  one snippet with ``SITE_TOOLS_PRELOAD_WARMUP=0`` and without, and compares).
"""

from __future__ import annotations

import os

WARMUP_ENV = "SITE_TOOLS_PRELOAD_WARMUP"  # "0": fork from a process that only imported (to measure)


def enabled() -> bool:
    return os.environ.get(WARMUP_ENV, "1") != "0"


def warm_up() -> None:
    """Run small torch operations of the kinds snippets use, forward only, on one thread."""
    import torch

    threads, seeds = torch.get_num_threads(), torch.get_rng_state()
    torch.set_num_threads(1)  # no OpenMP pool in the process the workers fork from
    try:
        with torch.no_grad():  # forward only: a backward would start autograd's device threads
            generator = torch.Generator().manual_seed(0)
            inputs = torch.randn(16, 2, generator=generator)
            model = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.ReLU(), torch.nn.Linear(16, 1))
            torch.nn.functional.mse_loss(model(inputs).tanh().sigmoid(), inputs[:, :1])
            torch.nn.functional.cross_entropy(torch.randn(8, 3, generator=generator), torch.arange(8) % 3)
            conv = torch.nn.Conv2d(1, 4, 3, padding=1)
            pooled = torch.nn.functional.max_pool2d(conv(torch.randn(2, 1, 8, 8, generator=generator)), 2)
            pooled.flatten(1).softmax(dim=1)
            lstm = torch.nn.LSTM(4, 8, batch_first=True)
            lstm(torch.randn(2, 5, 4, generator=generator))
            for parameter in model.parameters():
                parameter.grad = torch.zeros_like(parameter)  # an optimizer step without a backward
            for optimizer in (
                torch.optim.Adam(model.parameters()),
                torch.optim.SGD(model.parameters(), lr=0.1),
            ):
                optimizer.step()
    finally:
        torch.set_num_threads(threads)
        torch.set_rng_state(seeds)  # layers' initial weights drew from it
