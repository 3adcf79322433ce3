"""One case per front-matter rule: each bad value is reported with its file, line, field and fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from posts_support import VALID_FRONT, WritePost

from site_tools.posts import Problem, validate_posts

REL = "docs/blog/posts/post.md"
# Line of each key in VALID_FRONT as written by write_post (line 1 is the opening '---').
LINES = {"title": 2, "date": 3, "description": 4, "authors": 5, "categories": 6, "tags": 7}


def front(**changes: str | None) -> str:
    """VALID_FRONT with keys replaced (raw YAML after the colon), removed (None) or appended."""
    lines = dict(line.split(": ", 1) for line in VALID_FRONT.splitlines())
    for key, value in changes.items():
        if value is None:
            lines.pop(key)
        else:
            lines[key] = value
    return "".join(f"{key}: {value}\n" for key, value in lines.items())


def only_problem(project: Path) -> Problem:
    problems = validate_posts(project)
    assert len(problems) == 1, problems
    return problems[0]


# (front-matter changes, field reported, its line, texts the message must contain)
ONE_PROBLEM = {
    "value-missing": ({"title": ""}, "title", 2, ["'title' has no value"]),
    "title-not-text": ({"title": "2024"}, "title", 2, ["'title' must be text, not a number"]),
    "date-in-words": (
        {"date": "June 5th"},
        "date",
        3,
        ["'date' is 'June 5th', not a date", "YYYY-MM-DD"],
    ),
    "date-impossible": ({"date": "2023-02-30"}, "date", 3, ["'2023-02-30', not a date"]),
    "date-quoted": ({"date": '"2024-01-02"'}, "date", 3, ["remove the quotes"]),
    "date-mapping": ({"date": "{created: 2024-01-02}"}, "date", 3, ["in 'updated'"]),
    "updated-early": ({"updated": "2023-12-31"}, "updated", 8, ["is before 'date'"]),
    "author-unknown": (
        {"authors": "[jnae]"},
        "authors",
        5,
        ["author 'jnae' is not in .authors.yml (did you mean 'jane'?)", "choose from: jane, ali"],
    ),
    "authors-text": ({"authors": "jane"}, "authors", 5, ["'authors' must be a list"]),
    "authors-empty": ({"authors": "[]"}, "authors", 5, ["'authors' is empty"]),
    "category-not-allowed": (
        {"categories": "[deep learning]"},
        "categories",
        6,
        [
            "category 'deep learning' is not in categories_allowed",
            "(did you mean 'Deep Learning'?)",
        ],
    ),
    "categories-empty": ({"categories": "[]"}, "categories", 6, ["'categories' is empty"]),
    "tags-comma-text": ({"tags": "PyTorch, Autograd"}, "tags", 7, ["tags: [PyTorch, Autograd]"]),
    "tags-not-text": ({"tags": "[PyTorch, 42]"}, "tags", 7, ["a number (42) is not"]),
    "description-long": (
        {"description": "x" * 161},
        "description",
        4,
        ["161 characters; shorten it to at most 160"],
    ),
    "draft-not-bool": ({"draft": "maybe"}, "draft", 8, ["'draft' must be true or false"]),
    "slug-not-slug": ({"slug": "My Post"}, "slug", 8, ["'slug' is 'My Post'"]),
    "foreign-key": ({"keywords": "AI, ML"}, "keywords", 8, ["move them into 'tags'"]),
    "unknown-key": ({"zzz": "1"}, "zzz", 8, ["known keys: title, date, description"]),
}


@pytest.mark.parametrize("case", ONE_PROBLEM.values(), ids=ONE_PROBLEM.keys())
def test_a_bad_value_is_one_problem_at_its_line(
    project: Path, write_post: WritePost, case: tuple[dict[str, str], str, int, list[str]]
) -> None:
    changes, field, line, texts = case
    write_post(front(**changes))
    problem = only_problem(project)
    assert (problem.path, problem.field, problem.line) == (REL, field, line)
    assert problem.message.startswith("front matter: ")
    for text in texts:
        assert text in problem.message


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"updated": "2024-02-01", "slug": "gradients", "draft": "true"},
        {"date": "2024-01-02 10:30:00"},
        {"date": "2024-01-02T10:30:00Z"},
        {"tags": "[]"},
        {"description": "x" * 160},
    ],
    ids=["valid", "optional-keys", "datetime", "iso-datetime", "no-tags", "description-160"],
)
def test_a_valid_post_has_no_problems(
    project: Path, write_post: WritePost, changes: dict[str, str]
) -> None:
    write_post(front(**changes))
    assert validate_posts(project) == []


def test_a_misspelt_key_suggests_the_nearest(project: Path, write_post: WritePost) -> None:
    write_post(front(categories=None, categroies="[Deep Learning]"))
    assert [str(p) for p in validate_posts(project)] == [
        f"{REL}:1: front matter: 'categories' is missing; add a 'categories:' line",
        f"{REL}:7: front matter: 'categroies' is not a known key (did you mean 'categories'?)",
    ]


@pytest.mark.parametrize("key", list(LINES))
def test_every_required_key_is_required(project: Path, write_post: WritePost, key: str) -> None:
    write_post(front(**{key: None}))
    problem = only_problem(project)
    assert (problem.field, problem.line) == (key, 1)
    assert f"'{key}' is missing" in problem.message


def test_any_category_is_allowed_without_an_allowed_list(
    project: Path, write_post: WritePost
) -> None:
    (project / "mkdocs.yml").write_text(
        "site_name: x\nplugins: [search, {blog: {post_excerpt: required}}]\n", encoding="utf-8"
    )
    write_post(front(categories="[Anything]"))
    assert validate_posts(project) == []


def test_a_repeated_key_is_reported_at_its_second_line(
    project: Path, write_post: WritePost
) -> None:
    write_post(VALID_FRONT + "title: Again\n")
    problem = only_problem(project)
    assert (problem.field, problem.line) == ("title", 8)
    assert "appears twice (lines 2 and 8)" in problem.message


def test_all_problems_of_all_posts_come_in_one_run(project: Path, write_post: WritePost) -> None:
    write_post(front(date="June 5th", categroies="[x]"), name="a.md")
    write_post(front(authors="[nobody]"), body="No separator.\n", name="b.md")
    write_post(name="c.md")
    found = {(Path(p.path).name, p.field) for p in validate_posts(project)}
    assert found == {("a.md", "date"), ("a.md", "categroies"), ("b.md", "authors"), ("b.md", None)}
