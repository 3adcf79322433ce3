"""``site-tools cache stats|prune|clear``: look after the results kept between builds."""

from __future__ import annotations

from pathlib import Path

import click

from site_tools.cli.project_root import root_option
from site_tools.cli.site import open_project, open_site
from site_tools.engine import Engine


@click.group("cache")
def cache() -> None:
    """Inspect and tidy the snippet result cache (.cache/site_tools by default)."""


@cache.command("stats")
@root_option
def stats(root: Path | None) -> None:
    """How many results are kept, how much space they take, and how many the site uses now."""
    _, engine, inventory = open_site(root)
    numbers = engine.cache.stats()
    used = {engine.key(snippet) for snippet in inventory.all_snippets()}
    live = len(used & set(engine.cache.keys()))
    click.echo(f"cache: {engine.cache.root.relative_to(engine.config.root)}")
    click.echo(f"entries: {numbers.entries} ({numbers.bytes / 2**20:.1f} MiB)")
    click.echo(f"used by the site now: {live} of {len(used)} snippets cached")
    if numbers.temporary:
        click.echo(f"leftovers of interrupted builds: {numbers.temporary} (removed by `prune`)")


@cache.command("prune")
@click.option("--older-than", type=float, metavar="DAYS", help="Remove only entries unused for DAYS.")
@root_option
def prune(older_than: float | None, root: Path | None) -> None:
    """Remove results the site no longer uses (or, with --older-than, those unused for a while)."""
    if older_than is None:
        _, engine, inventory = open_site(root)
        removed = engine.cache.prune(keep={engine.key(snippet) for snippet in inventory.all_snippets()})
    else:
        engine = Engine(open_project(root).engine)
        removed = engine.cache.prune(older_than_days=older_than)
    click.echo(f"removed {len(removed)} entr{'y' if len(removed) == 1 else 'ies'}")


@cache.command("clear")
@root_option
def clear(root: Path | None) -> None:
    """Remove every kept result: the next build runs every snippet."""
    engine = Engine(open_project(root).engine)
    click.echo(f"removed {engine.cache.clear()} entries")
