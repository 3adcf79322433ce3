"""A post's scrubbable figures together: names link them, each figure keeps its own grid, limits."""

from __future__ import annotations

import shutil
from pathlib import Path

from site_tools.engine.collect.discover import scan_page
from site_tools.engine.collect.grid import POST_LIMIT
from site_tools.render.values import check_page

VARY = Path(__file__).parents[2] / "snippets" / "vary.py"
LR = "import vary\np = vary.params(lr=0.1)\n"
BOTH = "import vary\np = vary.params(lr=0.1, depth=2)\n"
DEPTH = "import vary\np = vary.params(depth=2)\n"
FREE = "import vary\nSTART = 0.01\np = vary.params(lr=START)\n"  # its default is not a literal
WORDS = "import vary\np = vary.params(σ='λ', opt='Adam')\n"


def _engine(project):
    engine = project({"lr.py": LR, "both.py": BOTH, "depth.py": DEPTH, "words.py": WORDS, "free.py": FREE})
    shutil.copy(VARY, engine.config.snippets_dir / "vary.py")
    return engine


def _embed(body: str) -> str:
    return f"```snippet\n{body}```\n\n"


def _scan(engine, *bodies: str, prose: str = ""):
    text = "# Post\n\n" + prose + "".join(_embed(body) for body in bodies)
    scan = scan_page(
        "docs/post.md",
        text,
        root=engine.config.root,
        snippets_dir=engine.config.snippets_dir,
        default_timeout=30.0,
    )
    return scan, text


def test_each_figure_runs_its_own_grid_and_shared_names_link(project) -> None:
    engine = _engine(project)
    scan, _ = _scan(
        engine,
        "file: lr.py\nvary: {lr: [0.001, 0.01, 0.1, 1.0, 10.0]}\ndefault: {lr: 0.1}\n",
        "file: both.py\nvary: {lr: [0.001, 0.01, 0.1, 1.0, 10.0], depth: [1, 2, 3, 4]}\n"
        "default: {lr: 0.1, depth: 2}\n",
        "file: depth.py\nvary: {depth: [1, 2, 3, 4]}\ndefault: {depth: 2}\n",
    )
    assert not scan.problems
    assert [len(embed.variants) for embed in scan.embeds] == [5, 20, 4]  # 29 runs, not 3 x 20


def test_the_same_name_with_other_values_or_default_names_both_embeds(project) -> None:
    engine = _engine(project)
    first = "file: lr.py\nvary: {lr: [0.01, 0.1]}\ndefault: {lr: 0.1}\n"
    scan, text = _scan(
        engine,
        first,
        "file: both.py\nvary: {lr: [0.01, 0.1, 1.0], depth: [2]}\ndefault: {lr: 0.1, depth: 2}\n",
        prose="Its loss: {value}`both.py:loss`, and {value}`lr.py:loss`.\n\n",
    )
    (problem,) = scan.problems
    lines = text.split("\n")
    assert problem.line == lines.index("vary: {lr: [0.01, 0.1, 1.0], depth: [2]}") + 1
    assert f"docs/post.md:{lines.index('```snippet') + 1}, which lists [0.01, 0.1]" in problem.message
    assert f"(docs/post.md:{problem.line - 2}) lists [0.01, 0.1, 1.0]" in problem.message
    assert scan.refused == {"both.py"} and len(scan.embeds) == 1
    # The refused figure's citations add no "not embedded" problem: one error, not a cascade.
    assert [p.message for p in check_page("docs/post.md", text, scan.embeds, {}, scan.refused)] == [
        p.message for p in check_page("docs/post.md", text, scan.embeds, {}) if "both.py" not in p.message
    ]
    scan, _ = _scan(engine, first, "file: free.py\nvary: {lr: [0.01, 0.1]}\ndefault: {lr: 0.01}\n")
    (problem,) = scan.problems
    assert problem.field == "default" and "whose default is `lr: 0.1`" in problem.message
    assert "defaults to `lr: 0.01`" in problem.message


def test_a_post_over_its_limit_is_refused_at_the_figure_that_crosses_it(project) -> None:
    engine = _engine(project)
    for d in range(5):  # five snippet files (one file shown twice is shown with one grid)
        (engine.config.snippets_dir / f"grid{d}.py").write_text(
            f"import vary\nS = 0\np = vary.params(lr=S, d{d}=S)\n"
        )
    lrs, depths = list(range(16)), list(range(16))
    figure = "file: grid{}.py\nvary: {{lr: {}, d{}: {}}}\ndefault: {{lr: 0, d{}: 0}}\n"
    big = figure.format(0, lrs, 0, depths, 0)  # 256 points
    scan, _ = _scan(engine, big)
    assert not scan.problems  # the most points one figure may have
    others = [figure.format(d, lrs, d, depths, d) for d in range(1, 5)]
    scan, _ = _scan(engine, big, *others)  # 5 x 256 points, each figure's own
    (problem,) = scan.problems
    assert f"to 1280 points, over the limit of {POST_LIMIT} per post" in problem.message
    assert "(the figures before it run 1024)" in problem.message
    assert problem.line == 3 + 4 * 6 + 2  # the fifth embed's `vary:` line


def test_words_in_any_script(project) -> None:
    engine = _engine(project)
    scan, _ = _scan(
        engine, "file: words.py\nvary: {σ: [λ, μ], opt: [Adam, SGD]}\ndefault: {σ: λ, opt: Adam}\n"
    )
    assert not scan.problems
    assert scan.embeds[0].variants[0].name == "snippets/words.py[σ=λ-opt=Adam]"
    scan, _ = _scan(engine, "file: words.py\nvary: {σ: [λ, a/b]}\ndefault: {σ: λ}\n")
    assert "must be one word" in scan.problems[0].message


def test_a_snippet_shown_twice_is_shown_with_one_grid(project) -> None:
    engine = _engine(project)
    both = "file: both.py\nvary: {lr: [0.01, 0.1], depth: [1, 2]}\ndefault: {lr: 0.1, depth: 2}\n"
    scan, _ = _scan(engine, both, both)  # the same grid twice: both figures move together
    assert not scan.problems and len(scan.embeds) == 2
    for second in ("file: both.py\nvary: {lr: [0.01, 0.1]}\ndefault: {lr: 0.1}\n", "file: both.py\n"):
        scan, text = _scan(engine, both, second, prose="Its loss: {value}`both.py:loss`.\n\n")
        (problem,) = scan.problems
        assert problem.field == "vary" and len(scan.embeds) == 1
        first_line = text.split("\n").index("```snippet") + 1
        assert f"snippets/both.py is also shown at docs/post.md:{first_line} varying lr: [0.01, 0.1] " in (
            problem.message
        )
        assert "(default 0.1), depth: [1, 2] (default 2), and here (docs/post.md:" in problem.message
        assert ("without `vary`" in problem.message) == (second == "file: both.py\n")
        assert "cannot follow both" in problem.message
