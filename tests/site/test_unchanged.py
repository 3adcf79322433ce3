"""The manifest of the pre-step's inputs (site_tools/site/unchanged.py): a rebuild skips the pre-step
only when nothing it reads moved. Each kind of input is changed with its size and mtime kept (a
same-length edit with the mtime set back, ``cp -p`` of another file over it) and must be seen; a
file saved with the same text must not cost a collection."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from site_tools.site import unchanged
from site_tools.site.unchanged import InputsManifest, identity

CONFIG = {"site_name": "A blog", "plugins": ["site-tools"]}


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "site"
    for name, text in {
        "docs/post.md": "# A post\n\nThe loss falls.\n",
        "snippets/curve.py": "import helper\nprint(helper.SCALE * 2)\n",
        "snippets/helper.py": "SCALE = 3\n",
        "snippets/data/points.csv": "1,2\n3,4\n",
        "snippets/data/other.csv": "5,6\n7,8\n",
    }.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    packages = tmp_path / "site-packages"
    packages.mkdir()
    monkeypatch.setattr(unchanged.site, "getsitepackages", lambda: [str(packages)])
    return root


def roots(site: Path) -> list[Path]:
    return [site / "docs", site / "snippets"]


def manifest(site: Path, config: dict = CONFIG, environ: dict | None = None) -> InputsManifest:
    digest = identity(site / "mkdocs.yml", config, environ or {})
    return InputsManifest(site / ".cache" / "inputs.json", digest)


def built(site: Path, **kwargs) -> InputsManifest:
    """A good build: the files listed before and recorded after."""
    inputs = manifest(site, **kwargs)
    inputs.begin(roots(site))
    assert inputs.save(roots(site), set(), {"config": "generated.yml"})
    return inputs


def edit_keeping_size_and_mtime(path: Path, old: str, new: str) -> None:
    assert len(old) == len(new)
    before = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns


def test_nothing_changed_hands_back_what_the_build_recorded(site: Path) -> None:
    built(site)
    inputs = manifest(site)
    assert inputs.unchanged() == {"config": "generated.yml"}
    assert inputs.checked == 5


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        ("docs/post.md", "falls", "rises"),  # a page
        ("snippets/curve.py", "* 2", "* 5"),  # a snippet
        ("snippets/helper.py", "3", "4"),  # a helper it imports
        ("snippets/data/points.csv", "1,2", "9,9"),  # a data file
    ],
)
def test_a_same_length_edit_with_its_mtime_set_back_is_seen(
    site: Path, name: str, old: str, new: str
) -> None:
    built(site)
    edit_keeping_size_and_mtime(site / name, old, new)
    assert manifest(site).unchanged() is None


def test_another_file_copied_over_with_cp_p_is_seen(site: Path) -> None:
    built(site)
    data = site / "snippets" / "data"
    os.utime(data / "other.csv", ns=(0, (data / "points.csv").stat().st_mtime_ns))
    shutil.copy2(data / "other.csv", data / "points.csv")  # cp -p: same size, same mtime, new text
    assert manifest(site).unchanged() is None


def test_a_file_added_or_removed_is_seen(site: Path) -> None:
    built(site)
    (site / "docs" / "second.md").write_text("# Two\n", encoding="utf-8")
    assert manifest(site).unchanged() is None
    (site / "docs" / "second.md").unlink()
    (site / "snippets" / "data" / "other.csv").unlink()
    assert manifest(site).unchanged() is None


def test_an_option_a_variable_or_an_installed_package_is_seen(site: Path, tmp_path: Path) -> None:
    built(site, environ={"SITE_TOOLS_WORKERS": "2", "HOME": "/home/a"})
    assert manifest(site, environ={"SITE_TOOLS_WORKERS": "2", "HOME": "/home/b"}).unchanged() is not None
    assert manifest(site, environ={"SITE_TOOLS_WORKERS": "1"}).unchanged() is None
    assert manifest(site, config={**CONFIG, "site_name": "B blog"}, environ={}).unchanged() is None
    built(site)
    (tmp_path / "site-packages" / "torch-2.14.0.dist-info").mkdir()  # a package upgraded
    assert manifest(site).unchanged() is None


def test_a_file_saved_with_the_same_text_is_hashed_once_then_known_by_its_stat(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built(site)
    page = site / "docs" / "post.md"
    page.write_text(page.read_text(encoding="utf-8"), encoding="utf-8")  # saved again, unchanged
    os.utime(page, ns=(0, page.stat().st_mtime_ns + 10**9))
    assert manifest(site).unchanged() is not None
    recorded = json.loads((site / ".cache" / "inputs.json").read_text(encoding="utf-8"))["files"]
    assert recorded[str(page)][:4] == list(unchanged._stat(page))
    monkeypatch.setattr(unchanged, "_digest", lambda path: pytest.fail(f"{path} hashed again"))
    assert manifest(site).unchanged() is not None


def test_an_edit_during_the_build_is_not_recorded_as_read(site: Path) -> None:
    built(site)
    inputs = manifest(site)
    inputs.begin(roots(site))
    generated = site / "docs" / "downloads" / "curve.py"  # what the pre-step writes may appear
    generated.parent.mkdir()
    generated.write_text("print(6)\n", encoding="utf-8")
    edit_keeping_size_and_mtime(site / "snippets" / "curve.py", "* 2", "* 7")  # the author saves meanwhile
    assert not inputs.save(roots(site), {str(generated)}, {"config": "generated.yml"})
    assert manifest(site).unchanged() is None  # the last good build's manifest is gone too
    inputs.begin(roots(site))
    assert inputs.save(roots(site), {str(generated)}, {"config": "generated.yml"})
    assert manifest(site).unchanged() is not None


def test_a_link_to_a_parent_folder_is_read_once(site: Path) -> None:
    (site / "docs" / "again").symlink_to(site / "docs", target_is_directory=True)
    assert built(site).recorded() is not None  # the walk ended
    assert manifest(site).unchanged() is not None
