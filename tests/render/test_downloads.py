"""Downloads run alone: what Python wants first stays first, helper modules and packages travel inside.

Each generated file is run for real, with ``python`` in an empty folder (no snippets/ on the path);
the snippets here import matplotlib only, so a run takes about a second.
"""

from __future__ import annotations

from pathlib import Path

from site_tools.engine.collect.deps import local_dependencies
from site_tools.engine.collect.source import read_source
from site_tools.render.downloads import bundled_script, script_notebook, split_preamble
from tests.site.downloads_support import run_download

PACKAGE = {
    "probe_pkg/__init__.py": '"""A helper package."""\n\nfrom .util import SLOPE as SLOPE\n',
    "probe_pkg/util.py": (
        "from __future__ import annotations\n\nfrom . import consts\n\nSLOPE = 2.0 * consts.K\n"
    ),
    "probe_pkg/consts.py": "K = 1.5\n",
    "shared.py": "OFFSET = 1\n",
}
SNIPPET = (
    '"""A snippet written the way people write them."""\n\n'
    "from __future__ import annotations\n\n"
    "import matplotlib.pyplot as plt\n"
    "import probe_pkg.util\n"
    "import shared\n"
    "from probe_pkg.util import SLOPE\n\n"
    'text: str = "héllo"\n'
    "plt.plot([0, 1], [0, SLOPE + shared.OFFSET])\n"
    'print("slope", probe_pkg.util.SLOPE, SLOPE, text)\n'
)


def _write(snippets: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = snippets / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())


def _download(tmp_path: Path, snippet: bytes) -> tuple[str, dict[str, str]]:
    snippets = tmp_path / "snippets"
    _write(snippets, {**PACKAGE, "probe.py": snippet})
    code = read_source(snippets / "probe.py")
    helpers = {m.relative_to(snippets).as_posix(): read_source(m) for m in local_dependencies(code, snippets)}
    return code, helpers


def test_future_import_docstring_and_package_run_alone(tmp_path: Path) -> None:
    code, helpers = _download(tmp_path, SNIPPET.encode())
    assert sorted(helpers) == [*sorted(PACKAGE)]
    script = tmp_path / "probe.py"
    script.write_text(bundled_script(code, helpers, source="snippets/probe.py"), encoding="utf-8")
    outcome = run_download(script, tmp_path / "empty")
    assert outcome.returncode == 0, outcome.output
    assert "slope 3.0 3.0 héllo" in outcome.output


def test_bom_shebang_and_latin1_cookie_run_alone(tmp_path: Path) -> None:
    source = "#!/usr/bin/env python\n# -*- coding: latin-1 -*-\n" + SNIPPET
    code, helpers = _download(tmp_path, source.encode("latin-1"))
    assert "héllo" in code
    text = bundled_script(code, helpers, source="snippets/probe.py")
    assert text.startswith("#!/usr/bin/env python\n") and "latin-1" not in text
    script = tmp_path / "probe.py"
    script.write_text(text, encoding="utf-8")
    outcome = run_download(script, tmp_path / "empty")
    assert outcome.returncode == 0, outcome.output
    bom = _download(tmp_path / "bom", b"\xef\xbb\xbf" + SNIPPET.encode())[0]
    assert bom == SNIPPET  # what the engine compiles and keys: the BOM is gone


def test_a_helper_error_names_the_helper_file(tmp_path: Path) -> None:
    code, helpers = _download(tmp_path, SNIPPET.encode())
    helpers["probe_pkg/consts.py"] = "K = 1 / 0\n"
    script = tmp_path / "probe.py"
    script.write_text(bundled_script(code, helpers, source="snippets/probe.py"), encoding="utf-8")
    outcome = run_download(script, tmp_path / "empty")
    assert outcome.returncode == 1
    assert 'File "probe_pkg/consts.py", line 1' in outcome.output


def test_notebook_download_runs_with_a_kernel(tmp_path: Path) -> None:
    code, helpers = _download(tmp_path, SNIPPET.encode())
    notebook = tmp_path / "probe.ipynb"
    notebook.write_text(script_notebook(code, helpers, source="snippets/probe.py"), encoding="utf-8")
    outcome = run_download(notebook, tmp_path / "empty")
    assert outcome.returncode == 0, outcome.output
    executed = (tmp_path / "empty" / "executed.ipynb").read_text(encoding="utf-8")
    assert "slope 3.0 3.0" in executed


def test_preamble_is_docstring_and_future_imports_only() -> None:
    preamble, rest = split_preamble('"""Doc."""\n\nfrom __future__ import annotations\nimport os\n')
    assert preamble == '"""Doc."""\n\nfrom __future__ import annotations\n'
    assert rest == "import os\n"
    assert split_preamble("x = 1\n") == ("", "x = 1\n")
