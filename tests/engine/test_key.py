"""Cache keys: stable for the same inputs anywhere, different when anything that matters changes."""

from __future__ import annotations

import shutil
from pathlib import Path

from site_tools.engine.store import key as key_module

SNIPPET = "import helper\nprint(helper.VALUE)\n"


def _key(engine, name: str = "main.py") -> str:
    return engine.key(engine.file_snippet(engine.config.snippets_dir / name))


def test_same_inputs_same_key_in_another_folder(project, tmp_path: Path) -> None:
    engine = project({"main.py": SNIPPET, "helper.py": "VALUE = 1\n"})
    first = _key(engine)
    assert first == _key(engine)
    clone = tmp_path.parent / f"{tmp_path.name}-clone"
    shutil.copytree(tmp_path, clone)
    from site_tools.engine import Engine, EngineConfig

    other = Engine(
        EngineConfig(root=clone, snippets_dir=clone / "snippets", cache_dir=clone / ".cache", timeout=30.0)
    )
    assert _key(other) == first


def test_source_change_changes_key(project) -> None:
    engine = project({"main.py": SNIPPET, "helper.py": "VALUE = 1\n"})
    before = _key(engine)
    (engine.config.snippets_dir / "main.py").write_text(SNIPPET + "# edited\n")
    assert _key(engine) != before


def test_helper_module_change_changes_key(project) -> None:
    engine = project({"main.py": SNIPPET, "helper.py": "import deeper\nVALUE = 1\n", "deeper.py": "X = 1\n"})
    before = _key(engine)
    (engine.config.snippets_dir / "deeper.py").write_text("X = 2\n")  # imported through helper
    assert _key(engine) != before


def test_unrelated_file_does_not_change_key(project) -> None:
    engine = project({"main.py": SNIPPET, "helper.py": "VALUE = 1\n", "other.py": "Y = 1\n"})
    before = _key(engine)
    (engine.config.snippets_dir / "other.py").write_text("Y = 2\n")
    assert _key(engine) == before


def test_library_versions_change_key(project, monkeypatch) -> None:
    engine = project({"main.py": "print(1)\n"})
    before = _key(engine)
    versions = dict(key_module.runtime_versions())
    versions["torch"] = "9.9.9"
    monkeypatch.setattr(key_module, "runtime_versions", lambda: versions)
    assert _key(engine) != before


def test_python_enters_by_major_minor_torch_with_its_build_tag(monkeypatch) -> None:
    key_module.runtime_versions.cache_clear()
    monkeypatch.setattr(key_module.platform, "python_version_tuple", lambda: ("3", "11", "4"))
    monkeypatch.setattr(key_module.platform, "python_implementation", lambda: "CPython")
    monkeypatch.setattr(key_module.metadata, "version", lambda name: {"torch": "2.13.0+cpu"}.get(name, "1.0"))
    try:
        patch_four = key_module.runtime_versions()
        key_module.runtime_versions.cache_clear()
        monkeypatch.setattr(key_module.platform, "python_version_tuple", lambda: ("3", "11", "9"))
        assert key_module.runtime_versions() == patch_four  # a patch release shares results
        assert patch_four["python"] == "CPython 3.11"
        assert patch_four["torch"] == "2.13.0+cpu"  # the local build tag stays in the key
    finally:
        key_module.runtime_versions.cache_clear()
