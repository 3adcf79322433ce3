"""Where ``torch.compile`` keeps its caches in a snippet: inside the snippet's working folder.

By default inductor writes to ``/tmp/torchinductor_<user>``, outside that folder, so the write guard
refuses it; and a snippet setting ``TORCHINDUCTOR_CACHE_DIR`` itself is too late, because the worker
imported torch (and inductor fixed its folder) before the snippet started. The worker therefore
points the variables at the working folder before the snippet runs, and drops what inductor
memoised about the old folder. The folder goes with the run: a compiled snippet compiles afresh
each time it runs (cached results do not run at all).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def redirect_compile_caches(workdir: str) -> None:
    cache = Path(workdir) / ".torch-compile"
    os.environ["TORCHINDUCTOR_CACHE_DIR"] = str(cache)
    os.environ["TRITON_CACHE_DIR"] = str(cache / "triton")
    utils = sys.modules.get("torch._inductor.utils")
    if utils is not None and hasattr(utils, "clear_caches"):
        utils.clear_caches()
