"""A page's size against its budget, in UTF-8 bytes, whether or not the build had to encode it."""

from __future__ import annotations

import pytest

from site_tools.engine.sizes import utf8_size
from site_tools.render.budgets import page_html_problem


@pytest.mark.parametrize("text", ["plain ascii", "a dash — and a euro €", "emoji 🙂 " * 3, ""])
def test_utf8_size_is_the_encoded_length(text: str) -> None:
    assert utf8_size(text) == len(text.encode())


def test_a_page_is_over_by_its_bytes_not_its_characters() -> None:
    # 600 characters, 1,800 bytes: over a 1 KiB budget, though its character count is not.
    euros = "€" * 600
    problem = page_html_problem("docs/post.md", euros, 0, budget_kb=1)
    assert problem is not None and "1.8 KiB" in problem and problem.startswith("docs/post.md:")
    # 400 two-byte characters and 200 bytes of drawings: 1,000 bytes, under.
    assert page_html_problem("docs/post.md", "é" * 400, 200, budget_kb=1) is None
    # The drawings count: 1,000 ASCII bytes and 100 of drawings are over 1 KiB.
    assert page_html_problem("docs/post.md", "a" * 1000, 100, budget_kb=1) is not None
    assert page_html_problem("docs/post.md", "a" * 100_000, 0, budget_kb=0) is None  # no budget
