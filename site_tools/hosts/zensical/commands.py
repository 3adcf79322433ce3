"""``site-tools build --host zensical`` and ``site-tools serve --host zensical``: the one way to build
the whole site on a host that runs no MkDocs plugin. MkDocs is the default host: there (and on
ProperDocs) the two commands are ``mkdocs|properdocs build`` and ``... serve`` with the plugin, and
these commands only run them, with the config file each host would pick (or ``--config-file``).

The pre-step (``site_tools.site.whole_site``) collects every page, runs every snippet together through the
engine, stops a build on any problem (post:line) and writes the generated files; then the host builds,
rendering each page through ``site_tools.markdown`` from the cache.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click

from site_tools.configfile import CONFIG_ENV, HOSTS, SiteConfig
from site_tools.engine import Engine
from site_tools.engine.run.executor import ExecutorError
from site_tools.hosts.cli.project_root import root_option, site_config
from site_tools.hosts.cli.site import project_of
from site_tools.hosts.zensical.extension import SERVING_ENV
from site_tools.hosts.zensical.generated_config import HostConfigError, zensical_config
from site_tools.site.build_mode import BuildMode
from site_tools.site.whole_site import prepare

host_option = click.option(
    "--host", type=click.Choice(HOSTS), default="mkdocs", show_default=True, help="The site generator."
)


def _progress(done: int, total: int, snippet, result) -> None:
    state = "ok" if result.ok else result.status.upper()
    click.echo(f"site_tools: [{done}/{total}] {snippet.name}: {state} in {result.duration:.1f} s", err=True)


def _prepare_zensical(site: SiteConfig, *, serving: bool) -> Path:
    """Run the pre-step and write Zensical's config; a build stops here on any problem."""
    project = project_of(site)  # the config read once, here; the extension reads it in Zensical's process
    engine = Engine(project.engine)
    try:
        prepared = prepare(project, engine, progress=_progress)
        config = zensical_config(site, project, prepared.state)
    except (ExecutorError, HostConfigError) as error:
        raise click.ClickException(str(error)) from None
    finally:
        engine.close()
    mode = BuildMode(serving, project.options)
    for error in prepared.errors:
        click.echo(mode.problem_line(error), err=True)
    click.echo(f"site_tools: {prepared.summary}", err=True)
    if mode.stops(prepared.errors):
        raise click.ClickException(mode.stop_message(len(prepared.errors)))
    return config


def _host(args: list[str], site: SiteConfig, *, serving: bool) -> None:
    """Run the host in the project folder; the extension reads the site's own config (CONFIG_ENV), not
    the generated one the host was given."""
    env = {**os.environ, SERVING_ENV: "1" if serving else "0", CONFIG_ENV: str(site.path)}
    process = subprocess.Popen([sys.executable, "-m", *args], cwd=site.root, env=env)
    try:
        code = process.wait()
    except KeyboardInterrupt:  # `zensical serve` does not stop on SIGINT: end it by its pid
        process.terminate()
        code = process.wait()
    if code:
        raise SystemExit(code)


@click.command("build")
@host_option
@root_option
def build(host: str, root: Path | None) -> None:
    """Build the site into site/ (strict): MkDocs or ProperDocs with the plugin, or Zensical (the
    pre-step, then Zensical)."""
    site = site_config(root, host=host)
    if host != "zensical":
        _host([host, "build", "--strict", "-f", str(site.path)], site, serving=False)
        return
    config = _prepare_zensical(site, serving=False)
    strict = ["--strict"] if site.data.get("strict") else []
    # Never `--clean`: Zensical's clean empties the whole .cache folder, the snippet cache with it.
    _host(["zensical", "build", "-f", config.name, *strict], site, serving=False)


@click.command("serve")
@host_option
@root_option
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
def serve(host: str, root: Path | None, dev_addr: str) -> None:
    """Preview the site with live reload; problems are shown on their pages."""
    site = site_config(root, host=host)
    if host != "zensical":
        serve_args = [host, "serve", "-f", str(site.path), "--dev-addr", dev_addr, "--livereload"]
        _host(serve_args, site, serving=True)
        return
    config = _prepare_zensical(site, serving=True)
    _host(["zensical", "serve", "-f", config.name, "--dev-addr", dev_addr], site, serving=True)
