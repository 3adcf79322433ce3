"""The real site on Zensical: ``site-tools build --host zensical`` cold and warm against Zensical's
own plain build of the same pages (every block shown as ordinary Python, nothing run).

Every row first empties Zensical's page cache: Zensical keeps a page's HTML while its text stays
the same, which would make any row after the first measure only copying. Not with ``zensical build
-c``: that empties the whole ``.cache`` folder, snippet caches with it; the entries Zensical added
are removed instead. Ours uses the copy's own ``mkdocs.yml`` and its default snippet cache
(``.cache/site_tools``), apart from the MkDocs rows' caches.
"""

from __future__ import annotations

import shutil

import mkconfig
import realsite
from measure import Command, Run, expect_counts, run_process
from plan import OUR_BIN, Group

from site_tools.configfile.yaml_format import dump_yaml, load_yaml_config

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
    cache = root / ".cache"
    kept = {path.name for path in cache.iterdir()} if cache.is_dir() else set()
    kept.add("site_tools")
    ours = [str(OUR_BIN / "site-tools"), "build", "--host", "zensical", "--root", str(root)]

    def empty_page_cache() -> None:
        for path in cache.iterdir() if cache.is_dir() else ():
            if path.name not in kept:
                shutil.rmtree(path) if path.is_dir() else path.unlink()

    def plain_build(_: int) -> Run:
        empty_page_cache()
        return run_process([str(OUR_BIN / "python"), "-m", "zensical", "build", "-f", plain.name], cwd=root)

    def cold(_: int) -> Run:
        empty_page_cache()
        shutil.rmtree(cache / "site_tools", ignore_errors=True)
        return run_process(ours, cwd=root)

    def warm(_: int) -> Run:
        empty_page_cache()
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
                warm,
                expect=expect_counts(executed=0, cached="all"),
            ),
        ],
    )
