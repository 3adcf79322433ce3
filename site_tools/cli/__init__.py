"""The ``site-tools`` command: posts (new, import, check)."""

from __future__ import annotations

import click

from site_tools.cli.posts import check, import_posts, new_post


@click.group()
def main() -> None:
    """Tools for the Computed Figures blog."""


main.add_command(new_post)
main.add_command(import_posts)
main.add_command(check)
