"""The config Zensical builds from: the site's own config as its reader reads it, plus what only the
pre-step knows, in the site's own format.

Written whole, next to the site's config (``.site-tools-zensical.toml`` for a ``zensical.toml`` site,
``.site-tools-zensical.yml`` for a YAML one; gitignored; Zensical wants ``docs_dir`` inside its
config's folder), not as an ``INHERIT`` of it: Zensical merges an inherited file's lists by
appending, so a config could not replace ``nav`` and would list stylesheets twice. YAML tags such as
``!!python/name:`` are written back as they were; ``!ENV`` is resolved when the pre-step runs. Over
the site's config it sets: ``extra_css``/``extra_javascript`` with
every file of ``render.assets`` (the MkDocs plugin adds them itself), ``watch`` with the snippets
folder (a watched file changing makes a serving Zensical render every page again, and the extension
then sees the new snippet), ``extra`` with a stamp of every result and the rendering code
(``results_stamp``: Zensical keeps a page's HTML while its text and config stay the same), and ``nav``
with each jupytext notebook's ``.ipynb`` entry pointing at the Markdown page the pre-step wrote in
its place (same URL).
"""

from __future__ import annotations

import hashlib
import posixpath
from pathlib import Path
from typing import Any

import tomli_w

from site_tools.configfile import EXTENSION_NAME, SiteConfig
from site_tools.configfile.yaml_format import dump_yaml, entry_options
from site_tools.engine.store.derived import code_version
from site_tools.project import Project
from site_tools.render.assets import site_assets
from site_tools.site.figures import THEMING_CODE
from site_tools.site.generated_files import notebook_page_uri
from site_tools.site.state import SiteState

GENERATED_STEM = ".site-tools-zensical"


def generated_config_path(site: SiteConfig) -> Path:
    return site.root / (GENERATED_STEM + (".toml" if site.is_toml else ".yml"))


class HostConfigError(Exception):
    """The site's config lacks what the host needs; the message says what to add."""


def _with_assets(listed: Any, kind: str) -> list:
    entries = list(listed) if isinstance(listed, list) else []
    names = {entry if isinstance(entry, str) else entry.get("path") for entry in entries}
    return entries + [asset.uri for asset in site_assets() if asset.kind == kind and asset.uri not in names]


def _nav(nav: Any, notebooks: set[str]) -> Any:
    if isinstance(nav, list):
        return [_nav(item, notebooks) for item in nav]
    if isinstance(nav, dict):
        return {key: _nav(value, notebooks) for key, value in nav.items()}
    if isinstance(nav, str) and nav in notebooks:
        return notebook_page_uri(nav)
    return nav


RENDERING_CODE = (
    "site_tools.hosts.zensical.extension",
    "site_tools.site.page",
    "site_tools.site.checks",
    "site_tools.render.html",
    "site_tools.render.values",
    *THEMING_CODE,
)


def results_stamp(state: SiteState) -> str:
    """What the pages show depends on: every result's key and the code that renders them. Zensical
    keeps a page's HTML while its text and config stay the same; this stamp, in the config's
    ``extra``, makes it render again when a result or that code changes."""
    keys = sorted({state.engine.known_key(snippet) for snippet in state.snippets()})
    digest = hashlib.sha256("\n".join([*keys, code_version(*RENDERING_CODE)]).encode())
    return digest.hexdigest()[:16]


def zensical_config(site: SiteConfig, project: Project, state: SiteState) -> Path:
    """Write Zensical's config next to the site's config and return its path."""
    notebook_uris = [posixpath.splitext(src_uri)[0] + ".ipynb" for src_uri in state.inventory.notebooks]
    data = site.data
    if entry_options(data.get("markdown_extensions"), (EXTENSION_NAME,)) is None:
        where = (
            f'a [project.markdown_extensions."{EXTENSION_NAME}"] table'
            if site.is_toml
            else f"`- {EXTENSION_NAME}` under markdown_extensions"
        )
        raise HostConfigError(
            f"{site.name}: add {where}: it puts the figures and values into pages on hosts that run "
            "no MkDocs plugin (MkDocs' plugin switches it off)"
        )
    snippets = project.engine.snippets_dir.resolve().relative_to(project.root.resolve()).as_posix()
    watch = list(data.get("watch") or [])
    config: dict[str, Any] = {
        **data,
        "extra_css": _with_assets(data.get("extra_css"), "css"),
        "extra_javascript": _with_assets(data.get("extra_javascript"), "js"),
        "watch": [*watch, snippets] if snippets not in watch else watch,
        "extra": {**(data.get("extra") or {}), "site_tools_results": results_stamp(state)},
    }
    if "nav" in data:
        config["nav"] = _nav(data["nav"], set(notebook_uris))
    path = generated_config_path(site)
    text = f"# Written by site-tools for Zensical (site-tools build --host zensical); edit {site.name}.\n"
    text += tomli_w.dumps({"project": config}) if site.is_toml else dump_yaml(config)
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path
