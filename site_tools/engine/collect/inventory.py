"""The site inventory: every snippet a site runs, with the options of the place that runs it.

One function, ``build_inventory``, turns a site's pages (embeds, inline blocks), its notebooks and
its snippet files into snippets. The build, pytest, ``site-tools check`` and ``cache prune`` all use it,
so a snippet has the same key (code, helpers, data files, timeout) whichever of them asks.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from site_tools.engine.collect.discover import PageScan, scan_page
from site_tools.engine.model import Embed, Snippet
from site_tools.problems import Problem


@dataclass
class Inventory:
    pages: dict[str, PageScan] = field(default_factory=dict)  # repository-relative page -> its blocks
    notebooks: dict[str, Snippet] = field(default_factory=dict)  # docs-relative path -> notebook
    loose: tuple[Snippet, ...] = ()  # snippet files no page embeds: still run as tests

    @property
    def embeds(self) -> list[Embed]:
        return [embed for scan in self.pages.values() for embed in scan.embeds]

    @property
    def problems(self) -> list[Problem]:
        return [problem for scan in self.pages.values() for problem in scan.problems]

    def site_snippets(self) -> list[Snippet]:
        """What a build runs: every embed and every notebook."""
        return [run for embed in self.embeds for run in embed.runs] + list(self.notebooks.values())

    def all_snippets(self) -> list[Snippet]:
        """What the tests run: the site's snippets and the snippet files no page embeds."""
        return self.site_snippets() + list(self.loose)

    def file_snippets(self, path: str) -> list[Snippet]:
        """The distinct snippets of one snippet file (repository-relative), in page order."""
        found = [s for s in self.all_snippets() if s.kind == "file" and s.path == path]
        return list(dict.fromkeys(found))


def is_notebook(docs_relative: str, globs: Iterable[str]) -> bool:
    """Whether a docs file is one of the site's notebooks (``notebooks:`` globs, matched like fnmatch)."""
    return any(fnmatch.fnmatch(docs_relative, glob) for glob in globs)


def build_inventory(
    engine,
    pages: Mapping[str, str],
    notebooks: Mapping[str, Path],
) -> Inventory:
    """``pages``: repository-relative path -> Markdown; ``notebooks``: docs-relative path -> file."""
    config = engine.config
    inventory = Inventory()
    for page, text in pages.items():
        inventory.pages[page] = scan_page(
            page, text, root=config.root, snippets_dir=config.snippets_dir, default_timeout=config.timeout
        )
    for docs_relative, path in sorted(notebooks.items()):
        inventory.notebooks[docs_relative] = engine.notebook(path)
    embedded = {embed.snippet.path for embed in inventory.embeds}
    inventory.loose = tuple(s for s in engine.snippet_files() if s.path not in embedded)
    return inventory
