"""``site-tools build --host zensical`` and ``site-tools serve --host zensical``: the one way to build
the site on a host that runs no MkDocs plugin. MkDocs is the default host: there the two commands are
``mkdocs build`` and ``mkdocs serve`` with the plugin, and these commands only run them.

The pre-step (``site_tools.site.prestep``) collects every page, runs every snippet together through the
engine, stops a build on any problem (post:line) and writes the generated files; then the host builds,
rendering each page through ``site_tools.markdown`` from the cache.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click

from site_tools.cli.project_root import project_root, root_option
from site_tools.cli.site import open_project
from site_tools.engine import Engine
from site_tools.engine.run.executor import ExecutorError
from site_tools.markdown import SERVING_ENV
from site_tools.mkdocs_yml import MkDocsYmlError, read_mkdocs_yml
from site_tools.site.prestep import prepare
from site_tools.site.zensical_config import HostConfigError, zensical_config

HOSTS = ("mkdocs", "zensical")
host_option = click.option(
    "--host", type=click.Choice(HOSTS), default="mkdocs", show_default=True, help="The site generator."
)


def _progress(done: int, total: int, snippet, result) -> None:
    state = "ok" if result.ok else result.status.upper()
    click.echo(f"site_tools: [{done}/{total}] {snippet.name}: {state} in {result.duration:.1f} s", err=True)


def _prepare_zensical(root: Path | None, *, serving: bool) -> Path:
    """Run the pre-step and write Zensical's config; a build stops here on any problem."""
    project = open_project(root)
    try:
        mkdocs = read_mkdocs_yml(project.root)
    except MkDocsYmlError as error:
        raise click.ClickException(str(error.problem)) from None
    engine = Engine(project.engine)
    try:
        prepared = prepare(project, engine, progress=_progress)
        config = zensical_config(mkdocs, project, prepared.state)
    except (ExecutorError, HostConfigError) as error:
        raise click.ClickException(str(error)) from None
    finally:
        engine.close()
    for error in prepared.errors:
        click.echo(f"{'error, shown on its page' if serving else 'ERROR'}: {error}", err=True)
    click.echo(f"site_tools: {prepared.summary}", err=True)
    if prepared.errors and not serving:
        raise click.ClickException(
            f"site-tools found {len(prepared.errors)} problem(s) above; the build stops here."
        )
    return config


def _host(args: list[str], root: Path, *, serving: bool) -> None:
    env = {**os.environ, SERVING_ENV: "1" if serving else "0"}
    process = subprocess.Popen([sys.executable, "-m", *args], cwd=root, env=env)
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
    """Build the site into site/ (strict), on MkDocs (the plugin) or Zensical (pre-step, then Zensical)."""
    folder = project_root(root)
    if host == "mkdocs":
        _host(["mkdocs", "build", "--strict"], folder, serving=False)
        return
    config = _prepare_zensical(folder, serving=False)
    strict = ["--strict"] if read_mkdocs_yml(folder).data.get("strict") else []
    # Never `--clean`: Zensical's clean empties the whole .cache folder, the snippet cache with it.
    _host(["zensical", "build", "-f", config.name, *strict], folder, serving=False)


@click.command("serve")
@host_option
@root_option
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
def serve(host: str, root: Path | None, dev_addr: str) -> None:
    """Preview the site with live reload; problems are shown on their pages."""
    folder = project_root(root)
    if host == "mkdocs":
        _host(["mkdocs", "serve", "--dev-addr", dev_addr, "--livereload"], folder, serving=True)
        return
    config = _prepare_zensical(folder, serving=True)
    _host(["zensical", "serve", "-f", config.name, "--dev-addr", dev_addr], folder, serving=True)
