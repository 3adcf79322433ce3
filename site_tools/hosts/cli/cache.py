"""``site-tools cache stats|prune|clear|push|pull``: look after the results kept between builds."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from site_tools.engine import Engine
from site_tools.engine.store.lastrun import read_last_run
from site_tools.engine.store.remote import RemoteCache
from site_tools.hosts.cli.project_root import root_option
from site_tools.hosts.cli.site import open_project, open_site


@click.group("cache")
def cache() -> None:
    """Inspect and tidy the snippet result cache (.cache/site_tools by default), share it remotely."""


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
    last = read_last_run(engine.cache.root)
    if last is not None:
        line = (
            f"last build: {last.get('total', 0)} snippets, {last.get('executed', 0)} executed, "
            f"{last.get('cached', 0)} cached"
        )
        if last.get("remote_url"):
            line += f" ({last.get('remote', 0)} from the remote cache {last['remote_url']})"
        click.echo(line)


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


@cache.command("push")
@root_option
def push(root: Path | None) -> None:
    """Upload every local result the site uses to the remote cache (blobs first, manifest last)."""
    engine, remote, keys = _remote_site(root)
    local = [result for key in keys if (result := engine.cache.get(key)) is not None]
    held = remote.holding(result.key for result in local)
    _stop_on_failure(remote)
    missing = [result for result in local if result.key not in held]
    with _bar("uploading", len(missing)) as bar:
        uploaded = remote.upload_many(missing, progress=lambda result, ok: bar.update(1))
    _stop_on_failure(remote)
    click.echo(
        f"uploaded {uploaded}, already there {len(local) - len(missing)}, "
        f"not cached locally {len(keys) - len(local)} (of {len(keys)} snippets) to {remote.url}"
    )


@cache.command("pull")
@root_option
def pull(root: Path | None) -> None:
    """Fetch every result the site needs that is not cached locally, checked, into the local cache."""
    engine, remote, keys = _remote_site(root)
    wanted = {key: name for key, name in keys.items() if engine.cache.get(key) is None}
    with _bar("fetching", len(wanted)) as bar:
        found = remote.fetch_many(wanted, progress=lambda key, result: bar.update(1))
    for result in found.values():
        engine.backfill(result)
    for notice in engine.cache.notices + remote.notices:
        click.echo(f"notice: {notice}", err=True)
    _stop_on_failure(remote)
    click.echo(
        f"fetched {len(found)}, not on the server {len(wanted) - len(found)}, "
        f"already local {len(keys) - len(wanted)} (of {len(keys)} snippets) from {remote.url}"
    )


def _remote_site(root: Path | None) -> tuple[Engine, RemoteCache, dict[str, str]]:
    """The engine, its remote cache (or a message saying how to set one), and key -> snippet name."""
    _, engine, inventory = open_site(root)
    if engine.remote is None:
        raise click.ClickException(
            "no remote cache: set SITE_TOOLS_CACHE_URL or `cache_url` in mkdocs.yml's site-tools options"
        )
    engine.remote.budget = None  # a whole site may take a while; a failure still stops it
    return engine, engine.remote, {engine.key(s): s.name for s in inventory.all_snippets()}


def _bar(label: str, length: int):
    """A progress bar on stderr, so that the summary on stdout stays one clean line."""
    return click.progressbar(length=length, label=label, file=sys.stderr)


def _stop_on_failure(remote: RemoteCache) -> None:
    if remote.failure is not None:
        raise click.ClickException(f"remote cache {remote.url}: {remote.failure}")
