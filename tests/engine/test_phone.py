"""Each figure's phone drawing comes from the same run (engine/run/phone.py): laid out again for a
phone's column, checked with the renderer's text extents, kept with the result through the cache and
the remote format, or left out with a note that says why."""

from __future__ import annotations

import re
import textwrap

import matplotlib
import pytest

from site_tools.engine.figures.svgtheme import natural_size
from site_tools.engine.run.phone import PHONE_MIN_PT, PHONE_WIDTH_PX, lay_out, raster_by_nature, text_problems
from site_tools.engine.store.remote_format import pack, read_manifest, unpack

matplotlib.use("Agg")
import matplotlib.pyplot as plt

PANELS = """
import matplotlib.pyplot as plt
print("ran")  # once: the phone drawing does not run the snippet again
fig, axes = plt.subplots(1, 2, figsize=(7, 3))
for n, ax in enumerate(axes):
    ax.plot([0, 1, 2], [0, n, 4], label="train")
    ax.plot([0, 1, 2], [1, 2, 0], label="validation")
    ax.set(title=f"Panel {n + 1} with a title as long as a desktop column allows it",
           xlabel="epoch", ylabel="loss")
    ax.legend()
    ax.tick_params(labelsize=6)
"""
PICTURES = """
import numpy as np, matplotlib.pyplot as plt
fig, axes = plt.subplots(1, 3)
for ax in axes:
    ax.imshow(np.random.default_rng(0).random((8, 8)))
    ax.axis("off")
"""
DECLINED = PANELS + "\ndef phone(fig):\n    return False\n"
BROKEN_HOOK = PANELS + "\ndef phone(fig):\n    raise ValueError('no phone layout today')\n"


def test_one_run_draws_a_phone_drawing_beside_the_wide_one_and_the_cache_keeps_both(project) -> None:
    engine = project({"panels.py": PANELS, "pictures.py": PICTURES, "declined.py": DECLINED})
    snippets = {s.path.rsplit("/", 1)[1]: s for s in engine.snippet_files()}
    engine.run(list(snippets.values()))
    panels = engine.result(snippets["panels.py"])
    assert panels.ok, panels.error
    assert panels.stdout == "ran\n"
    [figure] = panels.figures
    width, height = natural_size(figure.phone_svg)
    assert width == pytest.approx(PHONE_WIDTH_PX, abs=1) and height > width  # the panels stacked
    assert natural_size(figure.svg)[0] == pytest.approx(7 * 96, abs=1)  # the wide one as drawn
    assert figure.phone_note == "" and panels.notices == ()
    [pictures] = engine.result(snippets["pictures.py"]).figures
    assert pictures.phone_svg == "" and pictures.phone_note.startswith("raster: ")
    [declined] = engine.result(snippets["declined.py"]).figures
    assert declined.phone_svg == "" and "phone(fig) keeps only the wide drawing" in declined.phone_note

    cached = project({}).cache.get(panels.key)  # another engine over the same cache: both come back
    assert cached.cached and cached.figures == panels.figures
    packed = pack(panels, secret=None)  # the remote cache's format: both drawings as blobs
    manifest = read_manifest(packed.manifest, panels.key, secret=None)
    assert len(manifest["files"]) == 2
    assert unpack(manifest, packed.blobs).figures == panels.figures


def test_a_phone_hook_that_raises_fails_the_run_at_its_line(project) -> None:
    engine = project({"broken.py": BROKEN_HOOK})
    [snippet] = engine.snippet_files()
    engine.run([snippet])
    result = engine.result(snippet)
    assert result.status == "error" and "no phone layout today" in result.error
    assert result.error_location == f"snippets/broken.py:{BROKEN_HOOK.count(chr(10))}"


def test_the_layout_keeps_text_readable_and_clear_of_other_text() -> None:
    exec(textwrap.dedent(PANELS), {})
    figure = plt.gcf()
    lay_out(figure)
    assert text_problems(figure) == []
    assert min(t.get_fontsize() for ax in figure.axes for t in ax.get_xticklabels()) >= PHONE_MIN_PT
    assert [ax.get_legend().get_bbox_to_anchor() != ax.bbox for ax in figure.axes] == [True, True]
    plt.close(figure)


def test_overlapping_or_clipped_text_is_found_by_its_extent() -> None:
    figure = plt.figure(figsize=(3, 2))
    figure.text(0.1, 0.5, "one label here")
    figure.text(0.15, 0.5, "another label")
    figure.text(0.9, 0.1, "runs past the edge")
    problems = text_problems(figure)
    assert "'one label here' overlaps 'another label'" in problems
    assert "'runs past the edge' is cut off at the figure's edge" in problems
    plt.close(figure)


def test_only_pictures_without_axes_are_raster_by_nature() -> None:
    figure, (left, right) = plt.subplots(1, 2)
    left.imshow([[0, 1], [1, 0]])
    right.imshow([[0, 1], [1, 0]])
    assert not raster_by_nature(figure)  # a heatmap with ticks is a chart: it gets a phone layout
    left.axis("off"), right.axis("off")
    assert raster_by_nature(figure)
    plt.close(figure)


def test_a_fallback_says_why_in_the_build_log(project) -> None:
    crowded = "import matplotlib.pyplot as plt\nfig = plt.figure()\n" + "".join(
        f"fig.text(0.02, {n / 40:.3f}, 'a long label that cannot move {n}', fontsize=12)\n" for n in range(40)
    )
    engine = project({"crowded.py": crowded})
    [snippet] = engine.snippet_files()
    engine.run([snippet])
    result = engine.result(snippet)
    [figure] = result.figures
    assert figure.phone_svg == "" and figure.svg
    [notice] = result.notices
    assert re.match(r"snippets/crowded\.py: figure 1: its phone drawing was not kept .* overlaps ", notice)
    assert notice == f"snippets/crowded.py: figure 1: {figure.phone_note}"  # the report's note
