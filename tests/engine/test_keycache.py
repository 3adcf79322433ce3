"""Warm builds pay a stat per file for their keys, not a parse and a hash; any change is still seen."""

from __future__ import annotations

import os
import time
from pathlib import Path

from site_tools.engine import session
from site_tools.engine.collect import deps
from site_tools.engine.store import keycache
from site_tools.engine.store.key import runtime_versions
from site_tools.engine.store.keycache import FILENAME

USES_HELPER = "from helper import SCALE\nprint(SCALE)\n"
HOUR_AGO = time.time() - 3600


def _age(folder: Path) -> None:
    """Every file and folder as if written an hour ago: past the racy window, so keys are remembered."""
    for path in [folder, *folder.rglob("*")]:
        os.utime(path, (HOUR_AGO, HOUR_AGO))


def _keys(project, files=None) -> dict[str, str]:
    engine = project(files or {})
    keys = {snippet.name: engine.key(snippet) for snippet in engine.snippet_files()}
    engine.keys.save()
    return keys


def test_an_unchanged_snippet_keeps_its_key_without_hashing(project, tmp_path, monkeypatch) -> None:
    first = _keys(project, {"a.py": USES_HELPER, "helper.py": "SCALE = 2\n"})
    _age(tmp_path / "snippets")
    assert _keys(project) == first  # recorded now that the files are old enough to trust
    assert (tmp_path / ".cache" / FILENAME).is_file()

    def refuse(*args, **kwargs):
        raise AssertionError("the key was computed again")

    monkeypatch.setattr(session, "snippet_key", refuse)
    assert _keys(project) == first


def test_an_edited_helper_or_a_new_module_changes_the_key(project, tmp_path) -> None:
    code = "import extra\nfrom helper import SCALE\nprint(SCALE)\n"
    first = _keys(project, {"a.py": code, "helper.py": "SCALE = 2\n"})
    _age(tmp_path / "snippets")
    assert _keys(project) == first
    helper = tmp_path / "snippets" / "helper.py"
    helper.write_text("SCALE = 3\n", encoding="utf-8")  # same size: only the mtime tells
    os.utime(helper, (HOUR_AGO + 60, HOUR_AGO + 60))
    edited = _keys(project)
    assert edited != first
    (tmp_path / "snippets" / "extra.py").write_text("VALUE = 1\n", encoding="utf-8")  # now a local import
    assert _keys(project)["snippets/a.py"] != edited["snippets/a.py"]


def test_a_damaged_key_record_is_ignored(project, tmp_path) -> None:
    first = _keys(project, {"a.py": "print(1)\n"})
    _age(tmp_path / "snippets")
    _keys(project)
    (tmp_path / ".cache" / FILENAME).write_text('{"version": 1, "entries": {"x": 3}', encoding="utf-8")
    assert _keys(project) == first


def test_versions_are_read_again_only_when_a_package_folder_changes(project, tmp_path, monkeypatch) -> None:
    packages = tmp_path / "site-packages"
    packages.mkdir()
    monkeypatch.setattr(keycache, "_package_folders", lambda: [packages])
    first = _keys(project, {"a.py": "print(1)\n"})
    read: list[int] = []

    def counted():
        read.append(1)
        return runtime_versions()

    monkeypatch.setattr(keycache, "runtime_versions", counted)
    assert _keys(project) == first and read == []  # the recorded versions serve
    (packages / "torch-9.0.dist-info").mkdir()  # a package installed: the folder's mtime moves
    os.utime(packages, (HOUR_AGO, HOUR_AGO))
    assert _keys(project) == first and read == [1]


def test_a_copied_project_stats_its_own_files_not_those_it_was_copied_from(project, tmp_path) -> None:
    """The key record travels with the cache (a CI clone, a second checkout, a serving copy): an edit
    in the copy changes its keys even while the original folder is still there, unchanged."""
    import shutil

    from site_tools.engine import Engine, EngineConfig

    first = _keys(project, {"a.py": USES_HELPER, "helper.py": "SCALE = 2\n"})
    _age(tmp_path / "snippets")
    assert _keys(project) == first  # now recorded
    copy = tmp_path / "copy"
    shutil.copytree(tmp_path / "snippets", copy / "snippets")
    shutil.copytree(tmp_path / ".cache", copy / ".cache")

    def copy_keys() -> dict[str, str]:
        config = EngineConfig(
            root=copy, snippets_dir=copy / "snippets", cache_dir=copy / ".cache", timeout=30.0
        )
        engine = Engine(config)
        return {snippet.name: engine.key(snippet) for snippet in engine.snippet_files()}

    assert copy_keys() == first  # copied with its times: the record still holds there
    (copy / "snippets" / "helper.py").write_text("SCALE = 30\n", encoding="utf-8")
    assert copy_keys() != first


def test_which_files_are_helpers_is_parsed_again_only_for_a_changed_text(project, monkeypatch) -> None:
    """Each text's imports are kept under its digest (``deps.keep_parsed_imports``): an unchanged
    folder is not parsed again; an edit that keeps size and modification time is still seen."""
    engine = project({"helper.py": "VALUE = 1\n", "main.py": "import helper\n", "other.py": "import os  \n"})
    names = lambda: [snippet.name for snippet in engine.snippet_files()]  # noqa: E731
    deps.imported_modules.cache_clear()  # a build process starts with nothing in memory
    assert names() == ["snippets/main.py", "snippets/other.py"]
    deps.imported_modules.cache_clear()
    parsed: list[str] = []
    monkeypatch.setattr(deps, "_parse", lambda code, package: parsed.append(code) or frozenset())
    assert names() == ["snippets/main.py", "snippets/other.py"] and parsed == []
    monkeypatch.undo()
    other = engine.config.snippets_dir / "other.py"
    before = other.stat()
    other.write_text("import helper\n")  # the same length: helper.py is now imported twice
    os.utime(other, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert names() == ["snippets/main.py", "snippets/other.py"]
    other.write_text("import main  \n")  # main.py becomes a helper of other.py
    os.utime(other, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert names() == ["snippets/other.py"]
