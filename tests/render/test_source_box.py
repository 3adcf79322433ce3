"""Collapsed source boxes hold their code in a <noscript> until opened (render/source_box.py)."""

from __future__ import annotations

import markdown

from site_tools.render.source_box import CLASS, HELD_CLASS, defer_code

EXTENSIONS = ["admonition", "pymdownx.details", "pymdownx.superfences", "pymdownx.highlight"]
BOX = f'??? example {CLASS} "Source: snippets/a.py"\n\n    ```python\n    print("</details>")\n    ```\n'


def test_the_code_of_a_collapsed_box_waits_in_a_noscript() -> None:
    html = markdown.markdown(BOX + "\n!!! note\n\n    Kept.\n", extensions=EXTENSIONS)
    deferred = defer_code(html)
    head, held = deferred.split(f'<noscript class="{HELD_CLASS}">')
    assert f'<details class="example {CLASS}">' in head and "<summary>Source: snippets/a.py</summary>" in head
    code, tail = held.split("</noscript>")
    assert '<div class="highlight">' in code and "&lt;/details&gt;" in code  # escaped: one box
    assert tail.startswith("</details>") and "Kept." in tail  # what follows the box is left alone
    assert defer_code(deferred) == deferred


def test_other_details_and_open_code_are_left_alone() -> None:
    html = markdown.markdown(
        '??? example "Source: x"\n\n    ```python\n    x = 1\n    ```\n', extensions=EXTENSIONS
    )
    assert defer_code(html) == html
