"""Issue 7, case 2: an embed that cannot run; build and check name the page line and stop."""

from __future__ import annotations

import pytest

from tests.robustness.support import POST, Site, embed, line_of, post_text

TWICE = embed("curve.py", id="parabola") + embed("curve.py", id="parabola")

# name -> (post body, (text on the line to fix, which occurrence), words the message must contain)
CASES: dict[str, tuple[str, tuple[str, int], tuple[str, ...]]] = {
    "missing snippet file": (
        embed("nothere.py"),
        ("file: nothere.py", 1),
        ("snippet `nothere.py` does not exist in snippets/",),
    ),
    "path outside snippets/": (
        embed("../../etc/passwd"),
        ("file: ../../etc/passwd", 1),
        ("snippet `../../etc/passwd` is outside snippets/",),
    ),
    "unknown option": (
        embed("curve.py", captoin="A parabola."),
        ("captoin:", 1),
        ("unknown option `captoin`", "did you mean `caption`?"),
    ),
    "duplicate figure id": (
        TWICE,
        ("```snippet", 2),
        ("figure id `parabola` is already used on line", "unique per page"),
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_bad_embed_stops_build_and_check_at_its_line(site: Site, case: str) -> None:
    body, (needle, occurrence), words = CASES[case]
    text = post_text(body)
    site.write(POST, text)
    prefix = f"{POST}:{line_of(text, needle, occurrence)}: "
    before, entries = site.sources(), site.cache_entries()

    build = site.build()
    assert build.returncode != 0, build.log
    messages = [line for line in build.log.splitlines() if prefix in line]
    assert messages, f"no message starting {prefix!r}:\n{build.log}"
    assert all(word in messages[0] for word in words), messages[0]
    assert "Traceback" not in build.log

    check = site.check()
    assert check.returncode == 1, check.log
    assert prefix + messages[0].split(prefix)[1] in check.log

    assert site.sources() == before
    assert site.cache_entries() == entries
