"""Running snippets: isolation, determinism, failures with their own line, timeouts and crashes."""

from __future__ import annotations

import subprocess
import sys

FIGURE = """
import matplotlib.pyplot as plt
import torch
torch.manual_seed(0)
fig, ax = plt.subplots()
ax.plot(torch.randn(20).cumsum(0))
ax.set_title("walk")
"""


def _run(engine, name: str):
    snippet = engine.file_snippet(engine.config.snippets_dir / name)
    report = engine.run([snippet])
    return engine.result(snippet), report


def test_figure_captured_and_cached(project) -> None:
    engine = project({"fig.py": FIGURE})
    result, report = _run(engine, "fig.py")
    assert result.ok and len(result.figures) == 1
    assert result.figures[0].svg.lstrip().startswith("<?xml")
    assert (report.executed, report.cached) == (1, 0)
    again, report = _run(engine, "fig.py")
    assert (report.executed, report.cached) == (0, 1)
    assert again.cached and again.figures == result.figures


UNSEEDED = """
import random

import numpy as np
import torch

print(random.random(), np.random.rand(), torch.rand(1).item())
"""


def test_the_engine_seeds_snippets_that_do_not_seed_themselves(project) -> None:
    import random

    import numpy as np
    import torch

    engine = project({"unseeded.py": UNSEEDED})
    snippet = engine.file_snippet(engine.config.snippets_dir / "unseeded.py")
    engine.run([snippet], force=True)
    first = engine.result(snippet).stdout
    engine.run([snippet], force=True)
    assert engine.result(snippet).stdout == first
    seeded = (
        random.Random(0).random(),
        np.random.RandomState(0).rand(),
        torch.rand(1, generator=torch.Generator().manual_seed(0)).item(),
    )
    assert first == " ".join(map(str, seeded)) + "\n"  # the engine's seed is 0 for all three


def test_two_runs_give_identical_svg_bytes(project) -> None:
    engine = project({"fig.py": FIGURE + "print(torch.rand(3))\n"})
    snippet = engine.file_snippet(engine.config.snippets_dir / "fig.py")
    engine.run([snippet], force=True)
    first = engine.result(snippet)
    engine.run([snippet], force=True)
    second = engine.result(snippet)
    assert not second.cached
    assert first.figures[0].svg == second.figures[0].svg
    assert first.stdout == second.stdout  # fixed seeds


def test_state_does_not_leak_between_snippets(project) -> None:
    engine = project(
        {
            "a.py": "import json\njson.LEAKED = 1\nGLOBAL_FROM_A = 1\n",
            "b.py": "import json\nprint(hasattr(json, 'LEAKED'), 'GLOBAL_FROM_A' in globals())\n",
        }
    )
    a = engine.file_snippet(engine.config.snippets_dir / "a.py")
    b = engine.file_snippet(engine.config.snippets_dir / "b.py")
    engine.run([a])
    engine.run([b])
    assert engine.result(b).stdout == "False False\n"


def test_exception_points_at_the_snippet_line(project) -> None:
    engine = project({"bad.py": "x = 1\n\ndef f():\n    raise ValueError('boom')\n\nf()\n"})
    result, report = _run(engine, "bad.py")
    assert result.status == "error" and report.failed == 1
    assert result.error_location == "snippets/bad.py:4"
    assert 'File "snippets/bad.py", line 4' in result.error
    assert "ValueError: boom" in result.error
    assert str(engine.config.root) not in result.error
    assert "site_tools" not in result.error  # the engine's own frames are left out


def test_syntax_error_names_the_line(project) -> None:
    engine = project({"syntax.py": "a = 1\nb = (\n"})
    result, _ = _run(engine, "syntax.py")
    assert result.status == "error"
    assert result.error_location and result.error_location.startswith("snippets/syntax.py:")
    assert "SyntaxError" in result.error


def test_timeout_stops_the_snippet(project) -> None:
    engine = project({"loop.py": "while True:\n    pass\n"}, timeout=1.0)
    result, _ = _run(engine, "loop.py")
    assert result.status == "timeout"
    assert "timed out after 1 s" in result.error


