"""Read mkdocs.yml as MkDocs reads it, with PyYAML alone: ``!ENV``, ``INHERIT``, tags it cannot know.

The pytest plugin, the CLI and every host adapter start here, so they see the same plugin options the
build sees, and none of them needs MkDocs installed (a Zensical-only install reads the same file).
What MkDocs' loader does is done the same way here: ``!ENV NAME`` and ``!ENV [A, B, default]`` (the
first variable set wins, its text typed as YAML types it; else the default), ``INHERIT: parent.yml``
deep-merged under this file (mappings merge, everything else is replaced), and tags that name Python
objects (``!!python/name:...``) or the page-relative ``!relative`` kept as their text, never imported.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from site_tools.problems import Problem

CONFIG_NAME = "mkdocs.yml"


class MkDocsYmlError(Exception):
    """mkdocs.yml cannot be read; ``problem`` says where and why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class _Loader(yaml.SafeLoader):
    """A safe loader that knows ``!ENV`` and keeps every other tag as the plain value it tags."""


def _env_tag(loader: _Loader, node: yaml.Node) -> Any:
    default = None
    if isinstance(node, yaml.ScalarNode):
        names = [loader.construct_scalar(node)]
    elif isinstance(node, yaml.SequenceNode):
        children = node.value
        if len(children) > 1:
            default = loader.construct_object(children[-1], deep=True)
            children = children[:-1]
        names = [loader.construct_scalar(child) for child in children]
    else:
        raise yaml.constructor.ConstructorError(
            None, None, f"!ENV expects a name or a list, found {node.id}", node.start_mark
        )
    for name in names:
        if name in os.environ:
            value = os.environ[name]
            tag = loader.resolve(yaml.ScalarNode, value, (True, False))
            return loader.construct_object(yaml.ScalarNode(tag, value))
    return default


class Tagged(str):
    """The text of a scalar with a tag we do not resolve; ``dump_yaml`` writes the tag back."""

    tag: str
    node_value: str

    def __new__(cls, text: str, tag: str, node_value: str) -> Tagged:
        tagged = super().__new__(cls, text)
        tagged.tag, tagged.node_value = tag, node_value
        return tagged


def _other_tag(loader: _Loader, suffix: str, node: yaml.Node) -> Any:
    """``!!python/name:x.y``, ``!relative`` and the like: their text, nothing imported or resolved."""
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        return Tagged(value or suffix.rpartition(":")[2], node.tag, value)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_mapping(node, deep=True)


_Loader.add_constructor("!ENV", _env_tag)
_Loader.add_multi_constructor("", _other_tag)


class _Dumper(yaml.SafeDumper):
    """Writes a loaded config back: tagged scalars (``!!python/name:...``) keep their tags."""


_Dumper.add_representer(Tagged, lambda dumper, data: dumper.represent_scalar(data.tag, data.node_value))


def dump_yaml(data: Mapping[str, Any]) -> str:
    return yaml.dump(dict(data), Dumper=_Dumper, sort_keys=False, allow_unicode=True)


def merge(parent: dict[str, Any], child: Mapping[str, Any]) -> dict[str, Any]:
    """``child`` over ``parent`` as MkDocs merges ``INHERIT``: mappings recursively, the rest replaced."""
    merged = dict(parent)
    for key, value in child.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = merge(dict(merged[key]), value)
        else:
            merged[key] = value
    return merged


def load_yaml_config(path: Path, *, name: str = CONFIG_NAME, seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """The mapping of ``path`` with its ``INHERIT`` chain merged; MkDocsYmlError names file and line."""
    try:
        with path.open("rb") as handle:
            data = yaml.load(handle, Loader=_Loader)
    except OSError as error:
        raise MkDocsYmlError(Problem(name, None, None, f"cannot read: {error.strerror}")) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        reason = getattr(error, "problem", None) or str(error)
        line = mark.line + 1 if mark is not None else None
        raise MkDocsYmlError(Problem(name, line, None, f"malformed YAML: {reason}")) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise MkDocsYmlError(Problem(name, 1, None, "expected a YAML mapping"))
    if "INHERIT" in data:
        relpath = str(data.pop("INHERIT"))
        parent_path = (path.parent / relpath).resolve()
        line = _key_line(path, "INHERIT")
        if parent_path in seen:
            raise MkDocsYmlError(Problem(name, line, "INHERIT", f"{relpath} inherits from itself"))
        if not parent_path.is_file():
            raise MkDocsYmlError(Problem(name, line, "INHERIT", f"inherited file {relpath} does not exist"))
        parent = load_yaml_config(parent_path, name=relpath, seen=(*seen, path.resolve()))
        data = merge(parent, data)
    return data


def _key_line(path: Path, key: str) -> int | None:
    text = path.read_text(encoding="utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith(f"{key}:"):
            return number
    return None


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
    data = load_yaml_config(path)
    return MkDocsYml(path, path.read_text(encoding="utf-8", errors="replace"), data)


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
