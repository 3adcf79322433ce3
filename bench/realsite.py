"""The real site's copy and one MkDocs config per way of building it.

Configs (all in the copy, all inheriting its ``mkdocs.yml``, ``strict: false`` so that a peer's
warning about our generated report page does not stop its build):

- ``ours.yml``: our plugin; a cold run empties its cache and fills it again, so the warm and the
  snippet-edit runs that follow it in each round find every other snippet cached;
- ``off.yml``: our plugin with an always-empty cache, built with ``SITE_TOOLS_EXECUTE=0``;
- ``plain.yml``: no site-tools, every block shown as ordinary Python (``docs-plain/``);
- ``mdexec.yml``: markdown-exec, every block a ``python exec="on"`` block (``docs-mdexec/``);
- ``jupyter-off.yml`` / ``jupyter-on.yml``: mkdocs-jupyter executing one notebook per snippet
  (``docs-jupyter/notebooks/``), its cache off / on.

The site's own jupytext notebooks (our plugin's ``notebooks:`` option) count as snippets too: the
floor runs them, markdown-exec gets each as a page with one exec block, mkdocs-jupyter executes
each as one more notebook, and the plain build shows them through mkdocs-jupyter without running.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import mkconfig
import sites

JUPYTER = "mkdocs-jupyter"
PAGE_MARKER = "<!-- bench: page {number} -->"  # appended to each page with blocks, to find its URL


@dataclass(frozen=True)
class RealSetup:
    site: sites.RealSite
    post: Path  # the post edited under serve (in docs/): the first page with a block
    plain_post: Path  # the same post in docs-plain/
    mount: str  # the path mkdocs serve mounts the site at
    markers: dict[str, str]  # docs-relative page -> the marker at its end

    def marker_of(self, name: str) -> str:
        """The marker of the first page that runs snippet ``name``."""
        return self.markers[next(block.page for block in self.site.blocks if block.name == name)]

    @property
    def root(self) -> Path:
        return self.site.root

    def config(self, name: str) -> Path:
        return self.root / f"{name}.yml"

    def cache(self, name: str) -> Path:
        return self.root / ".cache" / name

    def out(self, name: str) -> Path:
        return self.root / "out" / name


def prepare(repo: Path, dest: Path) -> RealSetup:
    site = sites.copy_site(repo, dest)
    if not site.blocks:
        raise ValueError(
            f"{repo / 'docs'}: no ```snippet or ```python exec block in any page: nothing to compare"
        )
    markers = _mark_pages(site)
    post = site.docs / site.blocks[0].page
    base = mkconfig.load(site.config)
    plain = mkconfig.plugins_without(base, mkconfig.SITE_TOOLS)
    # The site's notebooks (run by our plugin) are shown by mkdocs-jupyter, not run, in the plain build.
    shown = mkconfig.with_plugin(
        plain, JUPYTER, {"include": ["*.ipynb", *site.notebook_globs], "execute": False}
    )
    write = lambda name, **keys: mkconfig.write(dest / f"{name}.yml", "mkdocs.yml", strict=False, **keys)  # noqa: E731
    for name in ("ours", "off"):
        plugins = mkconfig.with_site_tools(base, cache_dir=f".cache/{name}")
        write(name, plugins=own_jupyter_cache(plugins, name))
    # The configs below run without our plugin, so without our Markdown extension too.
    theirs = {"markdown_extensions": mkconfig.extensions_without_ours(base)}
    sites.write_docs_variant(site, "docs-plain", sites.plain_block)
    plain_plugins = own_jupyter_cache(shown if site.notebooks else plain, "plain")
    write("plain", docs_dir="docs-plain", plugins=plain_plugins, **theirs)
    mdexec_docs = sites.write_docs_variant(site, "docs-mdexec", sites.markdown_exec_block)
    sites.write_notebook_pages(site, mdexec_docs)
    mdexec_plugins = own_jupyter_cache([*plain, "markdown-exec"], "mdexec")
    write("mdexec", docs_dir="docs-mdexec", plugins=mdexec_plugins, **theirs)
    jupyter_docs = sites.write_docs_variant(site, "docs-jupyter", sites.plain_block)
    sites.write_notebooks(site, jupyter_docs)
    for state, cache in (("off", False), ("on", True)):
        options = {
            "execute": True,
            "cache": cache,
            "cache_dir": ".cache/jupyter",
            "include": ["notebooks/*.ipynb"],
            "allow_errors": False,
        }
        jupyter = mkconfig.with_plugin(plain, JUPYTER, options)
        write(f"jupyter-{state}", docs_dir="docs-jupyter", plugins=jupyter, **theirs)
    mount = urlparse(str(base.get("site_url") or "/")).path or "/"
    plain_post = dest / "docs-plain" / post.relative_to(site.docs)
    return RealSetup(site, post, plain_post, mount, markers)


def own_jupyter_cache(plugins: list[object], name: str) -> list[object]:
    """``plugins`` with mkdocs-jupyter's page cache in a folder of this config's own. It keeps one
    folder and drops every entry a build did not use: two configs alternating in one folder, as no
    author's site does, would each find the other's notebooks there and convert their own again."""
    if not any(mkconfig.plugin_name(entry) == JUPYTER for entry in plugins):
        return plugins
    return mkconfig.with_plugin(plugins, JUPYTER, {"cache_dir": f".cache/mkdocs-jupyter-{name}"})


def _mark_pages(site: sites.RealSite) -> dict[str, str]:
    """A marker at the end of each page with a block; the built page that contains it is its URL."""
    markers = {}
    for block in site.blocks:
        if block.page not in markers:
            markers[block.page] = PAGE_MARKER.format(number=len(markers))
            page = site.docs / block.page
            text = page.read_text(encoding="utf-8").rstrip("\n")
            page.write_text(f"{text}\n\n{markers[block.page]}\n", encoding="utf-8")
    return markers


def edit_snippet(site: sites.RealSite, name: str, index: int) -> None:
    """Append a comment line to a snippet file of the copy: a new cache key, the same computation."""
    path = site.root / name
    path.write_text(path.read_text(encoding="utf-8") + f"# bench edit {index}\n", encoding="utf-8")


def empty(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
