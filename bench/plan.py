"""What the bench measures: groups of compared commands, each group alternated on its own.

A group runs its commands in rounds (A B C, A B C, ...): one warm-up round, then the counted ones.
Heavy commands (one build of a minute or more: the peers without a cache, the big generated sites)
run once, without warm-up, unless ``--full`` asks for every command at the same count; the report
shows each row's count, so nothing passes for more repeated than it was.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import peers
import realsite
import remote
import scaling
import scrubsite
import serve
import smallsite
from measure import Command, Run, expect_counts, run_process

OUR_BIN = Path(sys.executable).parent  # bench/run.py runs with the project's .venv/bin/python
SCALING_SIZES = (50, 200, 800)
SCALING_WORKERS = (1, 2)
Seconds = dict[str, float]  # seconds per run, by snippet


@dataclass
class Group:
    key: str
    title: str
    commands: list[Command]
    resources: list = field(default_factory=list)  # context managers held while the group runs


def build(
    key: str,
    label: str,
    mkdocs: Path,
    config: Path,
    out: Path,
    *,
    env: dict[str, str] | None = None,
    before: Callable[[int], None] | None = None,
    memory: bool = False,
    **options,
) -> Command:
    argv = [str(mkdocs), "build", "-f", str(config), "-d", str(out)]

    def measure(index: int) -> Run:
        if before:
            before(index)
        return run_process(argv, cwd=config.parent, env=env, memory=memory)

    return Command(key, label, measure, **options)


def heavy(full: bool) -> dict[str, int]:
    return {} if full else {"warmup": 0, "runs": 1}


def site_group(setup: realsite.RealSetup, edited: str) -> Group:
    mkdocs = OUR_BIN / "mkdocs"
    ours, out = setup.config("ours"), setup.out
    commands = [
        build(
            "site.plain",
            "plain mkdocs build (code shown, not run)",
            mkdocs,
            setup.config("plain"),
            out("plain"),
        ),
        build(
            "site.off",
            "ours, execution off (SITE_TOOLS_EXECUTE=0)",
            mkdocs,
            setup.config("off"),
            out("off"),
            env={"SITE_TOOLS_EXECUTE": "0"},
            expect=expect_counts(executed=0, cached=0),
        ),
        build(
            "site.cold",
            "ours, cold (empty cache)",
            mkdocs,
            ours,
            out("ours"),
            before=lambda _: realsite.empty(setup.cache("ours")),
            expect=expect_counts(executed="all"),
        ),
        build(
            "site.warm",
            "ours, warm (all cached)",
            mkdocs,
            ours,
            out("ours"),
            expect=expect_counts(executed=0, cached="all"),
        ),
        build(
            "site.edit",
            f"ours, {Path(edited).name} edited",
            mkdocs,
            ours,
            out("ours"),
            before=lambda i: realsite.edit_snippet(setup.site, edited, i),
            expect=expect_counts(executed=1),
        ),
        build(
            "site.edit_daemon",
            f"ours, {Path(edited).name} edited, worker daemon on",
            mkdocs,
            ours,
            out("ours"),
            env={"SITE_TOOLS_EXECUTOR": "daemon"},
            before=lambda i: realsite.edit_snippet(setup.site, edited, 1000 + i),
            expect=expect_counts(executed=1),
            note="the daemon keeps torch loaded between builds; started by the warm-up round",
        ),
        Command(
            "site.preload",
            "worker preload (python + torch + matplotlib)",
            lambda _: run_process(
                [str(OUR_BIN / "python"), "-c", "import site_tools.engine.run.preload"], cwd=setup.root
            ),
        ),
    ]
    return Group("site", "The real site, built by us", commands, [DaemonStopped(setup.root)])


class DaemonStopped:
    """Held while a group runs: afterwards the copy's worker daemon (if one started) is stopped."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def __enter__(self) -> DaemonStopped:
        return self

    def __exit__(self, *_: object) -> None:
        from site_tools.engine.run import daemon_client

        found = daemon_client.ask(self.root, {"op": "hello"})
        if found is not None:
            os.kill(found["pid"], signal.SIGTERM)  # by its pid


