"""The project as the CLI commands see it: options and inventory, or a message saying what to fix."""

from __future__ import annotations

from pathlib import Path

import click

from site_tools.cli.project_root import project_root, root_option
from site_tools.engine import Engine, Inventory
from site_tools.mkdocs_yml import MkDocsYmlError
from site_tools.problems import Problem
from site_tools.project import Project, load_project, read_inventory
from site_tools.settings import OptionsError, describe


def open_project(root: Path | None) -> Project:
    """The project at ``--root`` (or found from here); bad mkdocs.yml options end the command."""
    try:
        return load_project(project_root(root))
    except MkDocsYmlError as error:
        raise click.ClickException(str(error.problem)) from None
    except OptionsError as error:
        raise click.ClickException(str(error)) from None


def open_site(root: Path | None) -> tuple[Project, Engine, Inventory]:
    project = open_project(root)
    engine = Engine(project.engine)
    return project, engine, read_inventory(project, engine)


def embed_problems(root: Path) -> list[Problem]:
    """What ``site-tools check`` reports beyond posts: plugin options, then every block's problems."""
    try:
        project = load_project(root)
    except MkDocsYmlError as error:
        return [error.problem]
    except OptionsError as error:
        return error.problems
    return read_inventory(project, Engine(project.engine)).problems


@click.command("options")
@root_option
def show_options(root: Path | None) -> None:
    """The site-tools options in effect (environment, then mkdocs.yml, then defaults), one per line."""
    for line in describe(open_project(root).options):
        click.echo(line)
