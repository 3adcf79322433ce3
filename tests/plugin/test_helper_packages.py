"""Helper packages: keyed by every module a snippet reaches, bundled into its downloads.

Real `mkdocs build`s of a copy of the fixture site with a package ``probe_pkg/`` and two snippets
that use different parts of it; the build log says which snippets ran, so each edit shows exactly
who re-ran.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.plugin.conftest import FIXTURE, appended, build_site
from tests.site.downloads_support import run_all

pytestmark = pytest.mark.slow

FILES = {
    "snippets/probe_pkg/__init__.py": '"""A helper package; its modules are imported one by one."""\n',
    "snippets/probe_pkg/util.py": "from .consts import K\n\nSLOPE = 2.0 * K\n",
    "snippets/probe_pkg/consts.py": "K = 1.5\n",
    "snippets/probe_pkg/other.py": 'NAME = "other"\n',
    "snippets/slope.py": (
        '"""Uses probe_pkg.util, which imports .consts."""\n\nfrom __future__ import annotations\n\n'
        "import matplotlib.pyplot as plt\nfrom probe_pkg.util import SLOPE\n\n"
        'plt.plot([0, 1], [0, SLOPE])\nprint("slope is", SLOPE)\n'
    ),
    "snippets/named.py": 'import probe_pkg.other\n\nprint("name is", probe_pkg.other.NAME)\n',
}
POST_EMBEDS = "\n```snippet\nfile: slope.py\ncaption: A slope.\n```\n\n```snippet\nfile: named.py\n```\n"


def ran(build) -> set[str]:
    return set(re.findall(r"\] (snippets/\S+|docs/\S+): ok", build.log))


@pytest.fixture(scope="module")
def package_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("packages") / "site"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns(".cache", "site"))
    for name, text in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    post = root / "docs" / "blog" / "posts" / "post.md"
    post.write_text(post.read_text(encoding="utf-8") + POST_EMBEDS, encoding="utf-8")
    cold = build_site(root)
    assert cold.returncode == 0, cold.log
    assert cold.counts == {"total": 4, "executed": 4, "cached": 0, "failed": 0}
    assert "slope is 3.0" in next(cold.site.glob("blog/20*/**/index.html")).read_text(encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("edited", "reruns"),
    [
        ("consts.py", {"snippets/slope.py"}),  # reached only through util's relative import
        ("util.py", {"snippets/slope.py"}),  # `from probe_pkg.util import SLOPE`
        ("other.py", {"snippets/named.py"}),  # `import probe_pkg.other`
        ("__init__.py", {"snippets/slope.py", "snippets/named.py"}),  # both import the package
    ],
)
def test_editing_a_package_module_reruns_exactly_its_importers(
    package_site: Path, edited: str, reruns: set[str]
) -> None:
    with appended(package_site / "snippets" / "probe_pkg" / edited, "# an edit\n"):
        build = build_site(package_site)
    assert build.returncode == 0, build.log
    assert ran(build) == reruns
    assert build.counts == {"total": 4, "executed": len(reruns), "cached": 4 - len(reruns), "failed": 0}


def test_a_changed_value_in_the_package_changes_the_figure(package_site: Path) -> None:
    consts = package_site / "snippets" / "probe_pkg" / "consts.py"
    original = consts.read_text(encoding="utf-8")
    consts.write_text("K = 2.5\n", encoding="utf-8")
    try:
        build = build_site(package_site)
    finally:
        consts.write_text(original, encoding="utf-8")
    assert build.returncode == 0, build.log
    assert "slope is 5.0" in next(build.site.glob("blog/20*/**/index.html")).read_text(encoding="utf-8")


def test_downloads_of_package_users_run_alone(package_site: Path, tmp_path: Path) -> None:
    build = build_site(package_site)
    names = ("slope.py", "slope.ipynb", "named.py", "named.ipynb")
    outcomes = run_all([build.site / "downloads" / name for name in names], tmp_path)
    assert [(o.name, o.returncode) for o in outcomes] == [(name, 0) for name in names], outcomes
