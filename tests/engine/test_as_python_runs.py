"""Snippets as authors write them: BOM, warnings, missing glyphs, `\\r` progress, torch.compile."""

from __future__ import annotations

import re

from tests.engine.test_run import _run

WARNS = """\
import logging
import sys
import warnings

import matplotlib.pyplot as plt


def helper():
    warnings.warn("careful", UserWarning, stacklevel=2)


helper()
helper()  # another line: a second warning
for _ in range(3):
    warnings.warn("same place, once", RuntimeWarning)
print("to stderr", file=sys.stderr)
logging.getLogger("snippet").warning("logged")
fig, ax = plt.subplots()
ax.set_title("損失 📉")
"""


def test_a_bom_is_accepted(project) -> None:
    engine = project({})
    (engine.config.snippets_dir / "bom.py").write_bytes(b"\xef\xbb\xbfprint('fine')\n")
    result, _ = _run(engine, "bom.py")
    assert result.ok, result.error
    assert result.stdout == "fine\n"


def test_warnings_stderr_and_missing_glyphs_are_recorded_with_their_line(project) -> None:
    engine = project({"warns.py": WARNS})
    result, _ = _run(engine, "warns.py")
    assert result.ok, result.error
    assert result.warnings[:3] == (
        "snippets/warns.py:12: UserWarning: careful",
        "snippets/warns.py:13: UserWarning: careful",
        "snippets/warns.py:15: RuntimeWarning: same place, once",
    )
    glyphs = result.warnings[3]
    assert glyphs.startswith("snippets/warns.py: figure 1: missing glyphs: the font DejaVu Sans has no")
    assert "'損' (U+640D), '失' (U+5931), '📉' (U+1F4C9)" in glyphs
    assert len(result.warnings) == 4
    assert result.cells[0].stderr == "to stderr\nlogged\n"
    # The figure keeps that title as text, for the reader's fonts; other text is still paths.
    svg = result.figures[0].svg
    assert re.search(r"<text[^>]*>損失 📉</text>", svg)


def test_torch_compile_works_and_keeps_its_caches_in_the_working_folder(project) -> None:
    code = (
        "import os\nimport torch\n\n"
        "@torch.compile\ndef f(x):\n    return torch.sin(x) * 2 + 1\n\n"
        "print(float(f(torch.zeros(4))[0]))\n"
        "print(os.environ['TORCHINDUCTOR_CACHE_DIR'].startswith(os.getcwd()))\n"
    )
    engine = project({"compiled.py": code}, timeout=300.0)
    result, _ = _run(engine, "compiled.py")
    assert result.ok, result.error
    assert result.stdout == "1.0\nTrue\n"
