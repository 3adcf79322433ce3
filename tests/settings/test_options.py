"""The one options schema: parsing, precedence, messages, and the documentation made from it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from site_tools.configfile import PLUGIN_NAMES
from site_tools.configfile.yaml_format import option_line
from site_tools.project import load_project
from site_tools.settings import OptionsError, SiteToolsOptions, load_options, options_markdown

GUIDE = Path(__file__).parents[2] / "docs" / "contributing.md"
MKDOCS_YML = """\
site_name: x
plugins:
  - search
  - site-tools:
      workers: two
      execute: "no"
"""


def test_quoted_no_is_false_and_quoted_numbers_are_numbers() -> None:
    options = load_options({"execute": "no", "workers": "2", "timeout": "30"}, environ={})
    assert options.execute is False
    assert options.workers == 2 and isinstance(options.workers, int)
    assert options.timeout == 30.0


@pytest.mark.parametrize(
    ("raw", "wanted"),
    [
        ({"workers": "two"}, "`workers` is 'two'; use a whole number, e.g. 2"),
        ({"workers": 1.5}, "`workers` is 1.5; use a whole number, e.g. 2"),
        ({"workers": 0}, "`workers` is 0; use a number of at least 1"),
        ({"execute": "maybe"}, "`execute` is 'maybe'; use true or false"),
        ({"timeout": True}, "`timeout` is True; use a number"),
        ({"notebooks": [1]}, "`notebooks` is [1]; use a list of texts"),
        ({"worker": 2}, "site-tools has no option `worker` (did you mean `workers`?)"),
    ],
)
def test_bad_options_name_the_file_the_line_and_the_fix(raw: dict, wanted: str) -> None:
    with pytest.raises(OptionsError) as caught:
        load_options(raw, environ={}, line_of=lambda key: 12)
    assert str(caught.value).startswith(f"mkdocs.yml:12: {wanted}")


def test_environment_wins_and_its_mistakes_name_the_variable() -> None:
    assert load_options({"execute": True}, environ={"SITE_TOOLS_EXECUTE": "0"}).execute is False
    assert load_options({"execute": False}, environ={"SITE_TOOLS_EXECUTE": "yes"}).execute is True
    assert load_options({}, environ={"SITE_TOOLS_EXECUTE": ""}).execute is True  # empty: unset
    wanted = r"^environment variable SITE_TOOLS_EXECUTE: `execute` is 'sometimes'"
    with pytest.raises(OptionsError, match=wanted):
        load_options({}, environ={"SITE_TOOLS_EXECUTE": "sometimes"})


def test_every_mistake_is_reported_at_once() -> None:
    with pytest.raises(OptionsError) as caught:
        load_options({"workers": "x", "timeout": "y", "colour": 1}, environ={})
    assert len(caught.value.problems) == 3


def test_option_line_finds_the_key_inside_the_plugin_entry() -> None:
    text = "plugins:\n  - blog:\n      workers: 9\n  - site-tools:\n      timeout: 3\n      workers: 2\n"
    assert option_line(text, "workers", under=PLUGIN_NAMES) == 6
    assert option_line(text, "timeout", under=PLUGIN_NAMES) == 5
    assert option_line(text, "memory_limit_mb", under=PLUGIN_NAMES) is None


def test_project_reads_env_tags_and_inherit_as_mkdocs_does(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "base.yml").write_text(
        "site_name: base\nplugins:\n  - site-tools:\n      workers: !ENV [ST_TEST_WORKERS, 1]\n"
    )
    (tmp_path / "mkdocs.yml").write_text("INHERIT: base.yml\ndocs_dir: pages\n")
    monkeypatch.setenv("ST_TEST_WORKERS", "3")
    project = load_project(tmp_path)
    assert project.plugin_enabled and project.options.workers == 3
    assert project.docs_dir == tmp_path / "pages"


def test_project_errors_point_into_mkdocs_yml(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text(MKDOCS_YML)
    with pytest.raises(OptionsError) as caught:
        load_project(tmp_path, environ={})
    assert str(caught.value) == "mkdocs.yml:5: `workers` is 'two'; use a whole number, e.g. 2"


def test_every_option_is_documented_in_the_contributing_guide() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    table = re.search(r"<!-- options:start -->\n(.*?)<!-- options:end -->", guide, flags=re.S)
    assert table, "no options table in docs/contributing.md"
    assert table.group(1) == options_markdown(), "regenerate the table from site_tools.settings"
    for spec in SiteToolsOptions.fields():
        assert spec.metadata["doc"].strip() and f"| `{spec.name}` |" in table.group(1)
