"""A project as every adapter sees it: its config file, its folders and its options.

The config is found and read by ``site_tools.configfile`` (the file the host in use reads, or the one
named); the options are validated by ``site_tools.settings.load_options``. So a snippet runs with the
same options, and hits the same cache, whichever adapter runs it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from site_tools.configfile import SiteConfig, open_config
from site_tools.engine import Engine, EngineConfig, Inventory, build_inventory
from site_tools.engine.collect.inventory import is_notebook
from site_tools.settings import SiteToolsOptions, load_options


@dataclass(frozen=True)
class Project:
    root: Path
    docs_dir: Path
    options: SiteToolsOptions
    plugin_enabled: bool  # the config lists the site-tools plugin or the extension
    config: SiteConfig

    @property
    def engine(self) -> EngineConfig:
        return self.options.engine_config(self.root)


def load_project(
    start: Path,
    *,
    host: str | None = None,
    config_file: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Project:
    """The project whose config is found from ``start`` (``configfile.find_config``); raises
    ConfigFileError or OptionsError with what to fix."""
    environ = os.environ if environ is None else environ
    config = open_config(start, host=host, config_file=config_file, environ=environ)
    return project_from(config, environ=environ)


def project_from(config: SiteConfig, *, environ: Mapping[str, str] | None = None) -> Project:
    raw, line_of = config.site_tools_options()
    options = load_options(
        raw,
        environ=os.environ if environ is None else environ,
        config_file=config.name,
        line_of=line_of,
    )
    return Project(
        root=config.root,
        docs_dir=config.docs_dir,
        options=options,
        plugin_enabled=config.uses_site_tools(),
        config=config,
    )


def _docs_files(project: Project) -> list[Path]:
    """Files MkDocs would take from the docs folder: not hidden ones (its default ``exclude_docs``)."""
    return [
        path
        for path in sorted(project.docs_dir.rglob("*"))
        if path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(project.docs_dir).parts)
    ]


def read_inventory(project: Project, engine: Engine) -> Inventory:
    """The site's inventory read from disk, as the build reads it from MkDocs' files."""
    pages: dict[str, str] = {}
    notebooks: dict[str, Path] = {}
    for path in _docs_files(project):
        docs_relative = path.relative_to(project.docs_dir).as_posix()
        if is_notebook(docs_relative, project.options.notebooks):
            notebooks[docs_relative] = path
        elif path.suffix == ".md":
            pages[path.relative_to(project.root).as_posix()] = path.read_bytes().decode("utf-8", "replace")
    return build_inventory(engine, pages, notebooks)
