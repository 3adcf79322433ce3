"""Imported once by the worker server, so that every snippet's fork starts with these loaded.

Importing torch, the optimizers (the first one pulls in ``torch._dynamo``), numpy and matplotlib costs
about 2.5 s per process; paid once here, each snippet's fork starts in milliseconds. Then torch's
first operations are paid once too (``warmup.py``). Nothing here may start threads (forking a
process that runs threads is unsafe).
"""

from __future__ import annotations

import gc
import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy  # noqa: F401
import torch
import torch._dynamo
import torch.nn
import torch.optim  # noqa: F401

import site_tools.engine.run.child  # noqa: F401
from site_tools.engine.run import warmup

# Warm matplotlib's font cache and SVG backend with one empty figure.
_figure = plt.figure()
_figure.savefig(io.StringIO(), format="svg")
plt.close(_figure)

if warmup.enabled():
    warmup.warm_up()

# Keep the garbage collector off everything loaded above: in each fork, the first collection would
# otherwise walk (and copy-on-write) torch's whole heap, ~0.3 s before a snippet's first figure.
gc.freeze()
