"""Heavy figures fit by themselves (engine/run/rasterise.py): over the budget, dense artists become
pixels inside the SVG; under it, or with nothing dense to draw as pixels, the figure is untouched."""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib
import numpy as np
import pytest

from site_tools.engine.run.rasterise import DENSE, dense_artists, fit_figure, themed_size
from tests.heavy_figures import MOONS

matplotlib.use("Agg")
import matplotlib.pyplot as plt


@pytest.fixture
def saved(tmp_path: Path):
    """Save a figure as the worker does; close it afterwards."""
    figures = []

    def save(figure) -> Path:
        figures.append(figure)
        path = tmp_path / f"fig-{len(figures)}.svg"
        with matplotlib.rc_context({"svg.hashsalt": "t", "svg.fonttype": "path"}):
            figure.savefig(path, format="svg", metadata={"Date": None})
        return path

    yield save
    for figure in figures:
        plt.close(figure)


def test_the_budget_is_part_of_the_key(project) -> None:
    files = {"moons.py": textwrap.dedent(MOONS)}
    keys = {budget: project(files, figure_budget_kb=budget) for budget in (0, 512, 1024)}
    snippet = keys[0].file_snippet(keys[0].config.snippets_dir / "moons.py")
    assert len({engine.key(snippet) for engine in keys.values()}) == 3


def test_the_two_moons_figure_is_drawn_with_pixels_and_fits(project) -> None:
    engine = project({"moons.py": textwrap.dedent(MOONS)}, figure_budget_kb=512)
    [snippet] = engine.snippet_files()
    engine.run([snippet])
    result = engine.result(snippet)
    assert result.ok, result.error
    [figure] = result.figures
    assert themed_size(figure.svg) < 512 * 1024
    assert figure.svg.count("<image ") == 1 and "data:image/png;base64," in figure.svg
    [notice] = result.notices
    assert notice.startswith("snippets/moons.py: figure 1 was ")
    assert "filled contours and scatter points drawn as pixels at 192 dpi" in notice
    assert notice.endswith(" KiB") and "now fits at" in notice
    assert result.warnings == ()


def test_without_a_budget_the_figure_stays_vector(project) -> None:
    engine = project({"moons.py": textwrap.dedent(MOONS)}, figure_budget_kb=0)
    [snippet] = engine.snippet_files()
    engine.run([snippet])
    result = engine.result(snippet)
    assert result.ok and result.notices == ()
    assert "<image" not in result.figures[0].svg


def test_a_figure_under_its_budget_is_left_as_it_was(saved) -> None:
    figure, ax = plt.subplots()
    ax.scatter(*np.random.default_rng(0).random((2, 3000)))
    path = saved(figure)
    before = path.read_text()
    assert fit_figure(figure, path, 4096, "snippets/x.py: figure 1") is None
    assert path.read_text() == before


def test_only_dense_artists_are_drawn_as_pixels(saved) -> None:
    figure, ax = plt.subplots()
    rng = np.random.default_rng(0)
    many = ax.scatter(*rng.random((2, DENSE)), label="many")
    few = ax.scatter(*rng.random((2, 20)), label="few")
    ax.plot(rng.random(5000))  # a line stays a vector
    ax.imshow(rng.random((8, 8)), extent=(0, 1, 0, 1))
    ax.legend()
    found = dense_artists(figure)
    assert many in found and few not in found
    assert [type(a).__name__ for a in found if a is not many] == ["AxesImage"]
    plt.close(figure)


def test_a_figure_still_over_budget_says_so_and_one_with_nothing_dense_is_left(saved) -> None:
    figure, ax = plt.subplots()
    ax.scatter(*np.random.default_rng(0).random((2, 5000)))
    for n in range(400):  # text stays vector
        ax.text(n / 400, 0.5, f"label {n}")
    path = saved(figure)
    notice = fit_figure(figure, path, 64, "snippets/x.py: figure 1")
    assert notice is not None and "scatter points drawn as pixels" in notice
    assert notice.endswith(" KiB") and "is still over it at" in notice
    lines, ax = plt.subplots()
    ax.plot(np.random.default_rng(1).random(20000))
    path = saved(lines)
    before = path.read_text()
    assert fit_figure(lines, path, 16, "snippets/y.py: figure 1") is None  # the build's check advises
    assert path.read_text() == before