def small_group(work: Path) -> Group:
    """The 5-post, 8-figure blog (``bench/smallsite.py``): plain, cold and warm, where fixed costs show."""
    mkdocs = OUR_BIN / "mkdocs"
    site = smallsite.generate(work / "small")
    out = site.root / "out"
    commands = [
        build("small.plain", "small site: plain (code shown, not run)", mkdocs, site.config("plain"), out),
        build(
            "small.cold",
            "small site: ours, cold",
            mkdocs,
            site.config("ours"),
            out,
            before=emptying(site.cache("ours")),
            expect=expect_counts(executed="all"),
        ),
        build(
            "small.warm",
            "small site: ours, warm",
            mkdocs,
            site.config("ours"),
            out,
            expect=expect_counts(executed=0, cached="all"),
        ),
    ]
    title = f"A small blog: {smallsite.POSTS} posts, {smallsite.SNIPPETS} figure snippets"
    return Group("small", title, commands)


def scrub_group(work: Path) -> Group:
    """A post with a 16-variant scrubbable figure (``bench/scrubsite.py``): cold and warm builds."""
    mkdocs = OUR_BIN / "mkdocs"
    site = scrubsite.generate(work / "scrub")
    out = site.root / "out"
    commands = [
        build(
            "scrub.cold",
            f"scrubbable figure, {scrubsite.POINTS} variants: cold",
            mkdocs,
            site.config,
            out,
            before=emptying(site.cache),
            expect=expect_counts(executed=scrubsite.POINTS),
        ),
        build(
            "scrub.warm",
            f"scrubbable figure, {scrubsite.POINTS} variants: warm",
            mkdocs,
            site.config,
            out,
            expect=expect_counts(executed=0, cached=scrubsite.POINTS),
        ),
    ]
    return Group("scrub", f"A post with a scrubbable figure of {scrubsite.POINTS} variants", commands)


def remote_group(setup: realsite.RealSetup) -> Group:
    """A clean checkout built from a warm shared cache on loopback, against the plain build."""
    mkdocs = OUR_BIN / "mkdocs"
    server = remote.RemoteCacheServer(setup, mkdocs)
    commands = [
        build(
            "remote.plain",
            "plain mkdocs build (remote group)",
            mkdocs,
            setup.config("plain"),
            setup.out("plain"),
        ),
        build(
            "remote.fresh",
            "ours, fresh clone from a warm remote cache (loopback nginx)",
            mkdocs,
            setup.config("remote"),
            setup.out("remote"),
            env=server.env,
            before=lambda _: realsite.empty(setup.cache("remote")),
            expect=expect_counts(executed=0, cached="all"),
        ),
    ]
    return Group(
        "remote", "The real site from a shared result cache, as a fresh clone gets it", commands, [server]
    )


def serve_group(setup: realsite.RealSetup, edited: str) -> Group:
    mkdocs = OUR_BIN / "mkdocs"
    ours = serve.Server(mkdocs, setup.config("ours"), cwd=setup.root, env={}, mount=setup.mount)
    plain = serve.Server(mkdocs, setup.config("plain"), cwd=setup.root, env={}, mount=setup.mount)
    urls: dict[str, str] = {}

    def url(marker: str) -> str:
        """The URL of the page ending with ``marker``, read once from a build of ours."""
        if marker not in urls:
            urls[marker] = serve.page_url(setup.out("ours"), marker)
        return urls[marker]

    post_marker = setup.markers[setup.post.relative_to(setup.site.docs).as_posix()]
    snippet = setup.root / edited
    commands = [
        Command(
            "serve.ours",
            "prose edit under serve, ours",
            lambda i: serve.prose_edit(ours, setup.post, url(post_marker), i),
        ),
        Command(
            "serve.plain",
            "prose edit under serve, plain",
            lambda i: serve.prose_edit(plain, setup.plain_post, url(post_marker), i),
        ),
        Command(
            "serve.edit",
            f"{Path(edited).name} edited under serve, ours",
            lambda i: serve.snippet_edit(ours, snippet, url(setup.marker_of(edited)), i),
        ),
    ]
    title = "Edits under `mkdocs serve`, from the file write to the new page served"
    return Group("serve", title, commands, [ours, plain])