def test_crashes_are_reported_and_the_pool_goes_on(project) -> None:
    engine = project(
        {
            "exit.py": "import os\nos._exit(3)\n",
            "segv.py": "import ctypes\nctypes.string_at(0)\n",
            "fine.py": "print('still here')\n",
        }
    )
    snippets = [
        engine.file_snippet(engine.config.snippets_dir / n) for n in ("exit.py", "segv.py", "fine.py")
    ]
    report = engine.run(snippets)
    exit_result, segv_result, fine = (engine.result(s) for s in snippets)
    assert exit_result.status == "crashed" and "status 3" in exit_result.error
    assert segv_result.status == "crashed" and "SIGSEGV" in segv_result.error
    assert fine.ok and fine.stdout == "still here\n"
    assert (report.failed, report.executed) == (2, 3)


def test_workers_times_threads_fit_the_cores(project) -> None:
    import os

    cores = os.cpu_count() or 1
    code = "import torch\nprint(torch.get_num_threads())\n"
    names = [f"t{n}.py" for n in range(cores)]
    engine = project(dict.fromkeys(names, code) | {"alone.py": code + "# alone\n"}, workers=cores)
    full = [engine.file_snippet(engine.config.snippets_dir / name) for name in names]
    engine.run(full)  # as many snippets as workers: one core each
    assert [int(engine.result(s).stdout) for s in full] == [1] * cores
    alone, _ = _run(engine, "alone.py")  # a lone snippet (an edit under serve) gets every core
    assert int(alone.stdout) == cores


def test_execution_off_runs_nothing(project) -> None:
    engine = project({"fig.py": FIGURE}, execute=False)
    result, report = _run(engine, "fig.py")
    assert result.status == "not-run" and report.executed == 0 and report.not_run == 1


def test_engine_and_options_do_not_import_mkdocs() -> None:
    # site_tools.project reads mkdocs.yml with MkDocs' own YAML loader (!ENV, INHERIT); the engine and
    # the options schema stay free of MkDocs, so another host can drive them.
    code = "import sys, site_tools.engine, site_tools.settings; print('mkdocs' in sys.modules)"
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert output.stdout.strip() == "False"


def test_the_host_adapters_import_no_runner_until_something_runs() -> None:
    # Every build imports the adapters; a warm one runs nothing. The pool (forkserver, job, slots),
    # bleach (printed tables) and torch are imported when first used, not at start-up.
    code = (
        "import sys, site_tools.hosts.mkdocs.plugin, site_tools.markdown, site_tools.site.state; "
        "print(sorted(m for m in ('bleach', 'site_tools.engine.run.pool', 'site_tools.engine.run.child', "
        "'torch') if m in sys.modules))"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert output.stdout.strip() == "[]"


def test_sys_exit_is_an_error_with_its_line_and_os_exit_a_crash(project) -> None:
    engine = project({"sysexit.py": "import sys\nsys.exit(3)\n", "osexit.py": "import os\nos._exit(3)\n"})
    sys_exit, _ = _run(engine, "sysexit.py")
    assert sys_exit.status == "error" and sys_exit.error_location == "snippets/sysexit.py:2"
    assert "SystemExit: 3" in sys_exit.error
    os_exit, _ = _run(engine, "osexit.py")
    assert os_exit.status == "crashed" and "sys.exit" not in os_exit.error


def test_an_interrupted_run_leaves_no_job_folders(project, tmp_path, monkeypatch) -> None:
    import os
    import signal
    import tempfile
    import threading
    import time

    import pytest

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    names = [f"s{n}.py" for n in range(4)]
    engine = project(dict.fromkeys(names, "import time\ntime.sleep(20)\n"), workers=1)
    snippets = [engine.file_snippet(engine.config.snippets_dir / name) for name in names]
    ctrl_c = threading.Timer(2.0, os.kill, (os.getpid(), signal.SIGINT))  # one running, three queued
    ctrl_c.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            engine.run(snippets)
    finally:
        ctrl_c.cancel()
        engine.close()
    deadline = time.monotonic() + 10
    while [p for p in scratch.iterdir() if p.name.startswith("site-tools-")] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [p.name for p in scratch.iterdir() if p.name.startswith("site-tools-")]
