"""The worker server's warm-up (engine/run/warmup.py) starts no thread and changes no output.

One Python process imports the preload without the warm-up, runs a snippet in a fork (as the pool
does), warms up, runs the same snippet in a new fork, and compares the two results byte for byte:
figures (wide and phone drawings, one of them partly pixels), printed text, published values and
warnings. Its thread count before and after the warm-up must be equal. The snippet trains a small
model with a backward pass in the fork: autograd refuses to run in a fork whose parent started its
threads, so this also shows the warm-up left them unstarted.
"""

from __future__ import annotations

import json
import os
import textwrap

from tests.engine.conftest import script_result

SNIPPET = """
import json, os
import matplotlib.pyplot as plt
import numpy as np
import torch

model = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
x = torch.randn(64, 2)
y = (x[:, :1] * x[:, 1:]).sign()
for _ in range(20):
    optimizer.zero_grad()
    loss = torch.nn.functional.mse_loss(model(x), y)
    loss.backward()
    optimizer.step()
print(f"loss {loss.item():.6f}, noise {np.random.rand():.6f}")
with open(os.environ["SITE_TOOLS_VALUES"], "a", encoding="utf-8") as values:
    values.write(json.dumps({"name": "loss", "value": loss.item()}) + "\\n")
fig, (left, right) = plt.subplots(1, 2, figsize=(7, 3.6), layout="constrained")
points = np.random.rand(3000, 2)
left.scatter(points[:, 0], points[:, 1], s=2, label="points")
left.plot([0, 1], [0, 1], label="$y = x$")
left.set(title="Scatter", xlabel="x", ylabel="y")
left.legend()
right.imshow(np.random.rand(6, 6))
right.set_title("Image", fontweight="bold")
fig.suptitle("Warm-up check")
"""

RUN_TWICE = textwrap.dedent(
    """
    import dataclasses, json, os, sys
    from pathlib import Path
    from site_tools.engine import Engine, EngineConfig
    from site_tools.engine.run import jobs, warmup
    from site_tools.engine.run.spec import RunSpec
    import site_tools.engine.run.preload  # without the warm-up: SITE_TOOLS_PRELOAD_WARMUP=0
    from site_tools.engine.run.child import run_job

    root = Path(sys.argv[1])
    engine = Engine(EngineConfig(root=root, snippets_dir=root / "snippets", cache_dir=root / ".cache"))
    snippet = engine.file_snippet(root / "snippets" / "drawn.py")
    spec = RunSpec(engine.key(snippet), snippet, root, root / "snippets", figure_budget_kb=40)

    def threads():
        return len(os.listdir("/proc/self/task"))

    def run():
        job = jobs.new_job(spec)
        pid = os.fork()
        if pid == 0:
            run_job(job)
        _, status = os.waitpid(pid, 0)
        result = jobs.collect(job, os.waitstatus_to_exitcode(status), 0.0, False, 60.0)
        kept = dataclasses.replace(result, duration=0.0, peak_memory=0, finished_at="")
        return dataclasses.asdict(kept)

    before = run()
    threads_before = threads()
    warmup.warm_up()
    print(json.dumps({
        "threads": [threads_before, threads()],
        "key": [spec.key, engine.key(snippet)],
        "runs": [before, run()],
    }))
    """
)


def test_warm_up_starts_no_thread_and_changes_no_byte(project) -> None:
    engine = project({"drawn.py": SNIPPET})
    root = engine.config.root
    env = {**os.environ, "SITE_TOOLS_PRELOAD_WARMUP": "0"}
    found = script_result(RUN_TWICE, root, env)
    cold, warm = found["runs"]
    assert cold["status"] == "ok", cold["error"]
    assert found["threads"][1] == found["threads"][0], "the warm-up left a thread running"
    assert found["key"][0] == found["key"][1]
    figures = cold["cells"][0]["figures"]
    assert len(figures) == 1 and "data:image/png;base64," in json.dumps(figures)  # partly pixels
    assert cold["values"] and cold["cells"][0]["stdout"].startswith("loss ")
    assert warm == cold