def peers_group(setup: realsite.RealSetup, *, full: bool) -> Group:
    mkdocs = peers.bin_path("mkdocs")
    env = {"PYTHONPATH": str(setup.site.snippets), "MPLBACKEND": "Agg"}
    jupyter_cache = setup.root / ".cache" / "jupyter"
    commands = [
        build(
            "peers.mdexec",
            "markdown-exec (exec blocks, no cache)",
            mkdocs,
            setup.config("mdexec"),
            setup.out("mdexec"),
            env=env,
            expect=expect_html(setup.out("mdexec"), "<svg"),
            **heavy(full),
        ),
        build(
            "peers.jupyter_off",
            "mkdocs-jupyter, cache off (emptied)",
            mkdocs,
            setup.config("jupyter-on"),
            setup.out("jupyter"),
            env=env,
            before=lambda _: realsite.empty(jupyter_cache),
            expect=expect_html(setup.out("jupyter") / "notebooks", "jp-OutputArea"),
            **heavy(full),
            note="cache enabled but emptied before the run: the cost of cache off, plus writing the cache",
        ),
        build(
            "peers.jupyter_on",
            "mkdocs-jupyter, cache on (all cached)",
            mkdocs,
            setup.config("jupyter-on"),
            setup.out("jupyter"),
            env=env,
            expect=expect_html(setup.out("jupyter") / "notebooks", "jp-OutputArea"),
        ),
    ]
    return Group("peers", "The peers on the same snippets, in the same Material blog", commands)


def emptying(folder: Path) -> Callable[[int], None]:
    return lambda _: realsite.empty(folder)


def expect_html(folder: Path, needle: str) -> Callable[[Run], str | None]:
    """A peer's build counts only if its pages really hold the output (an SVG, a notebook output)."""

    def check(_: Run) -> str | None:
        pages = list(folder.rglob("*.html"))
        if not any(needle in page.read_text(encoding="utf-8", errors="replace") for page in pages):
            return f"no page under {folder.name}/ contains {needle!r}: the snippets did not run"
        return None

    return check


def scaling_groups(work: Path, sizes: tuple[int, ...], *, full: bool) -> list[Group]:
    """One group per size; only the smallest gets warm-up and counted runs unless ``full``."""
    mkdocs = OUR_BIN / "mkdocs"
    groups = []
    for size in sizes:
        site = scaling.generate(work / f"scaling-{size}", size, SCALING_WORKERS)
        counts = {} if size == min(sizes) else heavy(full)
        out = site.root / "out"
        commands = [
            build(
                f"scale.{size}.plain",
                f"{size} posts: plain",
                mkdocs,
                site.config("plain"),
                out,
                memory=True,
                **counts,
            )
        ]
        for workers in sorted(SCALING_WORKERS, reverse=True):
            commands.append(
                build(
                    f"scale.{size}.cold.w{workers}",
                    f"{size} posts: cold, {workers} worker(s)",
                    mkdocs,
                    site.config(f"w{workers}"),
                    out,
                    memory=True,
                    before=emptying(site.cache(f"w{workers}")),
                    expect=expect_counts(executed="all"),
                    **counts,
                )
            )
        top = max(SCALING_WORKERS)
        commands.insert(
            2,  # right after the cold run that fills its cache
            build(
                f"scale.{size}.warm",
                f"{size} posts: warm, {top} workers",
                mkdocs,
                site.config(f"w{top}"),
                out,
                memory=True,
                expect=expect_counts(executed=0, cached="all"),
                **counts,
            ),
        )
        groups.append(
            Group(f"scale.{size}", f"Generated blog of {size} posts, two tiny snippets each", commands)
        )
    return groups


def floor_compute(setup: realsite.RealSetup, passes: int) -> tuple[list[Seconds], list[Seconds]]:
    """Each run's compute in one warm process (``bench/floor.py``), one dict per counted pass: every
    snippet, and every point of a scrubbable figure's grid; and, apart, its phone drawings' time."""
    blocks = setup.site.runs()
    blocks_file = setup.root / "floor-blocks.json"
    blocks_file.write_text(json.dumps(blocks), encoding="utf-8")
    script = Path(__file__).with_name("floor.py")
    done = subprocess.run(
        [str(OUR_BIN / "python"), str(script), str(blocks_file), str(setup.site.snippets), str(passes)],
        cwd=setup.root,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"bench/floor.py failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    lines = done.stdout.strip().splitlines()
    phones = next((json.loads(line[len("phones ") :]) for line in lines if line.startswith("phones ")), [])
    return json.loads(lines[-1]), phones
