"""The ``site-tools`` command: posts (new, import, check), the snippet cache, the worker daemon, and
``build``/``serve`` on any host.

Each subcommand's module is imported only when that subcommand runs (or ``--help`` lists them): a
no-change ``site-tools build`` should cost the host's own rebuild, not the imports of the posts
importer, the HTTP client of the remote cache or the daemon's client as well.
"""

from __future__ import annotations

import importlib

import click

# name -> "module:attribute" of the click command
COMMANDS = {
    "new": "site_tools.hosts.cli.posts:new_post",
    "import": "site_tools.hosts.cli.posts:import_posts",
    "check": "site_tools.hosts.cli.checks:check",
    "cache": "site_tools.hosts.cli.cache:cache",
    "options": "site_tools.hosts.cli.site:show_options",
    "workers": "site_tools.hosts.cli.workers:workers",
    "build": "site_tools.hosts.zensical.commands:build",
    "serve": "site_tools.hosts.zensical.commands:serve",
}


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, attribute = COMMANDS[cmd_name].split(":")
        return getattr(importlib.import_module(module), attribute)


@click.group(cls=_LazyGroup)
def main() -> None:
    """Tools for the Computed Figures blog."""
