"""zensical.toml read as Zensical reads it: TOML, its settings under the ``[project]`` table.

Zensical takes the ``project`` table as the whole config (a file without one is read whole), with
the same keys as mkdocs.yml: ``docs_dir``, ``plugins`` (a mapping: ``[project.plugins.blog]``) and
``markdown_extensions`` (a mapping: ``[project.markdown_extensions."site_tools.markdown"]``). TOML has
no ``INHERIT`` and no ``!ENV``. The line finder is for messages only: it knows tables and plain
``key = value`` lines, and says nothing (None) where a key is written some other way.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from site_tools.configfile.errors import ConfigFileError
from site_tools.problems import Problem

_ERROR_AT = re.compile(r"\s*\(at line (\d+), column \d+\)$")


def load_toml_config(path: Path) -> dict[str, Any]:
    """The ``[project]`` table of ``path`` (or the whole file if it has none)."""
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as error:
        raise ConfigFileError(Problem(path.name, None, None, f"cannot read: {error.strerror}")) from None
    except UnicodeDecodeError:
        raise ConfigFileError(Problem(path.name, None, None, "is not UTF-8 text")) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        found = _ERROR_AT.search(message)
        line = int(found[1]) if found else None
        reason = _ERROR_AT.sub("", message)
        raise ConfigFileError(Problem(path.name, line, None, f"malformed TOML: {reason}")) from None
    project = data.get("project", data)
    if not isinstance(project, dict):
        line = table_line(text, ("project",))
        raise ConfigFileError(Problem(path.name, line, "project", "expected a table"))
    return project


def _header(line: str) -> tuple[str, ...] | None:
    """The dotted path of a ``[table]`` header line, quotes removed; None for other lines."""
    match = re.match(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$", line)
    if not match:
        return None
    return tuple(part.strip().strip("\"'") for part in re.findall(r'"[^"]*"|\'[^\']*\'|[^.]+', match[1]))


def table_line(text: str, table: tuple[str, ...]) -> int | None:
    """The line of the ``[a.b."c"]`` header of ``table`` (its dotted path), or of ``"c" = {...}`` written
    inline in its parent table."""
    parent, current = table[:-1], None
    for number, line in enumerate(text.splitlines(), 1):
        header = _header(line)
        if header is not None:
            current = header
            if header == table:
                return number
            continue
        if current == parent and re.match(rf"^\s*[\"']?{re.escape(table[-1])}[\"']?\s*=", line):
            return number
    return None


def key_line(text: str, table: tuple[str, ...], key: str) -> int | None:
    """The line of ``key = ...`` inside ``[table]``; the table's own line where the key is inline."""
    current = None
    for number, line in enumerate(text.splitlines(), 1):
        header = _header(line)
        if header is not None:
            current = header
            continue
        if current == table and re.match(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=", line):
            return number
    return table_line(text, table)
