"""Find the executable blocks of a Markdown page.

Those are ```` ```snippet ```` embeds and ```` ```python exec ```` blocks.

Only top-level fences count, so a page can show the syntax inside a longer fence without running it.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import yaml

from site_tools import fast_yaml
from site_tools.engine.collect.embed_options import OptionError, parse_options
from site_tools.engine.collect.grid import grid_points, grid_problem, variant
from site_tools.engine.collect.linked import linked_problems
from site_tools.engine.collect.source import read_source
from site_tools.engine.model import CodeCell, Embed, Snippet
from site_tools.problems import Problem
from site_tools.yaml_hints import explain

_FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`\n]*?)[ \t]*$")


@dataclass(frozen=True)
class Fence:
    start: int  # 1-based line of the opening fence
    end: int  # 1-based line of the closing fence
    indent: str
    info: str
    body: str


def iter_fences(text: str) -> list[Fence]:
    """Top-level fenced blocks of ``text``; an unclosed fence runs to the end, as in CommonMark."""
    lines = text.splitlines()
    fences: list[Fence] = []
    i = 0
    while i < len(lines):
        match = _FENCE_OPEN.match(lines[i])
        if not match:
            i += 1
            continue
        indent, fence, info = match["indent"], match["fence"], match["info"]
        closing = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
        j = i + 1
        while j < len(lines) and not closing.match(lines[j]):
            j += 1
        body = "\n".join(_dedent(line, indent) for line in lines[i + 1 : j])
        fences.append(Fence(i + 1, min(j, len(lines) - 1) + 1, indent, info, body + "\n" if body else ""))
        i = j + 1
    return fences


def _dedent(line: str, indent: str) -> str:
    return line[len(indent) :] if line.startswith(indent) else line.lstrip(" \t")


def is_embed(info: str) -> bool:
    return info.split(None, 1)[0:1] == ["snippet"]


def is_inline_exec(info: str) -> bool:
    """```` ```python exec ````, with the bare word ``exec``.

    markdown-exec writes ```` ```python exec="on" ```` (or ``"true"``, ``"1"``): those blocks belong to it,
    and neither the build nor pytest ever runs them.
    """
    words = info.split()
    return len(words) >= 2 and words[0] in ("python", "py") and words[1] == "exec"


@dataclass(frozen=True)
class Block:
    """One executable fence of a page, in page order: what it runs, or the problems that stop it."""

    fence: Fence
    embed: Embed | None
    problems: tuple[Problem, ...] = ()
    refused: str | None = None  # a refused embed's ``file`` (its citations are not checked either)


@dataclass(frozen=True)
class PageScan:
    blocks: tuple[Block, ...] = ()

    @property
    def embeds(self) -> tuple[Embed, ...]:
        return tuple(block.embed for block in self.blocks if block.embed is not None)

    @property
    def problems(self) -> tuple[Problem, ...]:
        return tuple(problem for block in self.blocks for problem in block.problems)

    @property
    def refused(self) -> frozenset[str]:
        """The snippet files (as embeds name them) of embeds refused for their options."""
        return frozenset(block.refused for block in self.blocks if block.refused)


def executable_fences(text: str) -> list[Fence]:
    """The fences of ``text`` that run (or would, once fixed): embeds and inline blocks, in order."""
    return [fence for fence in iter_fences(text) if is_embed(fence.info) or is_inline_exec(fence.info)]


def scan_page(page: str, text: str, *, root: Path, snippets_dir: Path, default_timeout: float) -> PageScan:
    """Every executable block of one page (``page`` is its repository-relative path)."""
    blocks: list[Block] = []
    seen_ids: dict[str, int] = {}
    for fence in executable_fences(text):
        try:
            if is_embed(fence.info):
                embed = _file_embed(page, fence, root, snippets_dir, default_timeout)
            else:
                embed = _inline_embed(page, fence, default_timeout)
        except OptionError as error:
            line = error.line or _option_line(fence, error.field)
            problem = Problem(page, line, error.field, str(error))
            blocks.append(Block(fence, None, (problem,), _named_file(fence)))
            continue
        blocks.append(Block(fence, embed, _duplicate_id(page, embed, seen_ids)))
    return PageScan(tuple(_linked(page, blocks)))


def _linked(page: str, blocks: list[Block]) -> list[Block]:
    """``blocks`` with the embeds refused whose grid disagrees with the post's others
    (engine/collect/linked.py): one problem each, on its option's line."""
    refusals = {id(r.embed): r for r in linked_problems([b.embed for b in blocks if b.embed is not None])}
    checked = []
    for block in blocks:
        refusal = refusals.get(id(block.embed))
        if refusal is None:
            checked.append(block)
            continue
        line = _option_line(block.fence, refusal.field)
        problem = Problem(page, line, refusal.field, refusal.message)
        checked.append(Block(block.fence, None, (problem,), _named_file(block.fence)))
    return checked


