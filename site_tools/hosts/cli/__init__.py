"""The ``site-tools`` command: posts (new, import, check) and the snippet cache."""

from __future__ import annotations

import click

from site_tools.hosts.cli.cache import cache
from site_tools.hosts.cli.posts import check, import_posts, new_post, register_check
from site_tools.hosts.cli.site import citation_problems, embed_problems, show_options
from site_tools.hosts.cli.workers import workers
from site_tools.hosts.zensical.commands import build, serve


@click.group()
def main() -> None:
    """Tools for the Computed Figures blog."""


register_check(embed_problems)
register_check(citation_problems)
main.add_command(new_post)
main.add_command(import_posts)
main.add_command(check)
main.add_command(cache)
main.add_command(show_options)
main.add_command(workers)
main.add_command(build)
main.add_command(serve)
