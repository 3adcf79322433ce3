"""The real site on the other hosts. Zensical: ``site-tools build --host zensical`` cold and warm
against Zensical's own plain build of the same pages (every block shown as ordinary Python, nothing
run). ProperDocs: our plugin, warm, against its plain build.

Zensical keeps a page's HTML while its text stays the same. Rows "page cache emptied" first empty
it, so that every row measures rendering; rows "page cache kept" keep it, as an author's rebuild
where nothing changed does (each side keeps its own: the plain build and ours build different
pages). Not with ``zensical build -c``: that empties the whole ``.cache`` folder, snippet caches
with it; the entries Zensical added are removed instead. Ours uses the copy's own ``mkdocs.yml``
and its default snippet cache (``.cache/site_tools``), apart from the MkDocs rows' caches.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import mkconfig
import realsite
from measure import Command, Run, expect_counts, expect_nothing_changed, run_process
from plan import OUR_BIN, Group, build

from site_tools.configfile.yaml_format import dump_yaml, load_yaml_config
from site_tools.site.generated_files import MANIFEST, previous_host_files
from site_tools.site.unchanged import MANIFESTS

EXTENSION = "site_tools.markdown"


def site_group(setup: realsite.RealSetup) -> Group:
    # Written whole, as MkDocs reads plain.yml: Zensical's INHERIT appends lists (plugins twice).
    base = load_yaml_config(setup.config("plain"))
    base["markdown_extensions"] = [
        entry for entry in base.get("markdown_extensions") or [] if mkconfig.plugin_name(entry) != EXTENSION
    ]
    root = setup.root
    # The plain build in a copy of its own: Zensical keeps one page cache per project folder, and a
    # build with another config there empties it, so alternating both in one folder, as no author
    # does, would measure two cold page caches in the rows where each side keeps its own.
    plain_root = root.parent / f"{root.name}-zensical-plain"
    shutil.rmtree(plain_root, ignore_errors=True)
    unused = shutil.ignore_patterns(".cache", "site", "out", "docs-mdexec", "docs-jupyter")
    shutil.copytree(root, plain_root, ignore=unused)
    plain = plain_root / "zensical-plain.yml"
    plain.write_text(dump_yaml(base), encoding="utf-8")
    kept: dict[Path, set[str]] = {}  # per folder, what `.cache` held before the group's first build
    ours = [str(OUR_BIN / "site-tools"), "build", "--host", "zensical", "--root", str(root)]
    zensical_plain = [str(OUR_BIN / "python"), "-m", "zensical", "build", "-f", plain.name]

    def empty_page_cache(folder: Path = root) -> None:
        # Taken when the group starts, not when it is made: the groups before it fill `.cache/ours`,
        # which the ProperDocs group after it reads (taken at creation, it was emptied here).
        cache = folder / ".cache"
        if folder not in kept:
            listed = (path.name for path in cache.iterdir()) if cache.is_dir() else ()
            kept[folder] = {"site_tools", *listed}
        for path in cache.iterdir() if cache.is_dir() else ():
            if path.name not in kept[folder]:
                shutil.rmtree(path) if path.is_dir() else path.unlink()

    def plain_build(_: int) -> Run:
        empty_page_cache(plain_root)
        return run_process(zensical_plain, cwd=plain_root)

    def cold(_: int) -> Run:
        empty_page_cache()
        shutil.rmtree(root / ".cache" / "site_tools", ignore_errors=True)
        shutil.rmtree(root / MANIFESTS, ignore_errors=True)  # nothing known of a last build: a full one
        return run_process(ours, cwd=root)

    def warm(_: int) -> Run:
        empty_page_cache()
        shutil.rmtree(root / MANIFESTS, ignore_errors=True)  # the pre-step runs: every page rendered
        return run_process(ours, cwd=root)

    def plain_kept(_: int) -> Run:
        return run_process(zensical_plain, cwd=plain_root)

    def warm_kept(_: int) -> Run:
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
            Command("zensical.plain_kept", "plain zensical build, page cache kept", plain_kept),
            Command(
                "zensical.warm_kept",
                "ours on Zensical, warm, page cache kept (nothing changed)",
                warm_kept,
                expect=expect_nothing_changed,
            ),
        ],
        [PreStepFilesRemoved(setup)],
    )


def properdocs_group(setup: realsite.RealSetup) -> Group:
    """The real site on ProperDocs: its plain build and ours, warm (the same configs as MkDocs')."""
    properdocs = OUR_BIN / "properdocs"
    commands = [
        build(
            "properdocs.plain",
            "plain properdocs build",
            properdocs,
            setup.config("plain"),
            setup.out("pd-plain"),
        ),
        build(
            "properdocs.warm",
            "ours on ProperDocs, warm (all cached)",
            properdocs,
            setup.config("ours"),
            setup.out("pd-ours"),
            expect=expect_counts(executed=0, cached="all"),
        ),
    ]
    return Group("properdocs", "real site on ProperDocs: ours, warm, vs its plain build", commands)


class PreStepFilesRemoved:
    """Held while the Zensical group runs: afterwards the files its pre-step wrote into the copy's docs
    folder (downloads, notebook pages, the report: the manifest lists them) are removed, so the MkDocs
    and ProperDocs builds measured after it do not render them too (mkdocs-jupyter makes a page of
    every ``.ipynb`` it finds, the downloads included)."""

    def __init__(self, setup: realsite.RealSetup) -> None:
        self.setup = setup

    def __enter__(self) -> PreStepFilesRemoved:
        return self

    def __exit__(self, *_: object) -> None:
        manifest = self.setup.root / ".cache" / "site_tools" / MANIFEST
        for uri in previous_host_files(manifest):
            (self.setup.site.docs / uri).unlink(missing_ok=True)
