"""``site-tools build --host zensical`` and ``site-tools serve --host zensical``: the one way to build
the whole site on a host that runs no MkDocs plugin. MkDocs is the default host: there (and on
ProperDocs) the two commands are ``mkdocs|properdocs build`` and ``... serve`` with the plugin, and
these commands only run them, with the config file each host would pick (or ``--config-file``).

The pre-step (``site_tools.site.whole_site``) collects every page, runs every snippet together through the
engine, stops a build on any problem (post:line) and writes the generated files; then the host builds,
rendering each page through ``site_tools.markdown`` from the cache. ``build`` runs Zensical in its own
process, where the extension renders from the pre-step's collection (one Python start, one
collection); ``serve`` starts it as a process of its own, which outlives the pre-step.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from site_tools.configfile import CONFIG_ENV, HOSTS, SERVING_ENV, SiteConfig
from site_tools.hosts.cli.project_root import root_option, site_config
from site_tools.site.unchanged import MANIFESTS, InputsManifest, identity

if TYPE_CHECKING:  # the engine and the pre-step are imported only when the site changed
    from site_tools.engine import Engine
    from site_tools.hosts.zensical.extension import Site
    from site_tools.project import Project
    from site_tools.site.state import SiteState

host_option = click.option(
    "--host", type=click.Choice(HOSTS), default="mkdocs", show_default=True, help="The site generator."
)


def _progress(done: int, total: int, snippet, result) -> None:
    state = "ok" if result.ok else result.status.upper()
    click.echo(f"site_tools: [{done}/{total}] {snippet.name}: {state} in {result.duration:.1f} s", err=True)


def _prepare_zensical(
    site: SiteConfig, project: Project, engine: Engine, *, serving: bool, hosted: Site | None = None
) -> Path:
    """Run the pre-step and write Zensical's config; a build stops here on any problem. ``hosted``:
    the extension's site in this process, which keeps the pre-step's collection for the pages."""
    from site_tools.engine.run.executor import ExecutorError
    from site_tools.hosts.zensical.generated_config import HostConfigError, zensical_config
    from site_tools.site.build_mode import BuildMode
    from site_tools.site.whole_site import collect_site, prepare

    def collect(project: Project, engine: Engine) -> SiteState:
        return (
            hosted.adopt(lambda: collect_site(project, engine)) if hosted else collect_site(project, engine)
        )

    try:
        prepared = prepare(project, engine, progress=_progress, collect=collect)
        config = zensical_config(site, project, prepared.state)
    except (ExecutorError, HostConfigError) as error:
        raise click.ClickException(str(error)) from None
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


def _zensical_here(args: list[str], site: SiteConfig) -> None:
    """``zensical build`` in this process, as ``_host`` would start it in another: no second Python
    start and imports, and the extension renders from the pre-step's collection (``hosted_site``).
    The command ends after it, so the folder, arguments and environment it sets stay set."""
    from zensical.main import cli

    os.environ.update({SERVING_ENV: "0", CONFIG_ENV: str(site.path)})
    os.chdir(site.root)
    sys.argv = list(args)  # the extension reads the host's command line (``-f``, build or serve)
    try:
        cli.main(args=args[1:], prog_name=args[0])
    except SystemExit as ended:
        if ended.code:
            raise


@click.command("build")
@host_option
@root_option
def build(host: str, root: Path | None) -> None:
    """Build the site into site/ (strict): MkDocs or ProperDocs with the plugin, or Zensical (the
    pre-step, then Zensical; only Zensical when nothing the pre-step reads changed since the last)."""
    site = site_config(root, host=host)
    if host != "zensical":
        _host([host, "build", "--strict", "-f", str(site.path)], site, serving=False)
        return
    # Never `--clean`: Zensical's clean empties the whole .cache folder, the snippet cache with it.
    strict = ["--strict"] if site.data.get("strict") else []
    inputs = _inputs_manifest(site)
    last = inputs.unchanged()
    if last is not None:
        click.echo(
            f"site_tools: nothing changed since the last build ({inputs.checked} files checked): "
            "Zensical builds from its own caches",
            err=True,
        )
        _zensical_here(["zensical", "build", "-f", last["config"], *strict], site)
        return
    _build_changed(site, inputs, strict)


def _inputs_manifest(site: SiteConfig) -> InputsManifest:
    """The manifest of what the pre-step of this site read (``site.unchanged``), one per config file."""
    name = hashlib.sha256(str(site.path.resolve()).encode()).hexdigest()[:16]
    where = site.root / MANIFESTS / f"{name}.json"
    return InputsManifest(where, identity(site.path, site.data, os.environ))


def _build_changed(site: SiteConfig, inputs: InputsManifest, strict: list[str]) -> None:
    """The pre-step, then Zensical in this process; the inputs recorded once both succeeded."""
    import site_tools
    from site_tools.engine import Engine
    from site_tools.hosts.cli.site import project_of
    from site_tools.hosts.zensical.extension import hosted_site
    from site_tools.site.generated_files import MANIFEST, previous_host_files

    project = project_of(site)  # the config read once, here; the extension gets the same project
    engine = Engine(project.engine)
    # What the pre-step reads: pages and the files it generates, snippets, helpers and data, and
    # the code that renders them (an editable install's edits too).
    roots = [project.docs_dir, project.engine.snippets_dir, Path(site_tools.__file__).parent]
    roots = [root.resolve() for root in roots]
    inputs.begin(roots)
    try:
        hosted = hosted_site(site.path, project, engine)
        config = _prepare_zensical(site, project, engine, serving=False, hosted=hosted)
        _zensical_here(["zensical", "build", "-f", config.name, *strict], site)
        docs = project.docs_dir.resolve()
        generated = {str(docs / uri) for uri in previous_host_files(engine.config.cache_dir / MANIFEST)}
        generated.add(str(config.resolve()))
        inputs.save([*roots, config.resolve()], generated, {"config": config.name})
    finally:
        engine.close()


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
    from site_tools.engine import Engine
    from site_tools.hosts.cli.site import project_of

    project = project_of(site)  # the config read once, here; the extension reads it in Zensical's process
    engine = Engine(project.engine)
    try:
        config = _prepare_zensical(site, project, engine, serving=True)
    finally:
        engine.close()
    _host(["zensical", "serve", "-f", config.name, "--dev-addr", dev_addr], site, serving=True)
