"""A project as the pytest plugin and the CLI see it: its folders and its options, from mkdocs.yml.

The MkDocs plugin receives the same options from MkDocs itself; both go through
``site_tools.settings.load_options``, so a snippet runs with the same options, and hits the same cache,
whichever of them runs it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from site_tools.engine import Engine, EngineConfig, Inventory, build_inventory
from site_tools.engine.collect.inventory import is_notebook
from site_tools.mkdocs_yml import CONFIG_NAME, MkDocsYml, read_mkdocs_yml
from site_tools.settings import PLUGIN_NAMES, SiteToolsOptions, load_options


@dataclass(frozen=True)
class Project:
    root: Path
    docs_dir: Path
    options: SiteToolsOptions
    plugin_enabled: bool  # mkdocs.yml lists the site-tools plugin

    @property
    def engine(self) -> EngineConfig:
        return self.options.engine_config(self.root)


def find_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` holding mkdocs.yml."""
    for folder in (start.resolve(), *start.resolve().parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise FileNotFoundError(f"no {CONFIG_NAME} in {start} or any folder above it")


def load_project(root: Path, *, environ: Mapping[str, str] | None = None) -> Project:
    """Read ``root``'s mkdocs.yml; raises MkDocsYmlError or OptionsError with what to fix."""
    return project_from(read_mkdocs_yml(root), environ=environ)


def project_from(config: MkDocsYml, *, environ: Mapping[str, str] | None = None) -> Project:
    raw = config.plugin(PLUGIN_NAMES)
    options = load_options(
        raw,
        environ=os.environ if environ is None else environ,
        config_file=CONFIG_NAME,
        line_of=lambda key: config.line_of(key, under=PLUGIN_NAMES),
    )
    root = config.path.parent
    return Project(
        root=root,
        docs_dir=root / str(config.data.get("docs_dir") or "docs"),
        options=options,
        plugin_enabled=raw is not None,
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
