"""Where a site's parts are and how its snippets run, read from mkdocs.yml without importing MkDocs.

The MkDocs plugin, the pytest plugin and the CLI all start from these settings, so a snippet runs
with the same options, and hits the same cache, whichever of them runs it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from site_tools.engine import Engine, EngineConfig, Snippet, execution_enabled
from site_tools.engine.remote import remote_options
from site_tools.posts.site_config import load_yaml_file, plugin_options
from site_tools.problems import Problem

PLUGIN_NAMES = ("site-tools", "site_tools")
DEFAULT_SNIPPETS_DIR = "snippets"
DEFAULT_CACHE_DIR = ".cache/site_tools"
DEFAULT_TIMEOUT = 120.0
DEFAULT_MEMORY_LIMIT_MB = 4096


@dataclass(frozen=True)
class ProjectSettings:
    root: Path
    docs_dir: Path
    engine: EngineConfig
    notebooks: tuple[str, ...]


def find_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` holding mkdocs.yml."""
    for folder in (start.resolve(), *start.resolve().parents):
        if (folder / "mkdocs.yml").is_file():
            return folder
    raise FileNotFoundError(f"no mkdocs.yml in {start} or any folder above it")


def load_settings(root: Path, *, workers: int | None = None) -> ProjectSettings:
    config = load_yaml_file(root / "mkdocs.yml", "mkdocs.yml") or {}
    options = plugin_options(config, PLUGIN_NAMES) or {}
    memory_mb = int(options.get("memory_limit_mb", DEFAULT_MEMORY_LIMIT_MB))
    cache_url, cache_write = remote_options(options.get("cache_url"), bool(options.get("cache_write", False)))
    engine = EngineConfig(
        root=root,
        snippets_dir=root / options.get("snippets_dir", DEFAULT_SNIPPETS_DIR),
        cache_dir=root / options.get("cache_dir", DEFAULT_CACHE_DIR),
        workers=workers or options.get("workers"),
        execute=execution_enabled(bool(options.get("execute", True))),
        timeout=float(options.get("timeout", DEFAULT_TIMEOUT)),
        memory_limit=(memory_mb << 20) or None,
        cache_url=cache_url,
        cache_write=cache_write,
    )
    return ProjectSettings(
        root=root,
        docs_dir=root / config.get("docs_dir", "docs"),
        engine=engine,
        notebooks=tuple(options.get("notebooks", ())),
    )


def site_pages(settings: ProjectSettings) -> dict[str, str]:
    """Every Markdown page under the docs folder: repository-relative path -> text."""
    pages = {}
    for path in sorted(settings.docs_dir.rglob("*.md")):
        relative = path.relative_to(settings.root).as_posix()
        pages[relative] = path.read_bytes().decode("utf-8", errors="replace")
    return pages


def site_snippets(settings: ProjectSettings, engine: Engine) -> tuple[list[Snippet], list[Problem]]:
    """Everything the site runs (embeds, inline blocks, notebooks) and the problems that stop a block."""
    collection = engine.scan(site_pages(settings))
    snippets = [embed.snippet for embed in collection.embeds]
    for glob in settings.notebooks:
        snippets += [engine.notebook(path) for path in sorted(settings.docs_dir.glob(glob))]
    return snippets, collection.problems


def embed_problems(root: Path) -> list[Problem]:
    """What ``site-tools check`` reports about embeds: missing files, bad options, duplicate ids."""
    settings = load_settings(root)
    return site_snippets(settings, Engine(settings.engine))[1]
