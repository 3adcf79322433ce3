"""A run with a core to spare draws its phone drawings in a forked copy (engine/run/phone_beside.py):
the same files, notes and notices, byte for byte, as a run that draws them itself.

One Python process runs the same snippet twice in a fork, as the pool does: given one torch thread
(no core to spare: it draws every phone drawing itself) and given two (a copy per phone drawing).
Its figures cover each case the phone layout has: stacked panels with a legend, a figure over the
budget (its scatter becomes pixels, with a notice), and a picture without axes (no phone drawing,
with a note). The snippet computes nothing with torch, so the thread count cannot change its data.
"""

from __future__ import annotations

import os
import textwrap

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from site_tools.engine.run import phone_beside
from tests.engine.conftest import script_result

SNIPPET = """
import matplotlib.pyplot as plt
import numpy as np

rng = np.random.default_rng(3)
fig, (left, right) = plt.subplots(1, 2, figsize=(7, 3.2), layout="constrained")
left.plot(np.linspace(0, 1, 50), np.linspace(0, 1, 50) ** 2, label="square")
left.plot(np.linspace(0, 1, 50), np.linspace(0, 1, 50) ** 3, label="cube")
left.legend()
left.set(title="Powers", xlabel="x", ylabel="y")
right.bar(["a", "b", "c"], [3, 1, 2])
right.set_title("Counts")
fig.suptitle("Two panels")

heavy = plt.figure(figsize=(5, 3.5))
points = rng.random((6000, 2))
heavy.gca().scatter(points[:, 0], points[:, 1], s=1)
heavy.gca().set_title("Many points")

picture = plt.figure(figsize=(3, 3))
picture.gca().imshow(rng.random((8, 8)))
picture.gca().axis("off")
"""

RUN_BOTH = textwrap.dedent(
    """
    import dataclasses, json, os, sys
    from pathlib import Path
    from site_tools.engine import Engine, EngineConfig
    from site_tools.engine.run import jobs
    from site_tools.engine.run.spec import RunSpec
    from site_tools.engine.run.child import run_job

    root = Path(sys.argv[1])
    engine = Engine(EngineConfig(root=root, snippets_dir=root / "snippets", cache_dir=root / ".cache"))
    snippet = engine.file_snippet(root / "snippets" / "drawn.py")
    forks, counted = os.pipe()  # each fork the run makes writes a byte here (a write guard ignores fds)
    real_fork = os.fork

    def counting_fork():
        os.write(counted, b"f")
        return real_fork()

    def run(threads):
        spec = RunSpec(engine.key(snippet), snippet, root, root / "snippets", threads=threads,
                       figure_budget_kb=60)
        job = jobs.new_job(spec)
        pid = real_fork()
        if pid == 0:
            os.fork = counting_fork  # only inside the run
            run_job(job)
        _, status = os.waitpid(pid, 0)
        result = jobs.collect(job, os.waitstatus_to_exitcode(status), 0.0, False, 60.0)
        kept = dataclasses.replace(result, duration=0.0, peak_memory=0, finished_at="")
        return dataclasses.asdict(kept)

    def forked():
        try:
            return len(os.read(forks, 100))
        except BlockingIOError:  # none since the last look
            return 0

    os.set_blocking(forks, False)
    alone = run(1)
    forked_alone = forked()
    beside = run(2)
    print(json.dumps({"runs": [alone, beside], "forks": [forked_alone, forked()]}))
    """
)


def test_phone_drawings_made_beside_the_run_are_the_ones_it_would_make(project) -> None:
    engine = project({"drawn.py": SNIPPET})
    found = script_result(RUN_BOTH, engine.config.root)
    alone, beside = found["runs"]
    assert alone["status"] == "ok", alone["error"]
    # Two figures get a phone drawing (two copies forked), the picture none (drawn by nobody).
    assert found["forks"] == [0, 2]
    figures = alone["cells"][0]["figures"]
    assert [bool(figure["phone_svg"]) for figure in figures] == [True, True, False]
    assert any("pixels" in notice for notice in alone["notices"]), alone["notices"]
    assert "raster" in figures[2]["phone_note"]
    assert beside == alone


def test_a_copy_that_dies_leaves_the_drawing_to_the_run(tmp_path, monkeypatch) -> None:
    parent = os.getpid()
    real_draw = phone_beside.draw_phone

    def dying_in_the_copy(figure, path, **options):
        if os.getpid() != parent:
            os._exit(3)  # killed, out of memory: no answer comes back
        return real_draw(figure, path, **options)

    monkeypatch.setattr(phone_beside, "draw_phone", dying_in_the_copy)
    figure, axes = plt.subplots(1, 2, figsize=(6, 3))
    axes[0].plot([0, 1], [1, 0])
    axes[1].plot([0, 1], [0, 1])
    figure.savefig(tmp_path / "wide.svg", format="svg")
    outcome = phone_beside.phone_beside(figure, tmp_path / "phone.svg", budget_kb=512)()
    plt.close(figure)
    assert outcome.made and (tmp_path / "phone.svg").read_text(encoding="utf-8").startswith("<?xml")
