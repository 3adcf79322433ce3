"""Read mkdocs.yml as MkDocs reads it (its YAML loader: ``!ENV``, ``INHERIT``, python tags).

The pytest plugin and the CLI start here, so they see the same plugin options the build sees. Only
MkDocs' YAML helpers are used; nothing here builds a site.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from mkdocs.exceptions import ConfigurationError
from mkdocs.utils.yaml import yaml_load

from site_tools.problems import Problem

CONFIG_NAME = "mkdocs.yml"


class MkDocsYmlError(Exception):
    """mkdocs.yml cannot be read; ``problem`` says where and why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@dataclass(frozen=True)
class MkDocsYml:
    path: Path
    text: str
    data: dict[str, Any]

    def plugin(self, names: Iterable[str]) -> dict[str, Any] | None:
        """Options of the first plugin named one of ``names`` (``{}`` when it has none); None if absent."""
        return plugin_options(self.data, names)

    def line_of(self, key: str, *, under: Iterable[str]) -> int | None:
        return option_line(self.text, key, under=under)


def option_line(text: str, key: str, *, under: Iterable[str]) -> int | None:
    """The line of ``key:`` inside the entry of a plugin named one of ``under``, when written there."""
    names = "|".join(re.escape(name) for name in under)
    lines = text.splitlines()
    for start, line in enumerate(lines):
        if re.match(rf"^\s*-?\s*(?:{names})\s*:", line):
            indent = len(line) - len(line.lstrip(" -"))
            for number, inner in enumerate(lines[start + 1 :], start + 2):
                if inner.strip() and len(inner) - len(inner.lstrip(" -")) <= indent:
                    break
                if re.match(rf"^\s*{re.escape(key)}\s*:", inner):
                    return number
    return None


def read_mkdocs_yml(root: Path) -> MkDocsYml:
    path = root / CONFIG_NAME
    try:
        with path.open("rb") as handle:
            data = yaml_load(handle)
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        raise MkDocsYmlError(Problem(CONFIG_NAME, None, None, f"cannot read: {error.strerror}")) from None
    except ConfigurationError as error:
        cause = error.__context__
        mark = getattr(cause, "problem_mark", None)
        reason = getattr(cause, "problem", None) or str(error)
        line = mark.line + 1 if isinstance(cause, yaml.MarkedYAMLError) and mark else None
        raise MkDocsYmlError(Problem(CONFIG_NAME, line, None, f"malformed YAML: {reason}")) from None
    if not isinstance(data, dict):
        raise MkDocsYmlError(Problem(CONFIG_NAME, 1, None, "expected a YAML mapping"))
    return MkDocsYml(path, text, data)


def _plugin_entries(plugins: Any) -> Iterator[tuple[Any, Any]]:
    """(name, options) pairs from either form MkDocs accepts: a list or a mapping."""
    if isinstance(plugins, dict):
        yield from plugins.items()
        return
    for item in plugins if isinstance(plugins, list) else ():
        if isinstance(item, dict):
            yield from item.items()
        else:
            yield item, None


def plugin_options(config: dict[str, Any], names: Iterable[str]) -> dict[str, Any] | None:
    """Options of the first plugin in a loaded mkdocs.yml named one of ``names``; None if absent."""
    wanted = set(names)
    for name, options in _plugin_entries(config.get("plugins")):
        if name in wanted:
            return options if isinstance(options, dict) else {}
    return None
