"""Read a Markdown post into front matter, the file lines of its keys and its body.

Every way a file can fail to be read (not UTF-8, front matter never closed, malformed YAML) becomes
a :class:`PostReadError` carrying a :class:`Problem` with the line, instead of a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from site_tools import fast_yaml
from site_tools.problems import Problem
from site_tools.yaml_hints import explain

# python-frontmatter's YAML boundary ('---' lines) is the one Material's blog plugin also expects.
_HANDLER = frontmatter.YAMLHandler()


class PostReadError(Exception):
    """The file cannot be read as a post; ``problem`` says where and why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def _timestamp_or_text(loader: yaml.constructor.SafeConstructor, node: yaml.Node) -> Any:
    """A date, or an impossible one such as ``2023-02-30`` kept as text: PyYAML raises a bare
    ValueError for those; keeping the text lets the schema report the field and its line like any
    other bad date."""
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)  # type: ignore[arg-type]


class _PostLoader(yaml.SafeLoader):
    """SafeLoader that keeps an impossible date as text (``_timestamp_or_text``)."""


_PostLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)
# The same loader on libyaml's parser (site_tools.fast_yaml): an 800-post site spent more time parsing
# front matter than anything else of ours. A document it refuses is parsed again by ``_PostLoader``.
_FastPostLoader = fast_yaml.on_libyaml(_PostLoader)


@dataclass(frozen=True)
class PostSource:
    """A post as read from disk; ``meta`` is None when the file has no front matter at all."""

    rel: str
    text: str
    meta: dict[str, Any] | None
    body: str
    body_line: int
    key_lines: dict[str, int] = field(default_factory=dict)
    duplicate_keys: tuple[tuple[str, int, int], ...] = ()


def relative_name(path: Path, project_root: Path) -> str:
    """Repo-relative posix path for messages, or the path as given when it lies elsewhere."""
    try:
        return path.resolve().relative_to(project_root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def decode_utf8(data: bytes, rel: str) -> str:
    """Decode like Material does (UTF-8, optional BOM); name the first bad byte and its line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise PostReadError(
            Problem(
                rel,
                line,
                None,
                f"file is not UTF-8: byte 0x{data[error.start]:02x} at offset {error.start} "
                "cannot be decoded; save the file with UTF-8 encoding",
            )
        ) from None


def read_post(path: Path, project_root: Path) -> PostSource:
    """Read ``path``; raise PostReadError for anything that stops it being parsed at all."""
    rel = relative_name(path, project_root)
    try:
        data = path.read_bytes()
    except OSError as error:
        problem = Problem(rel, None, None, f"cannot read file: {error.strerror}")
        raise PostReadError(problem) from None
    return parse_post(decode_utf8(data, rel), rel)


def parse_post(text: str, rel: str) -> PostSource:
    """Split ``text`` into front matter and body, keeping the file line of each top-level key."""
    opening = _HANDLER.FM_BOUNDARY.match(text)
    if opening is None:
        return PostSource(rel=rel, text=text, meta=None, body=text, body_line=1)
    closing = _HANDLER.FM_BOUNDARY.search(text, opening.end())
    if closing is None:
        raise PostReadError(
            Problem(
                rel,
                1,
                None,
                "front matter: opened with '---' on line 1 but never closed; "
                "add a '---' line after the last key",
            )
        )
    fm_text = text[opening.end() : closing.start()]
    first_line = text.count("\n", 0, opening.end()) + 1
    body = text[closing.end() :].removeprefix("\n")
    body_line = text.count("\n", 0, len(text) - len(body)) + 1
    node, meta = _load_yaml(fm_text, rel, first_line)
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise PostReadError(
            Problem(
                rel,
                first_line + 1,
                None,
                f"front matter: expected 'key: value' lines, found a YAML {type(meta).__name__}",
            )
        )
    key_lines, duplicates = _key_lines(node, first_line)
    return PostSource(rel, text, meta, body, body_line, key_lines, tuple(duplicates))


def _load_yaml(fm_text: str, rel: str, first_line: int) -> tuple[yaml.Node | None, Any]:
    """Compose and construct in one pass so values and node marks come from the same parse."""
    fast = _FastPostLoader(fm_text)
    try:
        node = fast.get_single_node()
        return node, (fast.construct_document(node) if node is not None else None)
    except yaml.YAMLError:
        pass  # the pure-Python parser below names what is wrong, with its line, as it always has
    finally:
        fast.dispose()
    loader = _PostLoader(fm_text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = first_line + mark.line if mark is not None else first_line
        reason = explain(error.problem or error.context or "cannot be parsed")
        raise PostReadError(Problem(rel, line, None, f"front matter: malformed YAML: {reason}")) from None
    except yaml.YAMLError as error:
        raise PostReadError(
            Problem(rel, first_line, None, f"front matter: malformed YAML: {error}")
        ) from None
    finally:
        loader.dispose()


def _key_lines(node: yaml.Node | None, first_line: int) -> tuple[dict[str, int], list[tuple[str, int, int]]]:
    """File line of every top-level key; duplicates as (key, first line, repeated line)."""
    lines: dict[str, int] = {}
    duplicates: list[tuple[str, int, int]] = []
    if not isinstance(node, yaml.MappingNode):
        return lines, duplicates
    for key_node, _value in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            continue
        line = first_line + key_node.start_mark.line
        if key_node.value in lines:
            duplicates.append((key_node.value, lines[key_node.value], line))
        else:
            lines[key_node.value] = line
    return lines, duplicates
