"""Local links and images of a post that lead nowhere, and Jekyll's Liquid tags that MkDocs would show.

:func:`missing_targets` finds relative targets (``images/x.png``, ``../other.md#part``) with no file
in the post's own folder, as MkDocs resolves them. :func:`unresolved_links` judges every target the
way MkDocs' link validation does under the ``validation`` levels of mkdocs.yml (:class:`LinkRules`):
absolute paths, targets holding Liquid (``{{ site.url }}/``), targets that are no file. So
``site-tools check`` fails exactly where ``mkdocs build --strict`` would. Web addresses and anchors
are left alone. Code blocks are not prose: a link written inside one is an example.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from site_tools.posts.blocks import iter_prose_lines

_LIQUID_TAG = r"\{\{.*?\}\}|\{%.*?%\}"
_LIQUID = re.compile(_LIQUID_TAG)
# A target is one word, or words held together by Liquid tags (``{{ site.url }}/about``).
_LINK = re.compile(
    r"(?P<image>!?)\[(?P<text>[^\]]*)\]\(\s*<?(?P<target>(?:"
    + _LIQUID_TAG
    + r"|[^)\s>])+)>?(?:\s+\"[^\"]*\")?\s*\)"
)
_CODE_SPAN = re.compile(r"`+[^`]*`+")
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|/|#)", re.I)


@dataclass(frozen=True)
class Found:
    index: int  # 0-based line of the text
    text: str  # what was found, as written
    kind: str  # "link", "image" or "Liquid tag"
    target: str = ""
    label: str = ""  # a link's text
    reason: str = ""  # why the build would refuse it (unresolved_links)


@dataclass(frozen=True)
class LinkRules:
    """What MkDocs' link validation warns about (``validation`` in mkdocs.yml; its defaults here).

    Each level is MkDocs' own word: ``warn`` fails a strict build, ``info`` and ``ignore`` do not;
    ``absolute_links`` may also be ``relative_to_docs`` (``/x.png`` means ``docs/x.png``).
    """

    docs_dir: Path
    absolute_links: str = "info"
    unrecognized_links: str = "info"
    not_found: str = "warn"

    @classmethod
    def from_config(cls, config: Mapping[str, Any], docs_dir: Path) -> LinkRules:
        """The rules of a loaded mkdocs.yml: ``validation.links.*`` or the ``validation.*`` shorthand."""
        validation = config.get("validation")
        validation = validation if isinstance(validation, dict) else {}
        links = validation.get("links")
        levels = {**validation, **(links if isinstance(links, dict) else {})}
        return cls(
            docs_dir,
            **{
                name: str(levels[name]).lower()
                for name in ("absolute_links", "unrecognized_links", "not_found")
                if isinstance(levels.get(name), str)
            },
        )


def unresolved_links(text: str, folder: Path, rules: LinkRules) -> list[Found]:
    """Links and images of a post's body (``text``, in ``folder``) that a strict build refuses.

    A missing file comes back without a ``reason`` (as from :func:`missing_targets`).
    """
    found = []
    for index, line, match in _links(text):
        reason = _refusal(match["target"], folder, rules)
        if reason or _missing(match["target"], folder, rules):
            found.append(_found(index, line, match, reason))
    return found


def _missing(target: str, folder: Path, rules: LinkRules) -> bool:
    """A relative target with a file suffix and no such file, which MkDocs refuses when not_found is warn."""
    if rules.not_found != "warn" or _EXTERNAL.match(target) or _LIQUID.search(target):
        return False
    path = unquote(urlsplit(target).path)
    return bool(posixpath.splitext(path)[1]) and not _is_docs_file(folder / path, rules.docs_dir)


def _refusal(target: str, folder: Path, rules: LinkRules) -> str:
    """Why MkDocs would warn about ``target`` (as its ``path_to_url`` decides), or ''."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return ""  # a web address (a Liquid tag is never a scheme)
    path = unquote(parts.path)
    absolute = target.startswith(("/", "\\"))
    if absolute and rules.absolute_links != "relative_to_docs":
        if rules.absolute_links != "warn":
            return ""
        return (
            "an absolute path, which MkDocs leaves as it is (mkdocs.yml: validation: absolute_links: warn); "
            + _relative_hint(rules.docs_dir / path.lstrip("/"), folder, rules.docs_dir)
        )
    if not path:
        return ""  # an anchor on this page, or a query
    file = rules.docs_dir / path.lstrip("/") if absolute else folder / path
    if _is_docs_file(file, rules.docs_dir):
        return ""
    if not posixpath.splitext(path)[1] and not absolute:
        level, what = rules.unrecognized_links, "unrecognized_links"
    else:
        level, what = rules.not_found, "not_found"
    if level != "warn":
        return ""
    if _LIQUID.search(target):
        return (
            "it holds a Liquid tag (Jekyll's templating), which MkDocs leaves as it is; "
            "write the address itself, relative to the post"
        )
    if what == "unrecognized_links":
        return (
            "no file of the site (mkdocs.yml: validation: unrecognized_links: warn); "
            "link to a page's .md file or to a file"
        )
    if absolute:
        setting = "mkdocs.yml: validation: absolute_links: relative_to_docs"
        return f"no such file under {rules.docs_dir.name}/ ({setting})"
    return ""  # a file that does not exist: the caller says where it was looked for


