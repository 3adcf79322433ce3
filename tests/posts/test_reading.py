"""Files that cannot be read as posts, the body rules and the site settings behind the checks."""

from __future__ import annotations

from pathlib import Path

from posts_support import VALID_BODY, VALID_FRONT, WritePost

from site_tools.posts import load_site_settings, validate_post_file, validate_posts

POSTS = Path("docs/blog/posts")


def test_validate_post_file_takes_the_settings_as_arguments(write_post: WritePost) -> None:
    path = write_post(VALID_FRONT.replace("[Deep Learning]", "[Vision]"))
    project = path.parents[3]
    kwargs = {"project_root": project, "known_authors": ("jane",)}
    assert validate_post_file(path, allowed_categories=("Vision",), **kwargs) == []
    problems = validate_post_file(path, allowed_categories=("Deep Learning",), **kwargs)
    assert [p.field for p in problems] == ["categories"]


def test_a_file_that_is_not_utf8_names_the_byte_and_line(project: Path) -> None:
    path = project / POSTS / "latin1.md"
    path.write_bytes(f"---\n{VALID_FRONT}---\n\nCaf\xe9 au lait.\n".encode("latin-1"))
    [problem] = validate_posts(project)
    offset = path.read_bytes().index(b"\xe9")
    assert problem.path == "docs/blog/posts/latin1.md"
    assert problem.line == 10
    assert f"byte 0xe9 at offset {offset}" in problem.message
    assert "UTF-8" in problem.message


def test_a_byte_order_mark_is_accepted(project: Path) -> None:
    path = project / POSTS / "bom.md"
    path.write_bytes(f"---\n{VALID_FRONT}---\n\n{VALID_BODY}".encode("utf-8-sig"))
    assert validate_posts(project) == []


def test_malformed_yaml_names_the_yaml_line(write_post: WritePost) -> None:
    path = write_post(VALID_FRONT.replace("tags: [PyTorch, Backpropagation]", "tags: [PyTorch"))
    [problem] = validate_posts(path.parents[3])
    assert problem.message.startswith("front matter: malformed YAML:")
    assert problem.line in {7, 8}


def test_bad_indentation_is_malformed_yaml_at_its_line(write_post: WritePost) -> None:
    path = write_post(VALID_FRONT.replace("date:", "  date:"))
    [problem] = validate_posts(path.parents[3])
    assert "malformed YAML" in problem.message
    assert problem.line == 3


def test_a_post_without_front_matter_is_reported(project: Path) -> None:
    (project / POSTS / "bare.md").write_text("# Hello\n\nText.\n", encoding="utf-8")
    [problem] = validate_posts(project)
    assert (problem.path, problem.line) == ("docs/blog/posts/bare.md", 1)
    assert "front matter: none found" in problem.message


def test_front_matter_that_is_never_closed_is_reported(project: Path) -> None:
    (project / POSTS / "open.md").write_text(f"---\n{VALID_FRONT}\nText.\n", encoding="utf-8")
    [problem] = validate_posts(project)
    assert "never closed" in problem.message


def test_front_matter_must_be_a_mapping(project: Path) -> None:
    (project / POSTS / "list.md").write_text("---\n- a\n- b\n---\n\nText.\n", encoding="utf-8")
    [problem] = validate_posts(project)
    assert "expected 'key: value' lines, found a YAML list" in problem.message


def test_a_chatbot_leftover_in_the_body_is_flagged_at_its_line(write_post: WritePost) -> None:
    body = "Intro.\n\n<!-- more -->\n\nText.\nChatGPT can make mistakes. Check it.\n"
    path = write_post(body=body)
    [problem] = validate_posts(path.parents[3])
    lines = path.read_text(encoding="utf-8").splitlines()
    assert problem.line == lines.index("ChatGPT can make mistakes. Check it.") + 1
    assert "chatbot disclaimer" in problem.message


def test_leftover_text_inside_fenced_code_is_not_flagged(write_post: WritePost) -> None:
    body = "Intro.\n\n<!-- more -->\n\n```text\nFeel free to customize this.\n```\n"
    path = write_post(body=body)
    assert validate_posts(path.parents[3]) == []


def test_a_missing_excerpt_separator_is_flagged_when_required(
    project: Path, write_post: WritePost
) -> None:
    write_post(body="Only one paragraph.\n")
    [problem] = validate_posts(project)
    assert "no '<!-- more -->' line" in problem.message
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text().replace("post_excerpt: required", "post_excerpt: optional")
    )
    assert validate_posts(project) == []


def test_mkdocs_tags_are_tolerated_when_reading_settings(project: Path) -> None:
    settings = load_site_settings(project)
    assert settings.allowed_categories == ("Deep Learning", "Tutorials")
    assert settings.known_authors == ("jane", "ali")
    assert settings.posts_dir == project / "docs" / "blog" / "posts"
    assert settings.excerpt_separator == "<!-- more -->"


def test_a_missing_config_is_one_problem(tmp_path: Path) -> None:
    [problem] = validate_posts(tmp_path)
    assert problem.path == str(tmp_path)
    assert problem.message.startswith("no site config (mkdocs.yml, mkdocs.yaml, properdocs.yml, ")


def test_malformed_mkdocs_yml_names_its_line(project: Path) -> None:
    (project / "mkdocs.yml").write_text("site_name: x\nplugins: [blog\n", encoding="utf-8")
    [problem] = validate_posts(project)
    assert problem.path == "mkdocs.yml"
    assert "malformed YAML" in problem.message
    assert problem.line is not None


def test_a_site_without_the_blog_plugin_is_reported(project: Path) -> None:
    (project / "mkdocs.yml").write_text("site_name: x\nplugins: [search]\n", encoding="utf-8")
    [problem] = validate_posts(project)
    assert "blog plugin is not enabled" in problem.message


def test_a_missing_authors_file_is_reported_once_with_the_posts(
    project: Path, write_post: WritePost
) -> None:
    (project / "docs" / "blog" / ".authors.yml").unlink()
    write_post()
    problems = validate_posts(project)
    assert [p.path for p in problems] == ["docs/blog/.authors.yml", "docs/blog/posts/post.md"]
    assert "authors file is missing" in problems[0].message
    assert "author 'jane' is not in .authors.yml" in problems[1].message


def test_a_missing_posts_folder_is_reported(project: Path) -> None:
    (project / POSTS).rmdir()
    [problem] = validate_posts(project)
    assert problem.message == "posts folder is missing"
