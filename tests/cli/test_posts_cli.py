"""`site-tools new`, `import` and `check` through click's CliRunner, on a copy of the site."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import frontmatter
import pytest
from click.testing import CliRunner, Result

import site_tools.hosts.cli.posts as posts_cli
from site_tools.hosts.cli import main
from site_tools.problems import Problem

REPO_ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((REPO_ROOT / "tests" / "posts" / "seeds").glob("*.txt"))
TITLE_004 = "Deep Learning: How Neural Networks Learn from Data"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """The real mkdocs.yml and authors, with no posts yet."""
    shutil.copy(REPO_ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    blog = tmp_path / "docs" / "blog"
    (blog / "posts").mkdir(parents=True)
    shutil.copy(REPO_ROOT / "docs" / "blog" / ".authors.yml", blog / ".authors.yml")
    return tmp_path


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args])


def posts(site: Path) -> list[Path]:
    return sorted((site / "docs" / "blog" / "posts").glob("*.md"))


def assert_clean_failure(result: Result, code: int = 1) -> None:
    """Failed with a message, not a traceback."""
    assert result.exit_code == code, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output


def test_new_writes_a_valid_skeleton_and_prints_its_path(site: Path) -> None:
    result = run("new", "How Dropout Regularises a Network", "--root", site)
    assert result.exit_code == 0, result.output
    expected = f"docs/blog/posts/{dt.date.today()}-how-dropout-regularises-a-network.md"
    assert result.stdout.strip() == expected
    post = frontmatter.load(site / expected)
    assert post["title"] == "How Dropout Regularises a Network"
    assert post["date"] == dt.date.today()
    assert run("check", "--root", site).exit_code == 0


def test_new_refuses_to_overwrite(site: Path) -> None:
    assert run("new", "Same Title", "--root", site).exit_code == 0
    [path] = posts(site)
    path.write_text(path.read_text(encoding="utf-8") + "\nMy words.\n", encoding="utf-8")
    result = run("new", "Same Title", "--root", site)
    assert_clean_failure(result)
    assert "already exists" in result.output
    assert path.read_text(encoding="utf-8").endswith("My words.\n")


def test_new_rejects_an_unknown_author(site: Path) -> None:
    result = run("new", "T", "--author", "nobody", "--root", site)
    assert_clean_failure(result, code=2)
    assert "known: computed-figures" in result.output


def test_the_root_is_found_from_a_subfolder(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(site / "docs" / "blog")
    assert run("new", "From Below").exit_code == 0
    assert len(posts(site)) == 1


def test_outside_a_project_the_error_says_so(tmp_path: Path) -> None:
    result = run("check", "--root", tmp_path)
    assert_clean_failure(result)
    assert "no site config (mkdocs.yml" in result.output


def test_import_converts_every_seed_and_the_site_checks_clean(site: Path) -> None:
    result = run("import", *SEEDS[:4], "--root", site)
    assert result.exit_code == 0, result.output
    last = run("import", SEEDS[4], "--title", TITLE_004, "--date", "2024-02-20", "--root", site)
    assert last.exit_code == 0, last.output
    assert len(posts(site)) == 5
    for expected in (
        "(Jekyll)",
        "dropped: 'sidebar_position: 1'",
        "dropped: 'permalink: /posts/2012/08/blog-post-4/'",
        "suspicious: removed chatbot disclaimer",
        "suspicious: removed chatbot invitation to edit",
        "guessed: description from the first paragraph",
    ):
        assert expected in result.output
    assert "suspicious: bare placeholder line 'cnn-rnn'" in last.output
    assert "2024-02-20-deep-learning-how-neural-networks-learn-from-data.md" in last.output
    check = run("check", "--root", site)
    assert check.exit_code == 0, check.output


def test_import_without_a_title_asks_for_one(site: Path) -> None:
    result = run("import", SEEDS[4], "--root", site)
    assert_clean_failure(result)
    assert "pass --title" in result.output
    assert posts(site) == []


def test_import_never_overwrites(site: Path) -> None:
    assert run("import", SEEDS[0], "--root", site).exit_code == 0
    result = run("import", SEEDS[0], "--root", site)
    assert_clean_failure(result)
    assert "already exists" in result.output


def test_one_title_cannot_name_several_files(site: Path) -> None:
    result = run("import", SEEDS[0], SEEDS[1], "--title", "T", "--root", site)
    assert_clean_failure(result, code=2)


def test_import_reports_a_file_that_is_not_utf8(site: Path, tmp_path: Path) -> None:
    source = tmp_path / "latin1.md"
    source.write_bytes("# Caf\xe9\n\nText.\n".encode("latin-1"))
    result = run("import", source, "--root", site)
    assert_clean_failure(result)
    assert "not UTF-8" in result.output


def test_check_prints_every_problem_and_exits_1(site: Path) -> None:
    folder = site / "docs" / "blog" / "posts"
    (folder / "a.md").write_text("---\ntitle: A\ncategroies: [x]\n---\nText\n", encoding="utf-8")
    (folder / "b.md").write_text("No front matter.\n", encoding="utf-8")
    result = run("check", "--root", site)
    assert_clean_failure(result)
    lines = result.stdout.strip().splitlines()
    assert "docs/blog/posts/a.md:3: front matter: 'categroies' is not a known key" in result.stdout
    assert any(
        line.startswith("docs/blog/posts/b.md:1: front matter: none found") for line in lines
    )
    assert f"{len(lines)} problem(s) found." in result.output


def test_check_runs_every_registered_check(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(posts_cli, "_CHECKS", [])
    posts_cli.register_check(lambda root: [Problem("snippets/x.py", 3, None, "broken embed")])
    result = run("check", "--root", site)
    assert_clean_failure(result)
    assert result.stdout.strip() == "snippets/x.py:3: broken embed"
