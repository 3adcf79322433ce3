"""The real site on Zensical: ``site-tools build --host zensical`` cold and warm against Zensical's
own plain build of the same pages (every block shown as ordinary Python, nothing run).

Every row empties Zensical's page cache (``--clean``/``-c``): Zensical keeps a page's HTML while its
text stays the same, which would make any row after the first measure only copying. Ours uses the
copy's own ``mkdocs.yml`` and its default snippet cache (``.cache/site_tools``), apart from the
MkDocs rows' ``.cache/ours``.
"""

from __future__ import annotations

import shutil

import mkconfig
import realsite
from measure import Command, Run, expect_counts, run_process
from plan import OUR_BIN, Group

from site_tools.mkdocs_yml import dump_yaml, load_yaml_config

EXTENSION = "site_tools.markdown"


def site_group(setup: realsite.RealSetup) -> Group:
    # Written whole, as MkDocs reads plain.yml: Zensical's INHERIT appends lists (plugins twice).
    base = load_yaml_config(setup.config("plain"))
    base["markdown_extensions"] = [
        entry for entry in base.get("markdown_extensions") or [] if mkconfig.plugin_name(entry) != EXTENSION
    ]
    plain = setup.config("zensical-plain")
    plain.write_text(dump_yaml(base), encoding="utf-8")
    root = setup.root
    ours = [str(OUR_BIN / "site-tools"), "build", "--host", "zensical", "--clean", "--root", str(root)]

    def plain_build(_: int) -> Run:
        argv = [str(OUR_BIN / "python"), "-m", "zensical", "build", "-c", "-f", plain.name]
        return run_process(argv, cwd=root)

    def cold(_: int) -> Run:
        shutil.rmtree(root / ".cache" / "site_tools", ignore_errors=True)
        return run_process(ours, cwd=root)

    return Group(
        "zensical",
        "real site on Zensical: ours (pre-step + Zensical) vs Zensical's plain build",
        [
            Command("zensical.plain", "plain zensical build (code shown, not run)", plain_build),
            Command(
                "zensical.cold",
                "ours on Zensical, cold (empty cache)",
                cold,
                expect=expect_counts(executed="all"),
            ),
            Command(
                "zensical.warm",
                "ours on Zensical, warm (all cached)",
                lambda _: run_process(ours, cwd=root),
                expect=expect_counts(executed=0, cached="all"),
            ),
        ],
    )
