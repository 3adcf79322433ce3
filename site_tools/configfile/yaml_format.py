"""A YAML site config (mkdocs.yml, properdocs.yml) read as MkDocs reads it, with PyYAML alone.

What MkDocs' loader does is done the same way here: ``!ENV NAME`` and ``!ENV [A, B, default]`` (the
first variable set wins, its text typed as YAML types it; else the default), ``INHERIT: parent.yml``
deep-merged under this file (mappings merge, everything else is replaced), and tags that name Python
objects (``!!python/name:...``) or the page-relative ``!relative`` kept as their text, never imported.
One difference, on purpose: ``!ENV NAME`` with the variable unset and no default is an error naming
the file and line (MkDocs would quietly read it as nothing, and the option would fall back unseen).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

from site_tools import fast_yaml
from site_tools.configfile.errors import ConfigFileError
from site_tools.problems import Problem


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
    if isinstance(node, yaml.ScalarNode):
        raise _UnsetVariable(names[0], node.start_mark.line + 1)
    return default


class _UnsetVariable(Exception):
    """``!ENV NAME`` with NAME unset and no default: the loader stops, the reader names file and line."""

    def __init__(self, name: str, line: int) -> None:
        super().__init__(name)
        self.name, self.line = name, line


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
_LibYAMLLoader = fast_yaml.on_libyaml(_Loader)  # the same, parsed by libyaml: a build reads it each time


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


def load_yaml_config(path: Path, *, name: str | None = None, seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """The mapping of ``path`` with its ``INHERIT`` chain merged; ConfigFileError names file and line."""
    name = name or path.name
    try:
        data = fast_yaml.load(path.read_bytes(), _Loader, _LibYAMLLoader)
    except OSError as error:
        raise ConfigFileError(Problem(name, None, None, f"cannot read: {error.strerror}")) from None
    except _UnsetVariable as unset:
        raise ConfigFileError(
            Problem(
                name,
                unset.line,
                "!ENV",
                f"environment variable {unset.name} is not set and `!ENV {unset.name}` has no default; "
                f"set it, or write `!ENV [{unset.name}, default]`",
            )
        ) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        reason = getattr(error, "problem", None) or str(error)
        line = mark.line + 1 if mark is not None else None
        raise ConfigFileError(Problem(name, line, None, f"malformed YAML: {reason}")) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigFileError(Problem(name, 1, None, "expected a YAML mapping"))
    if "INHERIT" in data:
        relpath = str(data.pop("INHERIT"))
        parent_path = (path.parent / relpath).resolve()
        line = _key_line(path, "INHERIT")
        if parent_path in seen:
            raise ConfigFileError(Problem(name, line, "INHERIT", f"{relpath} inherits from itself (a loop)"))
        if not parent_path.is_file():
            raise ConfigFileError(Problem(name, line, "INHERIT", f"inherited file {relpath} does not exist"))
        parent = load_yaml_config(parent_path, name=relpath, seen=(*seen, path.resolve()))
        data = merge(parent, data)
    return data


def _key_line(path: Path, key: str) -> int | None:
    text = path.read_text(encoding="utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith(f"{key}:"):
            return number
    return None


def option_line(text: str, key: str, *, under: Iterable[str]) -> int | None:
    """The line of ``key:`` inside the entry (of a plugin or an extension) named one of ``under``."""
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


def entry_options(entries: Any, names: Iterable[str]) -> dict[str, Any] | None:
    """Options of the first entry named one of ``names`` in a list or mapping of plugins or Markdown
    extensions, as MkDocs and Zensical accept them (``{}`` when it has none); None if absent."""
    wanted = set(names)
    for name, options in _plugin_entries(entries):
        if name in wanted:
            return options if isinstance(options, dict) else {}
    return None
