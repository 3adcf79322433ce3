"""The ``--root`` and ``--config-file`` options every ``site-tools`` command takes, and how the site's
config is found from them (``site_tools.configfile``): the file named by ``--config-file`` (or
``SITE_TOOLS_CONFIG``), else the only config file in ``--root`` (or the nearest folder above here
that has one)."""

from __future__ import annotations

from pathlib import Path

import click

from site_tools.configfile import CONFIG_ENV, ConfigFileError, SiteConfig, find_config, read_config

_CONFIG_FILE = "site_tools.config_file"  # where --config-file waits in the click context


def config_path(root: Path | None, *, host: str | None = None) -> Path:
    """The site's config file for ``host`` (None: a command with no host of its own)."""
    named = click.get_current_context().meta.get(_CONFIG_FILE)
    try:
        path = find_config(root or Path.cwd(), host=host, config_file=named)
    except ConfigFileError as error:
        raise click.ClickException(str(error.problem)) from None
    if root is not None and named is None and path.parent != root.resolve():
        raise click.ClickException(f"--root {root}: no site config there ({path.name} is in {path.parent})")
    return path


def site_config(root: Path | None, *, host: str | None = None) -> SiteConfig:
    try:
        return read_config(config_path(root, host=host))
    except ConfigFileError as error:
        raise click.ClickException(str(error.problem)) from None


def project_root(root: Path | None) -> Path:
    """The project folder: the folder of its config file."""
    return config_path(root).parent


def _remember(ctx: click.Context, _param: click.Parameter, value: Path | None) -> None:
    if value is not None:
        ctx.meta[_CONFIG_FILE] = value


def root_option(command):
    """``--root`` and ``--config-file`` on ``command``; only ``root`` is passed to it."""
    command = click.option(
        "--config-file",
        "-f",
        type=click.Path(dir_okay=False, path_type=Path),
        expose_value=False,
        callback=_remember,
        help=f"The site's config file (also {CONFIG_ENV}); default: the only one in the project folder "
        "(mkdocs.yml, properdocs.yml or zensical.toml).",
    )(command)
    return click.option(
        "--root",
        type=click.Path(file_okay=False, exists=True, path_type=Path),
        default=None,
        help="Project folder (the one with the site's config); default: found from the current folder.",
    )(command)
