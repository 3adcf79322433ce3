"""Whether this machine gives snippets a GPU, asked of torch in a separate process (the test process
never starts CUDA), so device tests check the GPU path on a GPU machine and the refusal elsewhere."""

from __future__ import annotations

import subprocess
import sys
from functools import cache


@cache
def machine_has_gpu() -> bool:
    done = subprocess.run(
        [sys.executable, "-c", "import torch; print(torch.cuda.is_available())"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout.strip().endswith("True")
