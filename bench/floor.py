"""The compute part of the floor: every snippet, run in one warm process, one torch thread.

Run by the bench in the project's venv as ``python bench/floor.py BLOCKS.json SNIPPETS_DIR PASSES``.
It loads what the engine's workers preload, runs all snippets once to warm up (lazy imports, caches),
then ``PASSES`` more times, and prints per-snippet seconds of each counted pass as JSON. One thread,
because the floor divides this single-core work by the number of cores: that is perfect parallelism,
which no real build can beat. Saving each figure as SVG is part of the work and is counted. A
scrubbable figure counts every point of its grid (``params``, as the engine passes it), as a cold
build runs them all. Drawing each figure again for a phone, as every run of a build does, is timed
apart and printed before (``phones ...``): the bench reports it, the floor leaves it out.
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


def run_all(blocks: list[dict], snippets_dir: str, phones: dict[str, float]) -> dict[str, float]:
    """Each run's seconds; ``phones`` gets, apart, what drawing its figures again for a phone costs
    (``engine/run/phone.py``, which every run of a build does too): reported, not in the floor."""
    import matplotlib
    import matplotlib.pyplot as plt
    import numpy as np
    import torch

    from site_tools.engine.run.phone import draw_phone

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
            namespace = {
                "__name__": "__main__",
                "__file__": str(Path(snippets_dir) / Path(block["name"]).name),
            }
            exec(code, namespace)
            for number in plt.get_fignums():
                plt.figure(number).savefig(io.StringIO(), format="svg")
            run = block["name"] + (f"[{block['params']}]" if block["params"] else "")
            seconds[run] = time.perf_counter() - started
            hook = namespace.get("phone") if callable(namespace.get("phone")) else None
            started = time.perf_counter()
            for n, number in enumerate(plt.get_fignums()):
                draw_phone(plt.figure(number), Path(work) / f"phone-{n}.svg", hook=hook, budget_kb=0)
            phones[run] = time.perf_counter() - started
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
    phones: list[dict[str, float]] = [{} for _ in range(passes + 1)]
    try:
        run_all(blocks, snippets_dir, phones[0])  # warm-up pass
        counted = [run_all(blocks, snippets_dir, phones[n + 1]) for n in range(passes)]
    finally:
        sys.stdout = real_stdout
    print("phones " + json.dumps(phones[1:]))
    print(json.dumps(counted))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
