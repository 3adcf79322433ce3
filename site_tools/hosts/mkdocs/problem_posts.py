"""While serving, a post with problems is built from a stand-in page that lists them.

Material's blog plugin raises on some front-matter mistakes while it reads the posts, before any
page renders, and under ``mkdocs serve`` a failed rebuild leaves the server stuck: every request
waits for a good build. So, while serving, each post that ``validate_posts`` found problems in is
handed to the blog as a generated file with valid front matter and the problems in an admonition.
Its date and slug are the post's own where they are usable, so the URL stays and the author's
browser reloads onto the explanation. The author's file is only read, never written.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import posixpath
import re
import shutil
import tempfile
from pathlib import Path

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from site_tools.posts.document import PostReadError, read_post
from site_tools.posts.schema import SLUG_RE
from site_tools.problems import Problem
from site_tools.render.html import problem_markdown

_DATED_NAME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-")


class StandIns:
    """Stand-in files for broken posts, in a private temporary folder removed by ``close``."""

    def __init__(self) -> None:
        self._folder: Path | None = None

    def replace(
        self,
        files: Files,
        config: MkDocsConfig,
        problems: list[Problem],
        *,
        root: Path,
        docs_prefix: str,
    ) -> set[str]:
        """Swap each page named by ``problems`` for a stand-in; return the pages swapped."""
        by_page: dict[str, list[Problem]] = {}
        for problem in problems:
            by_page.setdefault(problem.path, []).append(problem)
        swapped = set()
        for file in list(files.documentation_pages()):
            page = posixpath.join(docs_prefix, file.src_uri)
            if page not in by_page or file.abs_src_path is None:
                continue
            text = standin_text(Path(file.abs_src_path), page, by_page[page], root=root)
            target = self._path(file.src_uri)
            target.write_text(text, encoding="utf-8")
            files.remove(file)
            files.append(File.generated(config, file.src_uri, abs_src_path=str(target)))
            swapped.add(page)
        return swapped

    def close(self) -> None:
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    def _path(self, src_uri: str) -> Path:
        if self._folder is None:
            self._folder = Path(tempfile.mkdtemp(prefix="site-tools-standins-"))
        path = self._folder / src_uri
        path.parent.mkdir(parents=True, exist_ok=True)
        return path


def standin_text(source: Path, page: str, problems: list[Problem], *, root: Path) -> str:
    """A valid post at the broken post's URL where possible, listing what to fix."""
    meta: dict = {}
    with contextlib.suppress(PostReadError):  # unreadable: fall back to the file name below
        meta = read_post(source, root).meta or {}
    # Posts are named <date>-<slug>.md: without a readable title, the name gives the usual URL.
    named_slug = _DATED_NAME.sub("", source.stem)
    title = meta.get("title") if isinstance(meta.get("title"), str) else named_slug.replace("-", " ")
    front: dict[str, object] = {"title": title, "date": _date(meta.get("date"), source.name)}
    if isinstance(meta.get("slug"), str) and SLUG_RE.fullmatch(meta["slug"]):
        front["slug"] = meta["slug"]
    elif not isinstance(meta.get("title"), str) and SLUG_RE.fullmatch(named_slug):
        front["slug"] = named_slug
    count = len(problems)
    heading = f"This post cannot be built: {count} problem{'s' if count != 1 else ''} in {page}"
    details = "\n".join(str(problem) for problem in problems)
    header = yaml.safe_dump(front, sort_keys=False, allow_unicode=True)
    return f"---\n{header}---\n\n# {title}\n\n{problem_markdown(heading, details)}\n<!-- more -->\n"


def _date(value: object, name: str) -> dt.date:
    """The post's date when it is one, else the date its file name starts with, else today."""
    if isinstance(value, dt.date):
        return value
    match = _DATED_NAME.match(name)
    if match:
        try:
            return dt.date(*map(int, match.groups()))
        except ValueError:
            pass
    return dt.date.today()
