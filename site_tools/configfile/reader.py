"""One reader for every site config: ``SiteConfig`` is a config file as its host sees it.

Every adapter reads the site's config here (the MkDocs plugin, the Markdown extension, the CLI, the
pytest plugin, the posts' checks), so they agree on the file, the values and the messages. A YAML
config comes with ``INHERIT`` and ``!ENV`` resolved as MkDocs resolves them; a TOML config is
Zensical's ``[project]`` table. Both give the same keys (``docs_dir``, ``plugins``,
``markdown_extensions``, ``validation``), so nothing past this module asks which format it was.

Where site-tools' own options are written: the ``site-tools`` plugin entry (YAML, for MkDocs and
ProperDocs, and read by the extension too) and the extension's own entry (``site_tools.markdown`` under
``markdown_extensions``, in YAML or in ``[project.markdown_extensions."site_tools.markdown"]``). Both
may be used; one option given in both with different values is an error naming both lines. Zensical
runs no MkDocs plugin, so a plugin entry in zensical.toml is an error saying where the options go.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from site_tools.configfile.errors import ConfigFileError
from site_tools.configfile.locate import find_config
from site_tools.configfile.toml_format import key_line, load_toml_config, table_line
from site_tools.configfile.yaml_format import entry_options, load_yaml_config, option_line
from site_tools.problems import Problem

PLUGIN_NAMES = ("site-tools", "site_tools")
EXTENSION_NAME = "site_tools.markdown"
# The extension's own switches, not site-tools options: set by the adapters, never by authors' taste.
EXTENSION_SWITCHES = ("off", "root", "config_file")


@dataclass(frozen=True)
class SiteConfig:
    path: Path
    text: str
    data: dict[str, Any]  # as the host reads it: INHERIT and !ENV resolved; for TOML the project table

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def root(self) -> Path:
        return self.path.parent

    @property
    def is_toml(self) -> bool:
        return self.path.suffix == ".toml"

    @property
    def docs_dir(self) -> Path:
        return self.root / str(self.data.get("docs_dir") or "docs")

    @property
    def site_dir(self) -> Path:
        return self.root / str(self.data.get("site_dir") or "site")

    def plugin(self, names: tuple[str, ...]) -> dict[str, Any] | None:
        """Options of the first plugin named one of ``names`` (``{}`` when it has none); None if absent."""
        return entry_options(self.data.get("plugins"), names)

    def extension(self, name: str = EXTENSION_NAME) -> dict[str, Any] | None:
        """Options of a Markdown extension listed in the config; None if it is not listed."""
        return entry_options(self.data.get("markdown_extensions"), (name,))

    def plugin_line(self, names: tuple[str, ...], key: str | None = None) -> int | None:
        if self.is_toml:
            tables = [("project", "plugins", name) for name in names]
            found = (key_line(self.text, t, key) if key else table_line(self.text, t) for t in tables)
            return next((line for line in found if line is not None), None)
        return option_line(self.text, key, under=names) if key else _entry_line(self.text, names)

    def extension_line(self, key: str | None = None, name: str = EXTENSION_NAME) -> int | None:
        if self.is_toml:
            table = ("project", "markdown_extensions", name)
            return key_line(self.text, table, key) if key else table_line(self.text, table)
        return option_line(self.text, key, under=(name,)) if key else _entry_line(self.text, (name,))

    def uses_site_tools(self) -> bool:
        return self.plugin(PLUGIN_NAMES) is not None or self.extension() is not None

    def site_tools_options(self) -> tuple[dict[str, Any], Callable[[str], int | None]]:
        """site-tools' options as written in this file (plugin entry and extension entry together) and
        the line of each; ConfigFileError where they are in the wrong place or disagree."""
        plugin = self.plugin(PLUGIN_NAMES)
        if plugin is not None and self.is_toml:
            names = ", ".join(f"[project.plugins.{name}]" for name in PLUGIN_NAMES)
            raise ConfigFileError(
                Problem(
                    self.name,
                    self.plugin_line(PLUGIN_NAMES),
                    "plugins.site-tools",
                    f"Zensical runs no MkDocs plugin, so these options would be ignored ({names}); "
                    f'write them under [project.markdown_extensions."{EXTENSION_NAME}"]',
                )
            )
        extension = {
            key: value for key, value in (self.extension() or {}).items() if key not in EXTENSION_SWITCHES
        }
        plugin = plugin or {}
        for key in sorted(set(plugin) & set(extension)):
            if plugin[key] != extension[key]:
                raise ConfigFileError(
                    Problem(
                        self.name,
                        self.extension_line(key),
                        f"{EXTENSION_NAME}.{key}",
                        f"`{key}` is {extension[key]!r} here but {plugin[key]!r} in the site-tools plugin "
                        f"entry (line {self.plugin_line(PLUGIN_NAMES, key)}); write it in one place",
                    )
                )

        def line_of(key: str) -> int | None:
            if key in extension:
                return self.extension_line(key)
            return self.plugin_line(PLUGIN_NAMES, key)

        return {**plugin, **extension}, line_of


def _entry_line(text: str, names: tuple[str, ...]) -> int | None:
    """The line of a YAML list or mapping entry named one of ``names`` (``- site-tools:``)."""
    pattern = re.compile(rf"^\s*-?\s*[\"']?(?:{'|'.join(map(re.escape, names))})[\"']?\s*(:|$)")
    return next((number for number, line in enumerate(text.splitlines(), 1) if pattern.match(line)), None)


def read_config(path: Path) -> SiteConfig:
    """The config at ``path``, by its format; ConfigFileError names the file, line and key to fix."""
    data = load_toml_config(path) if path.suffix == ".toml" else load_yaml_config(path)
    return SiteConfig(path, path.read_text(encoding="utf-8", errors="replace"), data)


def open_config(
    start: Path,
    *,
    host: str | None = None,
    config_file: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> SiteConfig:
    """The site's config found from ``start`` as ``host`` finds it (``locate.find_config``), read."""
    return read_config(find_config(start, host=host, config_file=config_file, environ=environ))
