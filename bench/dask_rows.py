"""Issue 13's rows: snippets through a local Dask cluster (a scheduler and workers as processes,
on 127.0.0.1, on this machine's cores) against the local executor.

- ``dask.site``: the real site cold, local executor vs a two-worker cluster (goal: at most 1.15 times);
- ``dask.scale``: the 200-post generated site cold with one and with two Dask workers (scaling).

The cluster is started by the group (``Group.resources``) from ``tests/dask/cluster.py``, the same
one the tests use; its address reaches the builds through ``SITE_TOOLS_DASK_ADDRESS``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import mkconfig
import realsite
import scaling
from measure import expect_counts
from plan import OUR_BIN, Group, build, emptying, heavy

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.dask.cluster import start_cluster

SCALE_SIZE = 200


class LocalCluster:
    """A context manager: a Dask cluster of ``workers`` one-thread workers while the group runs.

    ``env`` is filled on entry with what a build needs to use it.
    """

    def __init__(self, folder: Path, workers: int) -> None:
        self.folder, self.workers = folder, workers
        self.env: dict[str, str] = {"SITE_TOOLS_EXECUTOR": "dask"}
        self.cluster = None

    def __enter__(self) -> LocalCluster:
        names = {f"bench-w{n}": None for n in range(1, self.workers + 1)}
        self.cluster = start_cluster(self.folder, names, lifetime=3 * 3600)  # outlives a --full bench
        self.env["SITE_TOOLS_DASK_ADDRESS"] = self.cluster.address
        return self

    def __exit__(self, *exc: object) -> None:
        if self.cluster is not None:
            self.cluster.stop()


def site_group(setup: realsite.RealSetup, work: Path) -> Group:
    base = mkconfig.load(setup.site.config)
    dask_config = mkconfig.write(
        setup.config("dask"), "mkdocs.yml", strict=False,
        plugins=mkconfig.with_site_tools(base, cache_dir=".cache/dask"),
    )  # fmt: skip
    cluster = LocalCluster(work / "dask-cluster-2", 2)
    mkdocs = OUR_BIN / "mkdocs"
    commands = [
        build(
            "dask.site.local",
            "ours, cold, local executor",
            mkdocs,
            setup.config("ours"),
            setup.out("ours"),
            before=emptying(setup.cache("ours")),
            expect=expect_counts(executed="all", failed=0),
        ),
        build(
            "dask.site.dask",
            "ours, cold, Dask cluster of 2 workers",
            mkdocs,
            dask_config,
            setup.out("dask"),
            env=cluster.env,
            before=emptying(setup.cache("dask")),
            expect=expect_counts(executed="all", failed=0),
        ),
    ]
    title = "The real site cold: local executor vs a local Dask cluster on the same cores"
    return Group("dask.site", title, commands, [cluster])


def scale_group(work: Path, *, full: bool) -> Group:
    site = scaling.generate(work / f"dask-scaling-{SCALE_SIZE}", SCALE_SIZE, (1, 2))
    mkdocs = OUR_BIN / "mkdocs"
    clusters = {n: LocalCluster(work / f"dask-cluster-{n}", n) for n in (1, 2)}
    commands = [
        build(
            f"dask.scale.{SCALE_SIZE}.w{n}",
            f"{SCALE_SIZE} posts: cold, {n} Dask worker(s)",
            mkdocs,
            site.config(f"w{n}"),
            site.root / "out",
            env=clusters[n].env,
            before=emptying(site.cache(f"w{n}")),
            expect=expect_counts(executed="all", failed=0),
            **heavy(full),
        )
        for n in (2, 1)
    ]
    title = f"Generated blog of {SCALE_SIZE} posts through Dask: one and two workers"
    return Group("dask.scale", title, commands, list(clusters.values()))

