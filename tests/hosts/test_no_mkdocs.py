"""A Zensical-only install has no MkDocs: the engine, the site layer, the Markdown extension, the CLI
and the pytest plugin import and read the site config without it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]

BLOCK_AND_IMPORT = """
import sys

class NoMkDocs:
    def find_spec(self, name, path=None, target=None):
        if name == "mkdocs" or name.startswith(("mkdocs.", "material")):
            raise ModuleNotFoundError(f"No module named {name!r} (blocked by the test)")
        return None

sys.meta_path.insert(0, NoMkDocs())
import site_tools.engine, site_tools.site.state, site_tools.site.page, site_tools.markdown
import site_tools.hosts.cli, site_tools.hosts.pytest_plugin
from site_tools.project import load_project
from site_tools.hosts.cli.site import citation_problems, embed_problems
from pathlib import Path
project = load_project(Path(sys.argv[1]))
print(project.options.notebooks, len(embed_problems(project.config)), len(citation_problems(project.config)))
print(sorted(name for name in sys.modules if name.startswith(("mkdocs", "material"))))
"""


def test_everything_but_the_mkdocs_plugin_imports_without_mkdocs() -> None:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(
        [sys.executable, "-c", BLOCK_AND_IMPORT, str(ROOT)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    options, modules = result.stdout.strip().splitlines()
    assert options == "('tutorials/*.py',) 0 0"
    assert modules == "[]"
