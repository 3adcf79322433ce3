"""A fresh clone building the real site from a warm shared result cache on loopback.

The server is the tests' nginx with WebDAV ``PUT`` (``tests/remote/cache_server.py``), started for the
group on 127.0.0.1 and stopped by its PID. Entering the group fills it once: a cold build of the copy
with ``SITE_TOOLS_CACHE_WRITE=1`` into its own cache folder. Each measured run then empties the
reader's local cache (a clean checkout has none) and builds read-only: every result comes from the
server, checked, and is written into the local cache.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import mkconfig
import realsite
from measure import expect_counts, run_process, run_summary

REPO = Path(__file__).resolve().parents[1]


class RemoteCacheServer:
    """nginx on loopback holding every result of the copy; ``env`` points a build at it."""

    def __init__(self, setup: realsite.RealSetup, mkdocs: Path) -> None:
        self.setup = setup
        self.mkdocs = mkdocs
        self.env: dict[str, str] = {}  # filled on entry: the builds of the group read it then
        self.server = None
        base = mkconfig.load(setup.site.config)
        for name in ("remote", "remote-writer"):
            plugins = mkconfig.with_site_tools(base, cache_dir=f".cache/{name}")
            mkconfig.write(setup.config(name), "mkdocs.yml", strict=False, plugins=plugins)

    def __enter__(self) -> RemoteCacheServer:
        if str(REPO) not in sys.path:
            sys.path.insert(0, str(REPO))
        from tests.remote.cache_server import start_nginx

        folder = self.setup.root / "nginx"
        shutil.rmtree(folder, ignore_errors=True)
        try:
            self.server = start_nginx(folder)
        except BaseException as error:  # pytest's skip/fail outcomes are BaseExceptions
            raise RuntimeError(f"nginx for the shared cache did not start: {error}") from None
        self.env.update(SITE_TOOLS_CACHE_URL=self.server.url, SITE_TOOLS_CACHE_WRITE="0")
        realsite.empty(self.setup.cache("remote-writer"))
        fill = run_process(
            [
                str(self.mkdocs),
                "build",
                "-f",
                str(self.setup.config("remote-writer")),
                "-d",
                str(self.setup.out("remote-writer")),
            ],
            cwd=self.setup.root,
            env={**self.env, "SITE_TOOLS_CACHE_WRITE": "1"},
        )
        problem = fill.problem() or expect_counts(executed="all")(fill)
        if problem:
            self.__exit__()
            raise RuntimeError(f"filling the shared cache failed: {problem} ({run_summary(fill)})")
        return self

    def __exit__(self, *exc: object) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None
