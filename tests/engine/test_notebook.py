"""Jupytext notebooks through the engine: cells share state, figures per cell, errors at the file line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

NOTEBOOK = """# %% [markdown]
# # A notebook

# %%
import matplotlib.pyplot as plt
x = [1, 2, 3]
print("cell one")

# %%
plt.plot(x)
plt.title("from cell two")

# %% [markdown]
# Some prose between the cells.

# %%
print(sum(x))
raise KeyError("on purpose")
"""


def test_cells_share_state_and_errors_point_at_the_file_line(project, tmp_path: Path) -> None:
    engine = project({})
    path = tmp_path / "docs" / "nb.py"
    path.parent.mkdir()
    path.write_text(NOTEBOOK)
    snippet = engine.notebook(path)
    assert snippet.name == "docs/nb.py" and [c.first_line for c in snippet.cells] == [5, 10, 17]
    engine.run([snippet])
    result = engine.result(snippet)
    assert result.status == "error"
    assert [len(cell.figures) for cell in result.cells] == [0, 1, 0]
    assert [cell.stdout for cell in result.cells] == ["cell one\n", "", "6\n"]
    assert result.error_location == "docs/nb.py:18"
    assert "KeyError: 'on purpose'" in result.error


READ_CELLS = """
import json, sys
from pathlib import Path
from site_tools.engine import Engine, EngineConfig
root = Path(sys.argv[1])
engine = Engine(EngineConfig(root=root, snippets_dir=root / "snippets", cache_dir=root / ".cache"))
snippet = engine.notebook(root / "docs" / "nb.py")
cells = [[cell.code, cell.first_line] for cell in snippet.cells]
print(json.dumps({"cells": cells, "jupytext": "jupytext" in sys.modules}))
"""


def _read_cells(root: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", READ_CELLS, str(root)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_an_unchanged_notebook_is_not_parsed_again_and_any_edit_is(project, tmp_path: Path) -> None:
    """A build whose notebook did not change never imports jupytext; an edit that keeps the file's
    size and modification time (a same-length change, the time restored) is still read again."""
    project({})
    path = tmp_path / "docs" / "nb.py"
    path.parent.mkdir()
    path.write_text(NOTEBOOK)
    first = _read_cells(tmp_path)
    assert first["jupytext"] and [line for _, line in first["cells"]] == [5, 10, 17]
    again = _read_cells(tmp_path)
    assert again == {**first, "jupytext": False}
    before = path.stat()
    path.write_text(NOTEBOOK.replace("cell one", "cell 1!!"))  # the same length
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    edited = _read_cells(tmp_path)
    assert edited["jupytext"] and 'print("cell 1!!")' in edited["cells"][0][0]