def _is_docs_file(file: Path, docs_dir: Path) -> bool:
    resolved = file.resolve()
    return resolved.is_file() and resolved.is_relative_to(docs_dir.resolve())


def _relative_hint(file: Path, folder: Path, docs_dir: Path) -> str:
    if not _is_docs_file(file, docs_dir):
        return f"there is no such file under {docs_dir.name}/ either: fix the path or remove it"
    return f"write it relative to the post: {posixpath.relpath(file.resolve(), folder.resolve())}"


def missing_targets(text: str, folder: Path) -> list[Found]:
    """Relative links and images in ``text`` whose file does not exist under ``folder``."""
    found = []
    for index, line, match in _links(text):
        target = match["target"]
        if _EXTERNAL.match(target) or _LIQUID.search(target):
            continue
        path = unquote(target.split("#", 1)[0].split("?", 1)[0])
        if path and not (folder / path).exists():
            found.append(_found(index, line, match))
    return found


def _links(text: str) -> Iterator[tuple[int, str, re.Match[str]]]:
    """(0-based line, line, match) of every Markdown link and image outside code."""
    for index, line in iter_prose_lines(text):
        for match in _LINK.finditer(_CODE_SPAN.sub(lambda m: " " * len(m.group()), line)):
            yield index, line, match


def _found(index: int, line: str, match: re.Match[str], reason: str = "") -> Found:
    kind = "image" if match["image"] else "link"
    return Found(index, line[match.start() : match.end()], kind, match["target"], match["text"], reason)


def liquid_tags(text: str) -> list[Found]:
    """Liquid tags (``{{ site.url }}``, ``{% raw %}``) in ``text``, outside code blocks."""
    return [
        Found(index, match.group(), "Liquid tag")
        for index, line in iter_prose_lines(text)
        for match in _LIQUID.finditer(_CODE_SPAN.sub(lambda m: " " * len(m.group()), line))
    ]


def drop(text: str, items: list[Found]) -> str:
    """``text`` without ``items``: a Liquid tag goes (with its link, if in one's target), a link keeps
    its words, an image goes."""
    lines = text.split("\n")
    for item in items:
        text, replacement = item.text, item.label if item.kind == "link" else ""
        if item.kind == "Liquid tag":  # in a link's target, the link goes: what is left would be broken
            for match in _LINK.finditer(lines[item.index]):
                if item.text in match["target"]:
                    text, replacement = match.group(), "" if match["image"] else match["text"]
                    break
        lines[item.index] = lines[item.index].replace(text, replacement, 1)
    return "\n".join(lines)


def describe(item: Found) -> str:
    if item.kind == "Liquid tag":
        return f"Liquid tag {item.text} (Jekyll's templating: MkDocs would print it as it is)"
    return (
        f"{item.kind} to '{item.target}': {item.reason}"
        if item.reason
        else (f"{item.kind} to '{item.target}', a file that does not exist")
    )
