"""The project as the CLI commands see it: options and inventory, or a message saying what to fix."""

from __future__ import annotations

from pathlib import Path

import click

from site_tools.configfile import SiteConfig
from site_tools.engine import Engine, Inventory
from site_tools.hosts.cli.project_root import root_option, site_config
from site_tools.problems import Problem
from site_tools.project import Project, project_from, read_inventory
from site_tools.settings import OptionsError, describe
from site_tools.site.checks import citation_problems as site_citation_problems
from site_tools.site.checks import output_problems


def open_project(root: Path | None, *, host: str | None = None) -> Project:
    """The project at ``--root`` (or found from here); a bad config or bad options end the command."""
    return project_of(site_config(root, host=host))


def project_of(config: SiteConfig) -> Project:
    """The project of a config already read; bad options end the command."""
    try:
        return project_from(config)
    except OptionsError as error:
        raise click.ClickException(str(error)) from None


def open_site(root: Path | None) -> tuple[Project, Engine, Inventory]:
    project = open_project(root)
    engine = Engine(project.engine)
    return project, engine, read_inventory(project, engine)


def embed_problems(config: SiteConfig) -> list[Problem]:
    """What ``site-tools check`` reports beyond posts: plugin options, then every block's problems."""
    try:
        project = project_from(config)
    except OptionsError as error:
        return error.problems
    engine = Engine(project.engine)
    inventory = read_inventory(project, engine)
    return inventory.problems + cached_output_problems(engine, inventory)


def cached_output_problems(engine: Engine, inventory: Inventory) -> list[Problem]:
    """Embeds whose cached result would show nothing, or fewer figures than their captions.

    ``check`` runs nothing: a snippet without a cached result is left to the build to judge.
    """
    return output_problems(inventory, lambda snippet: engine.cache.get(engine.key(snippet)))


def citation_problems(config: SiteConfig) -> list[Problem]:
    """What ``site-tools check`` reports about cited values, without running anything.

    The syntax and the format, and that the page embeds the snippet cited, are always checked; that
    the value is published, with a type its format fits, only where the cache holds a result.
    """
    try:
        project = project_from(config)
    except OptionsError:
        return []  # embed_problems reports these
    root = project.root
    engine = Engine(project.engine)
    inventory = read_inventory(project, engine)
    prefix = project.engine.snippets_dir.resolve().relative_to(root.resolve()).as_posix()
    texts = {page: (root / page).read_bytes().decode("utf-8", "replace") for page in inventory.pages}
    return site_citation_problems(texts, inventory, lambda s: engine.cache.get(engine.key(s)), prefix)


@click.command("options")
@root_option
def show_options(root: Path | None) -> None:
    """The site-tools options in effect (environment, then the config file, then defaults), one per line."""
    for line in describe(open_project(root).options):
        click.echo(line)
