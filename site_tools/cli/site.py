"""The project as the CLI commands see it: options and inventory, or a message saying what to fix."""

from __future__ import annotations

from pathlib import Path

import click

from site_tools.cli.project_root import project_root, root_option
from site_tools.engine import Engine, Inventory
from site_tools.engine.options import empty_output_problem, figure_count_problem
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
    engine = Engine(project.engine)
    inventory = read_inventory(project, engine)
    return inventory.problems + cached_output_problems(engine, inventory)


def cached_output_problems(engine: Engine, inventory: Inventory) -> list[Problem]:
    """Embeds whose cached result would show nothing, or fewer figures than their captions.

    ``check`` runs nothing: a snippet without a cached result is left to the build to judge.
    """
    problems = []
    for embed in inventory.embeds:
        for snippet in embed.runs:  # every variant of a scrubbable figure
            result = engine.cache.get(engine.key(snippet))
            if result is None:
                continue
            figures = len(result.figures)
            problem = figure_count_problem(embed.options, figures) or empty_output_problem(
                embed.options, figures, result.stdout
            )
            if problem:
                problems.append(Problem(embed.page, embed.start, None, f"{snippet.name}: {problem}"))
    return problems


def citation_problems(root: Path) -> list[Problem]:
    """What ``site-tools check`` reports about cited values, without running anything.

    The syntax and the format, and that the page embeds the snippet cited, are always checked; that
    the value is published, with a type its format fits, only where the cache holds a result.
    """
    from site_tools.render.values import ROLE, check_page, page_sources

    try:
        project = load_project(root)
    except (MkDocsYmlError, OptionsError):
        return []  # embed_problems reports these
    engine = Engine(project.engine)
    inventory = read_inventory(project, engine)
    prefix = project.engine.snippets_dir.resolve().relative_to(root.resolve()).as_posix()
    problems = []
    for page, scan in inventory.pages.items():
        text = (root / page).read_bytes().decode("utf-8", "replace")
        if ROLE in text:
            sources = page_sources(scan.embeds, lambda s: engine.cache.get(engine.key(s)), prefix)
            problems += check_page(page, text, scan.embeds, sources)
    return problems


@click.command("options")
@root_option
def show_options(root: Path | None) -> None:
    """The site-tools options in effect (environment, then mkdocs.yml, then defaults), one per line."""
    for line in describe(open_project(root).options):
        click.echo(line)
