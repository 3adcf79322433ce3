"""Scrubbable figures in the engine: the grid is checked, each point is a run with its own key."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from site_tools.engine.collect.discover import scan_page
from site_tools.engine.collect.grid import GRID_LIMIT, declared_params

VARY = Path(__file__).parents[2] / "snippets" / "vary.py"

SLOPE = """
import matplotlib.pyplot as plt
import publish
import vary

p = vary.params(slope=1.0, shape="line")
xs = list(range(5))
ys = [p.slope * x if p.shape == "line" else p.slope * x * x for x in xs]
assert p.slope < 3 or p.shape == "line", f"too steep: {p.slope}"
plt.plot(xs, ys)
publish.value("last", ys[-1])
"""


def _page(engine, body: str, name: str = "docs/post.md"):
    text = f"# Post\n\n```snippet\n{body}```\n"
    return scan_page(
        name,
        text,
        root=engine.config.root,
        snippets_dir=engine.config.snippets_dir,
        default_timeout=30.0,
    )


def _project(project, code: str = SLOPE):
    engine = project({"slope.py": code})
    shutil.copy(VARY, engine.config.snippets_dir / "vary.py")
    shutil.copy(VARY.with_name("publish.py"), engine.config.snippets_dir / "publish.py")
    return engine


def test_each_point_is_a_run_with_its_params_and_key(project) -> None:
    engine = _project(project)
    scan = _page(
        engine,
        "file: slope.py\nvary:\n  slope: [1.0, 4.0]\n  shape: [line, square]\n"
        "default: {slope: 1.0, shape: line}\n",
    )
    assert not scan.problems
    (embed,) = scan.embeds
    assert [s.name for s in embed.variants] == [
        "snippets/slope.py[slope=1.0-shape=line]",
        "snippets/slope.py[slope=1.0-shape=square]",
        "snippets/slope.py[slope=4.0-shape=line]",
        "snippets/slope.py[slope=4.0-shape=square]",
    ]
    assert embed.snippet.params == (("slope", 1.0), ("shape", "line"))
    assert len({engine.key(s) for s in embed.variants}) == 4
    report = engine.run(embed.variants)
    assert (report.executed, report.failed) == (4, 1)  # slope 4 squared breaks the snippet's claim
    values = {s.name: engine.result(s).values.get("last") for s in embed.variants}
    assert values["snippets/slope.py[slope=1.0-shape=square]"] == 16.0
    assert values["snippets/slope.py[slope=4.0-shape=line]"] == 16.0
    broken = engine.result(embed.variants[3])
    assert broken.status == "error" and "too steep: 4.0" in broken.error


def test_editing_the_grid_runs_only_the_new_points(project) -> None:
    engine = _project(project)
    first = _page(engine, "file: slope.py\nvary:\n  slope: [0.5, 1.0]\ndefault: {slope: 1.0}\n").embeds[0]
    engine.run(first.variants)
    more = _page(engine, "file: slope.py\nvary:\n  slope: [0.5, 1.0, 1.5]\ndefault: {slope: 1.0}\n").embeds[0]
    report = engine.run(more.variants)
    assert (report.executed, report.cached) == (1, 2)


def test_a_snippet_without_a_grid_keeps_its_key(project) -> None:
    engine = _project(project)
    plain = engine.file_snippet(engine.config.snippets_dir / "slope.py")
    scan = _page(engine, "file: slope.py\n")
    assert engine.key(scan.embeds[0].snippet) == engine.key(plain)


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ("vary:\n  slope: [1.0, up]\n", "vary", "mixes numbers and words"),
        ("vary:\n  slope: [0.5, 1.0]\ndefault: {slope: 3.0}\n", "default", "not one of the values"),
        ("vary:\n  depth: [1, 2]\n", "vary", "has no parameter depth"),
        ("vary:\n  slope: [0.5, 2.0]\ndefault: {slope: 2.0}\n", "default", "defaults to `slope=1.0`"),
        ("default: {slope: 1.0}\n", "default", "needs `vary`"),
        (f"vary:\n  slope: {list(range(GRID_LIMIT + 1))}\n", "vary", f"over the limit of {GRID_LIMIT}"),
    ],
)
def test_a_bad_grid_names_the_line_and_field(project, body: str, field: str, words: str) -> None:
    engine = _project(project)
    scan = _page(engine, "file: slope.py\n" + body)
    (problem,) = scan.problems
    assert problem.field == field and words in problem.message
    lines = body.split("\n")
    written = next(n for n, line in enumerate(lines) if line.startswith(f"{field}:"))
    assert problem.line == 5 + written, str(problem)  # the page's line 5 is the fence's second


def test_the_snippet_alone_runs_its_defaults(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    (tmp_path / "vary.py").write_text(VARY.read_text())
    (tmp_path / "x.py").write_text("import vary\np = vary.params(lr=0.01, act='relu')\nprint(p.lr, p.act)\n")
    env = {k: v for k, v in os.environ.items() if k != "SITE_TOOLS_PARAMS"}

    def run() -> subprocess.CompletedProcess:
        command = [sys.executable, "x.py"]
        return subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, env=env, check=False)

    assert run().stdout.split() == ["0.01", "relu"]
    env["SITE_TOOLS_PARAMS"] = '{"depth": 3}'
    done = run()
    assert "the embed varies depth" in done.stderr


def test_declared_params_reads_the_call() -> None:
    assert declared_params("import vary\np = vary.params(a=1, b='x', c=f(2))\n") == {
        "a": 1,
        "b": "x",
        "c": None,
    }
    assert declared_params("print(1)\n") is None
