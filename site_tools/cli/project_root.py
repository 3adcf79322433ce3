"""The ``--root`` option every ``site-tools`` command takes, and how the project folder is found."""

from __future__ import annotations

from pathlib import Path

import click

from site_tools.project import find_root


def find_project_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` that holds mkdocs.yml."""
    try:
        return find_root(start)
    except FileNotFoundError as error:
        raise click.ClickException(f"{error}; run inside the project or pass --root") from None


def project_root(root: Path | None) -> Path:
    """The project folder: ``--root`` when given (it must hold mkdocs.yml), else found from here."""
    if root is None:
        return find_project_root(Path.cwd())
    if not (root / "mkdocs.yml").is_file():
        raise click.ClickException(f"--root {root}: no mkdocs.yml there")
    return root.resolve()


root_option = click.option(
    "--root",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="Project folder (the one with mkdocs.yml); default: found from the current folder.",
)