def _named_file(fence: Fence) -> str | None:
    """The ``file`` a snippet block names, when it can be read (a refused block's citations are
    then not reported as citing a snippet the page does not embed)."""
    try:
        raw = fast_yaml.load(fence.body) if is_embed(fence.info) else None
    except yaml.YAMLError:
        return None
    file = raw.get("file") if isinstance(raw, dict) else None
    return file.strip() if isinstance(file, str) else None


def _file_embed(page: str, fence: Fence, root: Path, snippets_dir: Path, timeout: float) -> Embed:
    try:
        raw = fast_yaml.load(fence.body) if fence.body.strip() else {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = fence.start + 1 + mark.line if mark else fence.start
        raise OptionError(
            f"snippet block: invalid YAML: {explain(str(getattr(error, 'problem', error)))}", line=line
        ) from None
    if not isinstance(raw, dict):
        raise OptionError("snippet block: expected `key: value` lines, starting with `file: name.py`")
    options = parse_options(raw, allow_file=True)
    file = raw.get("file")
    if not isinstance(file, str) or not file.strip():
        raise OptionError(
            "snippet block: `file` is missing (the snippet's path under snippets/)", field="file"
        )
    path = resolve_inside(snippets_dir, file, what="snippet", field="file")
    data = tuple(
        _relative(resolve_inside(snippets_dir, item, what="data file", field="data"), root)
        for item in options.data
    )
    snippet = Snippet(
        kind="file",
        name=_relative(path, root),
        path=_relative(path, root),
        cells=(CodeCell(read_source(path), 1),),
        data=data,
        timeout=options.timeout or timeout,
        resources=options.resources,
    )
    if not options.vary:
        return Embed(page, fence.start, fence.end, fence.indent, snippet, options)
    problem = grid_problem(options.vary, options.default, snippet.cells[0].code, snippet.path)
    if problem:
        raise OptionError(problem[1], field=problem[0])
    variants = tuple(variant(snippet, point) for point in grid_points(options.vary))
    default = variant(snippet, options.default)
    return Embed(page, fence.start, fence.end, fence.indent, default, options, variants)


def _inline_embed(page: str, fence: Fence, timeout: float) -> Embed:
    try:
        words = shlex.split(fence.info)[2:]
    except ValueError as error:
        raise OptionError(f"exec block: cannot read the options: {error}") from None
    raw: dict[str, object] = {}
    for word in words:
        key, sep, value = word.partition("=")
        if not sep:
            raise OptionError(f"exec block: option `{word}` needs a value (`{word}=...`)", field=word)
        raw[key] = fast_yaml.load(value) if key in ("stdout", "timeout", "resources") else value
    options = parse_options(raw, allow_file=False)
    snippet = Snippet(
        kind="inline",
        name=f"{page}::L{fence.start}",
        path=page,
        cells=(CodeCell(fence.body, fence.start + 1),),
        timeout=options.timeout or timeout,
        resources=options.resources,
    )
    return Embed(page, fence.start, fence.end, fence.indent, snippet, options)


def _option_line(fence: Fence, field: str | None) -> int:
    """The page line where option ``field`` is written, else the fence's first line."""
    if field:
        for offset, line in enumerate(fence.body.splitlines()):
            if re.match(rf"^\s*{re.escape(field)}\s*:", line):
                return fence.start + 1 + offset
    return fence.start


def resolve_inside(folder: Path, name: str, *, what: str, field: str) -> Path:
    """``folder/name``, refusing paths that leave ``folder`` and files that do not exist."""
    path = (folder / name).resolve()
    if not path.is_relative_to(folder.resolve()):
        raise OptionError(
            f"{what} `{name}` is outside {folder.name}/: paths must stay inside it", field=field
        )
    if not path.is_file():
        raise OptionError(f"{what} `{name}` does not exist in {folder.name}/", field=field)
    return path


def _relative(path: Path, root: Path) -> str:
    return path.resolve().relative_to(root.resolve()).as_posix()


def _duplicate_id(page: str, embed: Embed, seen: dict[str, int]) -> tuple[Problem, ...]:
    """A problem when ``embed`` reuses a figure id of an earlier embed of the page (``seen``: id -> line)."""
    ident = embed.options.id
    if ident is None:
        return ()
    if ident not in seen:
        seen[ident] = embed.start
        return ()
    message = (
        f"figure id `{ident}` is already used on line {seen[ident]} of this page: ids must be unique per page"
    )
    return (Problem(page, embed.start, "id", message),)
