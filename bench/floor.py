"""The compute part of the floor: every snippet, run in one warm process, one torch thread.

Run by the bench in the project's venv as ``python bench/floor.py BLOCKS.json SNIPPETS_DIR PASSES``.
It loads what the engine's workers preload, runs all snippets once to warm up (lazy imports, caches),
then ``PASSES`` more times, and prints per-snippet seconds of each counted pass as JSON. One thread,
because the floor divides this single-core work by the number of cores: that is perfect parallelism,
which no real build can beat. Saving each figure as SVG is part of the work and is counted. A
scrubbable figure counts every point of its grid (``params``, as the engine passes it), as a cold
build runs them all.
"""

from __future__ import annotations

import io
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

PARAMS_ENV = "SITE_TOOLS_PARAMS"  # site_tools.engine.collect.grid.PARAMS_ENV, read by snippets/vary.py


def run_all(blocks: list[dict], snippets_dir: str) -> dict[str, float]:
    import matplotlib
    import matplotlib.pyplot as plt
    import numpy as np
    import torch

    seconds = {}
    for block in blocks:
        plt.close("all")
        matplotlib.rcdefaults()
        random.seed(0)
        np.random.seed(0)
        torch.manual_seed(0)
        if block["params"]:
            os.environ[PARAMS_ENV] = block["params"]
        else:
            os.environ.pop(PARAMS_ENV, None)
        with tempfile.TemporaryDirectory() as work:
            os.chdir(work)
            started = time.perf_counter()
            code = compile(block["code"], block["name"], "exec")
            exec(
                code, {"__name__": "__main__", "__file__": str(Path(snippets_dir) / Path(block["name"]).name)}
            )
            for number in plt.get_fignums():
                plt.figure(number).savefig(io.StringIO(), format="svg")
            run = block["name"] + (f"[{block['params']}]" if block["params"] else "")
            seconds[run] = time.perf_counter() - started
            plt.close("all")
    return seconds


def main(argv: list[str]) -> int:
    blocks_file, snippets_dir, passes = argv[1], argv[2], int(argv[3])
    blocks = json.loads(Path(blocks_file).read_text(encoding="utf-8"))
    import torch

    import site_tools.engine.run.preload  # noqa: F401  (what every worker has loaded)

    torch.set_num_threads(1)
    sys.path.insert(0, snippets_dir)
    real_stdout = sys.stdout
    sys.stdout = io.StringIO()  # the snippets' prints are not the report
    try:
        run_all(blocks, snippets_dir)  # warm-up pass
        counted = [run_all(blocks, snippets_dir) for _ in range(passes)]
    finally:
        sys.stdout = real_stdout
    print(json.dumps(counted))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
