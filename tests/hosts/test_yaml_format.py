"""A YAML site config read with PyYAML alone gives what MkDocs' own loader gives: ``!ENV``, ``INHERIT``,
tags; where MkDocs would quietly read an unset ``!ENV`` as nothing, it says which line to fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_tools.configfile import ConfigFileError, open_config
from site_tools.configfile.yaml_format import dump_yaml

PARENT = """\
site_name: parent
theme:
  name: material
  features: [a, b]
markdown_extensions:
  - toc
"""
CHILD = """\
INHERIT: base/parent.yml
site_name: !ENV [ST_TEST_UNSET, ST_TEST_NAME, fallback]
theme:
  features: [c]
extra:
  workers: !ENV ST_TEST_WORKERS
  missing: !ENV [ST_TEST_UNSET, 3]
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
plugins:
  - site-tools:
      workers: !ENV [ST_TEST_WORKERS, 1]
"""


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "base").mkdir()
    (tmp_path / "base" / "parent.yml").write_text(PARENT)
    (tmp_path / "mkdocs.yml").write_text(CHILD)
    monkeypatch.setenv("ST_TEST_NAME", "from env")
    monkeypatch.setenv("ST_TEST_WORKERS", "2")
    monkeypatch.delenv("ST_TEST_UNSET", raising=False)
    return tmp_path


def test_env_inherit_and_python_tags(site: Path) -> None:
    data = open_config(site).data
    assert data["site_name"] == "from env"
    assert data["theme"] == {"name": "material", "features": ["c"]}  # merged mapping, replaced list
    assert data["extra"] == {"workers": 2, "missing": 3}
    emoji = data["markdown_extensions"][0]["pymdownx.emoji"]["emoji_index"]
    assert emoji == "material.extensions.emoji.twemoji"  # kept as text, nothing imported
    assert open_config(site).plugin(("site-tools",)) == {"workers": 2}


def test_dumped_back_with_its_tags(site: Path) -> None:
    text = dump_yaml(open_config(site).data)
    assert "emoji_index: !!python/name:material.extensions.emoji.twemoji" in text
    (site / "again.yml").write_text(text)
    (site / "mkdocs.yml").write_text("INHERIT: again.yml\n")
    assert open_config(site).data["markdown_extensions"] == [
        {"pymdownx.emoji": {"emoji_index": "material.extensions.emoji.twemoji"}}
    ]


def test_same_as_mkdocs_own_loader(site: Path) -> None:
    mkdocs_yaml = pytest.importorskip("mkdocs.utils.yaml")
    with (site / "mkdocs.yml").open("rb") as handle:
        theirs = mkdocs_yaml.yaml_load(handle)
    ours = open_config(site).data
    theirs["markdown_extensions"][0]["pymdownx.emoji"]["emoji_index"] = "material.extensions.emoji.twemoji"
    assert ours == theirs


def test_a_missing_parent_names_the_line(site: Path) -> None:
    (site / "base" / "parent.yml").unlink()
    with pytest.raises(ConfigFileError) as caught:
        open_config(site)
    assert str(caught.value.problem).startswith("mkdocs.yml:1")
    assert "base/parent.yml does not exist" in str(caught.value)


def test_bad_yaml_in_the_parent_names_the_parent(site: Path) -> None:
    (site / "base" / "parent.yml").write_text("site_name: [unclosed\n")
    with pytest.raises(ConfigFileError) as caught:
        open_config(site)
    assert str(caught.value.problem).startswith("base/parent.yml:")


def test_an_unset_variable_without_a_default_names_its_line(site: Path) -> None:
    config = "site_name: x\nplugins:\n  - site-tools:\n      cache_url: !ENV ST_TEST_UNSET\n"
    (site / "mkdocs.yml").write_text(config)
    with pytest.raises(ConfigFileError) as caught:
        open_config(site)
    message = str(caught.value.problem)
    assert message.startswith("mkdocs.yml:4: environment variable ST_TEST_UNSET is not set")
    assert "!ENV [ST_TEST_UNSET, default]" in message


def test_an_inherit_loop_names_the_file_and_line(site: Path) -> None:
    (site / "mkdocs.yml").write_text("site_name: x\nINHERIT: other.yml\n")
    (site / "other.yml").write_text("INHERIT: mkdocs.yml\n")
    with pytest.raises(ConfigFileError) as caught:
        open_config(site)
    assert str(caught.value.problem) == "other.yml:1: mkdocs.yml inherits from itself (a loop)"
