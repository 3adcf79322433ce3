"""Checks of the bench's own logic (not timings): ``.venv/bin/python -m pytest bench/test_bench.py``."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import mkconfig  # noqa: E402
import report  # noqa: E402
import scaling  # noqa: E402
import sites  # noqa: E402
from measure import Command, Run, alternate, expect_counts, parse_summary  # noqa: E402

FIXTURE = BENCH.parent / "tests" / "fixtures" / "site"


def test_generated_config_keeps_tags_and_mkdocs_accepts_it(tmp_path, monkeypatch):
    from mkdocs.config import load_config

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: !ENV [BENCH_TEST_NAME, fallback]\n"
        "plugins:\n  - search\n  - site-tools:\n      workers: 1\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("BENCH_TEST_NAME", "From the environment")
    base = mkconfig.load(tmp_path / "mkdocs.yml")
    child = mkconfig.write(
        tmp_path / "child.yml",
        "mkdocs.yml",
        site_name=base["site_name"],
        plugins=mkconfig.with_site_tools(base, cache_dir=".cache/x"),
    )
    assert "!ENV" in child.read_text(encoding="utf-8")
    config = load_config(str(child))
    assert config.site_name == "From the environment"
    options = config.plugins["site-tools"].options  # read through site_tools.settings
    assert (options.workers, options.cache_dir) == (1, ".cache/x")
    assert mkconfig.plugins_without(base, "site-tools") == ["search"]


def test_peer_docs_have_every_block_rewritten(tmp_path):
    site = sites.copy_site(FIXTURE, tmp_path / "copy")
    assert site.blocks, "the fixture site has executable blocks"
    docs = sites.write_docs_variant(site, "docs-mdexec", sites.markdown_exec_block)
    post = (docs / "blog" / "posts" / "post.md").read_text(encoding="utf-8")
    assert "```snippet" not in post
    assert 'python exec="on" html="1"' in post and "helper.AMPLITUDE" in post
    notebooks = sites.write_notebooks(site, docs)
    assert len(notebooks) == len(site.unique())


def test_alternates_drops_warmups_and_stops_a_failing_command():
    order = []

    def fake(name, fail_at=None):
        def measure(index):
            order.append((name, index))
            return Run(seconds=1.0, returncode=1 if index == fail_at else 0)

        return Command(name, name, measure)

    outcomes = alternate([fake("A"), fake("B", fail_at=2)], warmup=1, runs=3, log=lambda _: None)
    assert order == [("A", 0), ("B", 0), ("A", 1), ("B", 1), ("A", 2), ("B", 2), ("A", 3)]
    assert [len(o.runs) for o in outcomes] == [3, 1]
    assert outcomes[1].error and "exit status 1" in outcomes[1].error


def test_summary_line_checks():
    log = "INFO - x\nINFO -  site_tools: 11 snippets, 1 executed, 10 cached, 0 failed in 3.2 s\n"
    run = Run(seconds=5.0, counters=parse_summary(log))
    assert expect_counts(executed=1)(run) is None
    assert "expected executed = all" in expect_counts(executed="all")(run)
    assert "summary line" in expect_counts(executed=0)(Run(seconds=1.0))


def test_ratios_pair_runs_only_within_a_group():
    a = {"group": "g", "n": 3, "seconds": [2.0, 4.0, 6.0], "median": 4.0}
    b = {"group": "g", "n": 3, "seconds": [1.0, 1.0, 3.0], "median": 1.0}
    paired = report.ratio({"a": a, "b": b}, "a", "b")
    assert paired["paired"] and paired["median"] == 2.0 and paired["max"] == 4.0
    unpaired = report.ratio({"a": a, "b": {**b, "group": "h"}}, "a", "b")
    assert not unpaired["paired"] and unpaired["median"] == 4.0


def test_readme_section_is_replaced_in_place(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# Title\n\nIntro.\n", encoding="utf-8")
    markers = ("<!-- bench:start -->", "<!-- bench:end -->")
    report.replace_section(readme, "first", *markers)
    report.replace_section(readme, "second", *markers)
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("# Title\n\nIntro.\n\n## Performance\n")
    assert text.count(markers[0]) == 1 and "second" in text and "first" not in text


@pytest.mark.parametrize("posts", [3])
def test_scaling_site_has_distinct_blocks_and_plain_twin(tmp_path, posts):
    site = scaling.generate(tmp_path / "s", posts, (1, 2))
    texts = sorted((site.root / "docs" / "blog" / "posts").glob("*.md"))
    assert len(texts) == posts
    assert texts[0].read_text(encoding="utf-8") != texts[1].read_text(encoding="utf-8")
    plain = (site.root / "docs-plain" / "blog" / "posts" / texts[0].name).read_text(encoding="utf-8")
    assert "```python exec" not in plain and "```python\n" in plain
    assert "workers: 2" in site.config("w2").read_text(encoding="utf-8")


def test_lighthouse_twin_takes_out_every_computed_part_and_keeps_the_prose():
    import importlib.util

    spec = importlib.util.spec_from_file_location("twin", BENCH / "lighthouse" / "twin.py")
    twin = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(twin)
    page = """<!doctype html><html><head><link rel="stylesheet" href="../assets/stylesheets/main.css">
<link rel="stylesheet" href="../assets/site-tools/zoom.css"></head>
<body><header><svg><path d="M0"/></svg></header>
<article class="md-content__inner md-typeset"><h1>Title</h1>
<p>The net reached <span class="st-value" title="x = 0.97">97%</span> accuracy.</p>
<details class="example"><summary>Source: snippets/a.py</summary><div class="highlight">
<span class="filename">snippets/a.py</span><pre>print(1)</pre></div></details>
<div class="grid"><figure class="st-figure" id="fig-a">
<svg class="st-svg"><style>#fig-a{--st-ink:#000}</style></svg><figcaption>A chart</figcaption>
<details class="st-provenance"><summary>Provenance</summary></details></figure></div>
<div class="st-stdout"><span class="st-label">Output</span><pre>loss 0.1</pre></div>
<p class="st-downloads">Download: <a href="../downloads/a.py" download>a.py</a></p>
<p>Download: <a href="../downloads/a.ipynb">a.ipynb</a></p>
<p>The end.</p></article><script src="../assets/javascripts/bundle.js"></script>
<script src="../assets/site-tools/scrub.js"></script></body></html>"""
    html, removed = twin.make_twin(page)
    assert twin.check(html) == []
    for gone in ("st-", "fig-a", "Source:", "Provenance", "loss 0.1", "Download", "site-tools", "grid"):
        assert gone not in html, gone
    for kept in ("<h1>Title</h1>", "reached 97% accuracy", "The end.", "main.css", "bundle.js", "<path"):
        assert kept in html, kept
    assert removed["values unwrapped"] == 1 and removed["assets"] == 2
