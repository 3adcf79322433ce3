"""A throwaway project with its own mkdocs.yml and authors, so schema tests own their input."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from posts_support import AUTHORS_YML, MKDOCS_YML, VALID_BODY, VALID_FRONT, WritePost


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder whose blog allows two categories and knows two authors."""
    (tmp_path / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    blog = tmp_path / "docs" / "blog"
    (blog / "posts").mkdir(parents=True)
    (blog / ".authors.yml").write_text(AUTHORS_YML, encoding="utf-8")
    return tmp_path


@pytest.fixture
def write_post(project: Path) -> WritePost:
    """Write ``docs/blog/posts/<name>`` from front-matter text and a body."""

    def write(front: str = VALID_FRONT, body: str = VALID_BODY, name: str = "post.md") -> Path:
        path = project / "docs" / "blog" / "posts" / name
        path.write_text(f"---\n{textwrap.dedent(front)}---\n\n{body}", encoding="utf-8")
        return path

    return write
