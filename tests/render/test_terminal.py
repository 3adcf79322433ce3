"""``\\r`` progress output shows its last state, as a terminal shows it."""

from __future__ import annotations

from site_tools.render.terminal import as_terminal


def test_a_progress_loop_shows_its_last_state_only() -> None:
    printed = "".join(f"\rstep {n:3d}/200" for n in range(1, 201)) + "\ndone\n"
    assert as_terminal(printed) == "step 200/200\ndone\n"


def test_a_shorter_update_leaves_the_end_of_the_longer_one() -> None:
    assert as_terminal("loading 100%\rok") == "okading 100%"


def test_windows_line_ends_are_plain_line_ends() -> None:
    assert as_terminal("a\r\nb\r\n") == "a\nb\n"
    assert as_terminal("no carriage return") == "no carriage return"
