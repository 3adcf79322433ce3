"""Jupytext notebooks through the engine: cells share state, figures per cell, errors at the file line."""

from __future__ import annotations

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
