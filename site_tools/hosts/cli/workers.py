"""``site-tools workers status|stop``: the checkout's worker daemon (option ``daemon``)."""

from __future__ import annotations

from pathlib import Path

import click

from site_tools.engine.run import daemon_client
from site_tools.engine.run.daemon import socket_path
from site_tools.hosts.cli.project_root import project_root, root_option


@click.group("workers")
def workers() -> None:
    """The worker daemon that keeps torch loaded between builds (`executor: daemon`)."""


@workers.command("status")
@root_option
def status(root: Path | None) -> None:
    """Whether this checkout's daemon runs, since when, and how much it has run."""
    folder = project_root(root)
    found = daemon_client.ask(folder, {"op": "hello"})
    if found is None:
        click.echo(f"no worker daemon for {folder} (socket {socket_path(folder)})")
        return
    click.echo(f"worker daemon pid {found['pid']} for {found['root']}")
    click.echo(f"socket: {found['socket']}")
    click.echo(f"up {found['uptime']:.0f} s; {found['runs']} snippet run(s), {found['running']} running now")
    click.echo(f"stops after {found['idle_limit'] / 60:g} min without work")


@workers.command("stop")
@root_option
def stop(root: Path | None) -> None:
    """Stop this checkout's daemon (the next build with the daemon on starts a new one)."""
    folder = project_root(root)
    answer = daemon_client.stop(folder)
    if answer is None:
        click.echo("no worker daemon was running")
    else:
        click.echo(f"stopped worker daemon pid {answer['stopping']}")
