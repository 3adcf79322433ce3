"""A notebook page follows its source: prose edits show at once, and only code edits run it again."""

from __future__ import annotations

import json
from pathlib import Path

from tests.plugin.conftest import build_site

MKDOCS = """site_name: Notebooks
theme:
  name: material
  font: false
plugins:
  - site-tools:
      cache_dir: .cache/site_tools
      validate_posts: false
      notebooks: ["tutorials/*.py"]
nav:
  - index.md
  - tutorials/nb.ipynb
not_in_nav: |
  /execution-report.md
"""

NOTEBOOK = """# %% [markdown]
# # A tutorial
#
# {prose}

# %%
print(6 * 7)
"""


def _cells(site: Path) -> list[str]:
    notebook = json.loads((site / "tutorials" / "nb.ipynb").read_text(encoding="utf-8"))
    return ["".join(cell["source"]) for cell in notebook["cells"]]


def test_editing_a_markdown_cell_changes_the_page_and_runs_nothing(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    (tmp_path / "snippets").mkdir()
    tutorials = tmp_path / "docs" / "tutorials"
    tutorials.mkdir(parents=True)
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    source = tutorials / "nb.py"
    source.write_text(NOTEBOOK.format(prose="The old prose."), encoding="utf-8")

    first = build_site(tmp_path)
    assert first.returncode == 0, first.log
    assert first.counts["executed"] == 1
    assert any("The old prose." in cell for cell in _cells(first.site))

    source.write_text(NOTEBOOK.format(prose="The new prose."), encoding="utf-8")
    second = build_site(tmp_path)
    assert second.returncode == 0, second.log
    assert (second.counts["executed"], second.counts["cached"]) == (0, 1)  # keyed by the code alone
    cells = _cells(second.site)
    assert any("The new prose." in cell for cell in cells)
    assert not any("The old prose." in cell for cell in cells)
