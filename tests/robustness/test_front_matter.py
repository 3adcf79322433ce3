"""Issue 7, case 1: a post's front matter is wrong in one way; build and check name the line and stop."""

from __future__ import annotations

import pytest

from tests.robustness.support import POST, Site, documented_messages, post_text

BODY = "\nNo snippet here.\n"

# name -> (the post as written, the line to fix, words the message must contain)
CASES: dict[str, tuple[str | bytes, int, tuple[str, ...]]] = {
    "malformed YAML": (
        post_text(BODY, title="Curves: the sequel"),
        2,
        ("malformed YAML", "mapping values are not allowed here"),
    ),
    "tab in YAML": (
        post_text(BODY).replace("tags: [matplotlib]", "tags:\n\t- matplotlib"),
        8,
        ("found character '\\t' that cannot start any token", "indent with spaces, not tabs"),
    ),
    "unknown key": (post_text(BODY, colour="red"), 8, ("'colour'", "not a known key")),
    "bad date": (post_text(BODY, date="2024-13-45"), 3, ("'date'", "'2024-13-45'", "not a date")),
    "unknown author": (post_text(BODY, authors="[bob]"), 5, ("'bob'", ".authors.yml")),
    "unknown category": (post_text(BODY, categories="[Cooking]"), 6, ("'Cooking'", "Tutorials")),
    "tags not a list": (post_text(BODY, tags="matplotlib"), 7, ("'tags'", "must be a list")),
    "no front matter": ("# Curves\n\nJust prose.\n\n<!-- more -->\n", 1, ("front matter", "none found")),
    "not UTF-8": (
        post_text(BODY).encode() + b"\nCaf\xe9 au lait.\n",
        len(post_text(BODY).splitlines()) + 2,
        ("not UTF-8", "0xe9"),
    ),
}


def _message_line(log: str, prefix: str) -> str:
    lines = [line for line in log.splitlines() if prefix in line]
    assert lines, f"no message starting {prefix!r} in:\n{log}"
    return lines[0]


@pytest.mark.parametrize("case", CASES)
def test_bad_front_matter_stops_build_and_check_at_its_line(site: Site, case: str) -> None:
    text, line, words = CASES[case]
    site.write(POST, text)
    before, entries = site.sources(), site.cache_entries()

    build = site.build()
    assert build.returncode != 0, build.log
    message = _message_line(build.log, f"{POST}:{line}: ")
    assert all(word in message for word in words), message
    assert "Traceback" not in build.log
    assert "Error reading metadata" not in build.log  # our message, before Material's blog reads it

    check = site.check()
    assert check.returncode == 1, check.log
    assert message.split(f"{POST}:")[1] in check.log  # the same words from `site-tools check`

    assert site.sources() == before  # nothing lost: the author's files are byte-identical
    assert site.cache_entries() == entries


def test_contributing_guide_quotes_this_message(site: Site) -> None:
    quoted = [text for text in documented_messages() if "front matter" in text]
    assert len(quoted) == 1
    site.write(POST, CASES["bad date"][0])
    assert quoted[0] in site.build().log
