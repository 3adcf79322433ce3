"""The one config reader: which file each host reads, TOML as Zensical reads it, where site-tools'
options may be written, and one error naming file, line and key for each kind of bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_tools.configfile import AmbiguousConfigError, ConfigFileError, find_config, open_config
from site_tools.posts.site_config import load_site_settings
from site_tools.project import load_project
from site_tools.settings import OptionsError

TOML = """\
[project]
site_name = "A Zensical blog"
docs_dir = "pages"

[project.plugins.blog]
categories_allowed = ["Notes", "Deep Learning"]

[project.markdown_extensions."site_tools.markdown"]
workers = 1
timeout = 30
"""
YAML = """\
site_name: A MkDocs blog
plugins:
  - blog:
      categories_allowed: [Notes]
  - site-tools:
      workers: 2
markdown_extensions:
  - site_tools.markdown
"""


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("present", "host", "chosen"),
    [
        (["mkdocs.yml"], "mkdocs", "mkdocs.yml"),
        (["properdocs.yml", "mkdocs.yml"], "properdocs", "properdocs.yml"),
        (["mkdocs.yml"], "properdocs", "mkdocs.yml"),
        (["zensical.toml", "mkdocs.yml"], "zensical", "zensical.toml"),
        (["mkdocs.yml", "properdocs.yml"], "zensical", "mkdocs.yml"),
        (["zensical.toml"], None, "zensical.toml"),
        (["properdocs.yml"], None, "properdocs.yml"),
    ],
)
def test_each_host_picks_its_own_file(
    tmp_path: Path, present: list[str], host: str | None, chosen: str
) -> None:
    write(tmp_path, dict.fromkeys(present, "site_name: x\n"))
    assert find_config(tmp_path, host=host, environ={}) == tmp_path / chosen


def test_a_command_without_a_host_refuses_to_guess_between_configs(tmp_path: Path) -> None:
    write(tmp_path, {"zensical.toml": TOML, "mkdocs.yml": YAML})
    with pytest.raises(AmbiguousConfigError) as caught:
        find_config(tmp_path, environ={})
    assert "several site configs (mkdocs.yml, zensical.toml)" in str(caught.value)
    assert "--config-file FILE or SITE_TOOLS_CONFIG=FILE" in str(caught.value)
    # Named by the flag or the variable, it is used.
    assert find_config(tmp_path, config_file=tmp_path / "mkdocs.yml", environ={}) == tmp_path / "mkdocs.yml"
    named = {"SITE_TOOLS_CONFIG": str(tmp_path / "zensical.toml")}
    assert find_config(tmp_path / "pages", environ=named) == tmp_path / "zensical.toml"


def test_found_from_a_folder_below(tmp_path: Path) -> None:
    write(tmp_path, {"zensical.toml": TOML, "pages/blog/posts/.keep": ""})
    assert find_config(tmp_path / "pages" / "blog" / "posts", environ={}) == tmp_path / "zensical.toml"


def test_a_zensical_toml_gives_the_options_folders_and_blog_settings(tmp_path: Path) -> None:
    write(tmp_path, {"zensical.toml": TOML, "pages/blog/.authors.yml": "authors:\n  ana: {name: Ana}\n"})
    project = load_project(tmp_path, environ={})
    assert project.config.name == "zensical.toml"
    assert project.docs_dir == tmp_path / "pages"
    assert (project.options.workers, project.options.timeout) == (1, 30.0)
    assert project.plugin_enabled
    settings = load_site_settings(tmp_path, project.config)
    assert settings.allowed_categories == ("Notes", "Deep Learning")
    assert settings.known_authors == ("ana",)
    assert settings.posts_dir == tmp_path / "pages" / "blog" / "posts"


def test_the_environment_still_overrides_the_file(tmp_path: Path) -> None:
    write(tmp_path, {"zensical.toml": TOML.replace("workers = 1\n", "execute = true\n")})
    assert load_project(tmp_path, environ={"SITE_TOOLS_EXECUTE": "0"}).options.execute is False


def test_an_unknown_option_in_the_toml_names_file_line_and_key(tmp_path: Path) -> None:
    write(tmp_path, {"zensical.toml": TOML.replace("workers = 1", "workerz = 1")})
    with pytest.raises(OptionsError) as caught:
        load_project(tmp_path, environ={})
    assert str(caught.value).startswith("zensical.toml:9: site-tools has no option `workerz` (did you mean")


def test_a_mistyped_option_in_the_extension_entry_of_a_yaml_config(tmp_path: Path) -> None:
    text = YAML.replace("  - site_tools.markdown\n", "  - site_tools.markdown:\n      timeout: soon\n")
    write(tmp_path, {"mkdocs.yml": text})
    with pytest.raises(OptionsError) as caught:
        load_project(tmp_path, environ={})
    assert str(caught.value).startswith("mkdocs.yml:9: `timeout` is 'soon'")


def test_one_option_in_two_places_with_two_values_is_an_error(tmp_path: Path) -> None:
    text = YAML.replace("  - site_tools.markdown\n", "  - site_tools.markdown:\n      workers: 3\n")
    write(tmp_path, {"mkdocs.yml": text})
    with pytest.raises(ConfigFileError) as caught:
        load_project(tmp_path, environ={})
    assert str(caught.value) == (
        "mkdocs.yml:9: `workers` is 3 here but 2 in the site-tools plugin entry (line 6); "
        "write it in one place"
    )
    # The same value twice is no conflict.
    write(tmp_path, {"mkdocs.yml": text.replace("workers: 3", "workers: 2")})
    assert load_project(tmp_path, environ={}).options.workers == 2


def test_plugin_options_in_a_zensical_toml_say_where_they_go(tmp_path: Path) -> None:
    text = TOML + "\n[project.plugins.site-tools]\nworkers = 2\n"
    write(tmp_path, {"zensical.toml": text})
    with pytest.raises(ConfigFileError) as caught:
        load_project(tmp_path, environ={})
    message = str(caught.value)
    assert message.startswith("zensical.toml:12: Zensical runs no MkDocs plugin")
    assert '[project.markdown_extensions."site_tools.markdown"]' in message


def test_malformed_toml_names_its_line(tmp_path: Path) -> None:
    write(tmp_path, {"zensical.toml": TOML.replace("timeout = 30", "timeout = ")})
    with pytest.raises(ConfigFileError) as caught:
        open_config(tmp_path, environ={})
    assert str(caught.value).startswith("zensical.toml:10: malformed TOML: ")
    assert "Traceback" not in str(caught.value)


def test_inherit_and_env_reach_the_posts_checks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The posts' checks read the same merged config the build does (they once ignored INHERIT)."""
    monkeypatch.setenv("ST_TEST_CATEGORY", "Deep Learning")
    write(
        tmp_path,
        {
            "base.yml": (
                "site_name: x\nplugins:\n  - blog:\n      categories_allowed: [!ENV ST_TEST_CATEGORY]\n"
            ),
            "mkdocs.yml": "INHERIT: base.yml\n",
            "docs/blog/.authors.yml": "authors:\n  ana: {name: Ana}\n",
        },
    )
    settings = load_site_settings(tmp_path)
    assert settings.allowed_categories == ("Deep Learning",)
