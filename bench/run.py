"""``make bench``: every measurement in one run; a table, a JSON file, a chart and the README's section.

Usage: ``.venv/bin/python bench/run.py [--runs 5] [--full] [--only site,serve,peers,scale,dask,lighthouse]``;
``--report-only`` remakes the table, chart and README section from ``bench/results/latest.json``.
See bench/README.md for what is measured and how to read the table.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.metadata
import importlib.util
import json
import os
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import chart  # noqa: E402
import dask_rows  # noqa: E402
import helper_edit  # noqa: E402
import manycore  # noqa: E402
import peers  # noqa: E402
import plan  # noqa: E402
import realsite  # noqa: E402
import report  # noqa: E402
import scrubsite  # noqa: E402
import switch  # noqa: E402
import targets  # noqa: E402
import zensical_rows  # noqa: E402
from measure import Outcome, alternate, run_process  # noqa: E402

REPO = BENCH.parent
WORK = BENCH / "scratch"
RESULTS = BENCH / "results" / "latest.json"
CHART = BENCH / "results" / "chart.png"
README = REPO / "README.md"
MARKERS = ("<!-- bench:start -->", "<!-- bench:end -->")
PARTS = (
    "site",
    "small",
    "serve",
    "peers",
    "scale",
    "dask",
    "remote",
    "zensical",
    "properdocs",
    "scrub",
    "manycore",
    "lighthouse",
)
LIGHTHOUSE_DIR = BENCH / "lighthouse"
LIGHTHOUSE_JSON = BENCH / "results" / "lighthouse.json"
LIGHTHOUSE_MD = BENCH / "results" / "lighthouse.md"


def log(message: str) -> None:
    print(message, flush=True)


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="counted runs per command (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="uncounted rounds first (default 1)")
    parser.add_argument("--full", action="store_true", help="heavy commands too get warm-up + counted runs")
    parser.add_argument(
        "--only", default=",".join(PARTS), help=f"comma-separated subset of {','.join(PARTS)}"
    )
    parser.add_argument(
        "--sizes", default=",".join(map(str, plan.SCALING_SIZES)), help="posts per generated site"
    )
    parser.add_argument("--report-only", action="store_true", help="remake the outputs from latest.json")
    args = parser.parse_args(argv)
    args.sizes = tuple(int(size) for size in args.sizes.split(","))
    args.only = [part.strip() for part in args.only.split(",") if part.strip()]
    unknown = sorted(set(args.only) - set(PARTS))
    if unknown:
        parser.error(f"--only: unknown part(s) {', '.join(unknown)}; choose from {', '.join(PARTS)}")
    if args.runs < 1 or args.warmup < 0:
        parser.error("--runs must be at least 1 and --warmup at least 0")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.report_only:
        if not RESULTS.is_file():
            log(f"bench: {RESULTS.relative_to(REPO)} does not exist yet: run `make bench` first")
            return 2
        return publish(json.loads(RESULTS.read_text(encoding="utf-8")))
    started = time.monotonic()
    load_before = os.getloadavg()[0]
    venv_seconds = peers.ensure_venv(log) if "peers" in args.only else 0.0
    WORK.mkdir(exist_ok=True)
    # Builds run with PYTHONDONTWRITEBYTECODE (nothing written into the checkout while measuring):
    # compile site_tools once first, as a user's first build does, or every measured build would
    # compile it again, a cost no real build pays twice.
    run_process([sys.executable, "-m", "compileall", "-q", str(REPO / "site_tools")], cwd=REPO)
    setup = realsite.prepare(REPO, WORK / "real")
    site = setup.site
    work = WORK.relative_to(REPO)
    log(f"bench: {len(site.unique())} snippets in {len(site.blocks)} blocks; work in {work}/")
    measurements: dict[str, dict] = {}
    passes: list[dict[str, float]] = []
    phones: list[dict[str, float]] = []
    loads = [load_before]
    if "site" in args.only:
        log(f"\n== floor: every snippet in one warm process, 1 thread, {args.runs} passes after a warm-up")
        passes, phones = plan.floor_compute(setup, args.runs)
        for name, seconds in sorted(passes[-1].items(), key=lambda item: -item[1]):
            log(f"  {name:<50} {seconds:6.2f} s")
    edited = pick_edited(setup, passes)
    compute = {name: statistics.median(p[name] for p in passes) for name in passes[-1]} if passes else None
    helper = helper_edit.pick(site, compute)
    groups = make_groups(args, setup, edited, helper)
    for group in groups:
        log(f"\n== {group.title}")
        if group.key == "serve" and not setup.out("ours").is_dir():
            build_ours(setup, "ours")  # serving needs the site built
        outcomes = run_group(group, args)
        for outcome in outcomes:
            measurements[outcome.command.key] = report.summarize(outcome, group.key)
        loads.append(os.getloadavg()[0])
    many = measure_manycore() if "manycore" in args.only else None
    lighthouse = measure_lighthouse(setup, args.runs) if "lighthouse" in args.only else None
    for key in ("site.edit", "site.edit_daemon", "serve.edit"):
        if key in measurements:
            measurements[key]["snippet"] = edited
    if helper and "site.helper_edit" in measurements:
        measurements["site.helper_edit"].update(helper=helper.name, importers=list(helper.importers))
    results = {
        "scrub_bytes": scrub_bytes() if "scrub" in args.only else None,
        "switch": measure_switch(setup) if "scrub" in args.only else None,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "total_seconds": time.monotonic() - started,
        "peers_venv_seconds": venv_seconds,
        "plan": {"warmup": args.warmup, "runs": args.runs, "full": args.full, "only": args.only},
        "machine": machine(load_before, loads),
        "snippets": sorted(site.unique()),
        "measurements": measurements,
        "floor": report.compute_floor(measurements, passes, os.cpu_count() or 1, phones),
        "manycore": many,
        "manycore_lent": manycore.lent_result(),
        "lighthouse": lighthouse,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    status = publish(results)
    failed = [key for key, entry in measurements.items() if entry.get("error")]
    for key in failed:
        log(f"\nbench: {key} failed: {measurements[key]['error']}")
    if lighthouse and lighthouse.get("error"):
        failed.append("lighthouse")
        log(f"\nbench: lighthouse failed: {lighthouse['error']}")
    return 1 if failed else status


def measure_manycore() -> dict:
    log("\n== many cores: a cold build's snippet phase against preload + 1.3 x the longest snippet")
    many = manycore.measure(WORK / "manycore")
    log("\n".join(manycore.summary(many)))
    return many


def lighthouse_module():
    """``bench/lighthouse/run.py``, loaded under its own name (this file is ``run`` too)."""
    spec = importlib.util.spec_from_file_location("lighthouse_run", LIGHTHOUSE_DIR / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def measure_lighthouse(setup: realsite.RealSetup, runs: int) -> dict:
    """Each post against its text-only twin, Lighthouse mobile, alternated (bench/lighthouse/)."""
    log(f"\n== lighthouse: each post against its text-only twin, mobile, {runs} alternated runs each")
    try:
        lighthouse_run = lighthouse_module()
        if not lighthouse_run.LIGHTHOUSE.is_file():  # lighthouse@12.2.3, pinned by the lock file
            npm = ["npm", "ci", "--no-audit", "--no-fund", "--prefix", str(LIGHTHOUSE_DIR)]
            if problem := run_process(npm, cwd=REPO).problem():
                return {"error": f"npm ci --prefix bench/lighthouse: {problem}"}
        out, problem = build_ours(setup, "lighthouse")
        if problem:
            return {"error": problem}
        data = lighthouse_run.measure(
            out,
            runs=runs,
            json_path=LIGHTHOUSE_JSON,
            md_path=LIGHTHOUSE_MD,
            note="make bench",
            posts_only=None,
            gzip_on=True,
        )
    except (Exception, SystemExit) as error:  # no npm, no Chromium, no post: the table says why
        return {"error": f"{type(error).__name__}: {error}"}
    log(f"bench: wrote {LIGHTHOUSE_MD.relative_to(REPO)} and {LIGHTHOUSE_JSON.relative_to(REPO)}")
    return data


def build_ours(setup: realsite.RealSetup, name: str) -> tuple[Path, str | None]:
    """The site as our plugin builds it, into a folder of its own, built now (warm when the site
    group filled the cache, cold otherwise): never a leftover of an earlier bench."""
    out = setup.out(name)
    realsite.empty(out)
    mkdocs = [str(plan.OUR_BIN / "mkdocs"), "build", "-f", str(setup.config("ours")), "-d", str(out)]
    built = run_process(mkdocs, cwd=setup.root)
    problem = built.problem()
    return out, f"building the site: {problem}: {built.output[-500:]}" if problem else None


def measure_switch(setup: realsite.RealSetup) -> dict:
    """A linked control of the real site's explorable post, switched in Chromium (bench/switch.py)."""
    log("\n== linked switch: every figure a control moves, from the input event to the last swap")
    server = None
    try:
        out, problem = build_ours(setup, "switch")
        if problem:
            return {"error": problem}
        lighthouse_run = lighthouse_module()
        scrubbed = lambda post: (out / post / "index.html").read_text().count("data-st-scrub=")  # noqa: E731
        post = max(lighthouse_run.find_posts(out), key=scrubbed)  # the post with most scrubbable figures
        server = lighthouse_run.Server(out, gzip_on=True)
        found = switch.measure(server.url(post))
    except (Exception, SystemExit) as error:  # no Chromium, no explorable post: the table says why
        return {"error": f"{type(error).__name__}: {error}"}
    finally:
        if server is not None:
            server.close()
    log(f"{found['figures']} figures, ms per switch: {found['ms']}; median {found['median_ms']} ms")
    return found


def lighthouse_table(results: dict) -> str | None:
    data = results.get("lighthouse")
    if not data or data.get("error"):
        return None
    return lighthouse_module().table(data)


def make_groups(
    args: argparse.Namespace, setup: realsite.RealSetup, edited: str, helper: helper_edit.Helper | None
) -> list[plan.Group]:
    """The groups ``--only`` asks for, in the order they run."""
    groups = []
    if "site" in args.only:
        groups.append(plan.site_group(setup, edited))
        if helper:  # with the daemon the group starts and stops
            groups[-1].commands.append(helper_edit.command(setup, helper))
    for part, make_group in (("small", plan.small_group), ("scrub", plan.scrub_group)):  # generated sites
        if part in args.only:
            groups.append(make_group(WORK))
    if "serve" in args.only:
        groups.append(plan.serve_group(setup, edited))
    if "remote" in args.only:
        groups.append(plan.remote_group(setup))
    if "peers" in args.only:
        groups.append(plan.peers_group(setup, full=args.full))
    if "scale" in args.only:
        groups += plan.scaling_groups(WORK, args.sizes, full=args.full)
    if "zensical" in args.only:
        groups.append(zensical_rows.site_group(setup))
    if "properdocs" in args.only:
        groups.append(zensical_rows.properdocs_group(setup))
    if "dask" in args.only:
        groups += [dask_rows.site_group(setup, WORK), dask_rows.scale_group(WORK, full=args.full)]
    return groups


def scrub_bytes() -> dict[str, int]:
    """The scrubbable figure's page: its bytes as loaded, and what moving one control adds."""
    found = scrubsite.page_bytes(WORK / "scrub" / "out")
    log(f"\n== scrubbable figure: the page's bytes, and what moving a control adds: {found}")
    return found


def run_group(group: plan.Group, args: argparse.Namespace) -> list[Outcome]:
    with contextlib.ExitStack() as stack:
        try:
            for resource in group.resources:
                stack.enter_context(resource)
        except Exception as error:  # a server that does not start fails its group, not the bench
            return [Outcome(command, error=f"{command.label}: {error}") for command in group.commands]
        return alternate(group.commands, warmup=args.warmup, runs=args.runs, log=log)


def pick_edited(setup: realsite.RealSetup, passes: list[dict[str, float]]) -> str:
    """The snippet file edited in the 'one snippet edited' runs: the one of median compute."""
    # Snippet files embedded in pages: a notebook has no embed whose page the serve edit could watch;
    # a scrubbable figure's file runs its whole grid again when edited, not one snippet.
    embedded = [block for block in setup.site.blocks if "::" not in block.name and not block.points]
    files = list(dict.fromkeys(block.name for block in embedded))
    if not files:
        raise ValueError("the site embeds no snippet file: nothing to edit for the 'one snippet edited' runs")
    if not passes:
        return files[0]
    ranked = sorted(files, key=lambda name: statistics.median(p[name] for p in passes))
    return ranked[len(ranked) // 2]


def machine(load_before: float, loads: list[float]) -> dict:
    def version(name: str) -> str | None:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return None

    info = {
        "cores": os.cpu_count(),
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
        "load_max": max([*loads, os.getloadavg()[0]]),
        "python": sys.version.split()[0],
        "ours": {name: version(name) for name in ("mkdocs", "mkdocs-material", "torch", "matplotlib")},
    }
    if peers.stamp().is_file():
        info["peers"] = peers.versions()
    return info


def publish(results: dict) -> int:
    """Ratios and targets from the measurements, then the JSON, the chart, the README and the table."""
    m = results["measurements"]
    results["ratios"] = [
        {"name": name, "a": a, "b": b, **value}
        for a, b, name in report.RATIOS
        if (value := report.ratio(m, a, b)) is not None
    ]
    results["ratios"] += scaling_ratios(m)
    results["targets"] = targets.targets(results)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    chart.draw(results, CHART)
    section = report.readme_section(results, CHART.relative_to(REPO).as_posix())
    report.replace_section(README, section, *MARKERS)
    log("\n" + report.table(results))
    if table := lighthouse_table(results):
        log("\n" + table)
    load = results["machine"]
    minutes, venv = results["total_seconds"] / 60, results["peers_venv_seconds"]
    log(f"\nbench: {minutes:.1f} min in all (peers' venv {venv:.0f} s), on {load['cores']} cores")
    log(f"bench: load average {load['load_before']:.1f} before, {load['load_max']:.1f} at most")
    outputs = f"{RESULTS.relative_to(REPO)}, {CHART.relative_to(REPO)}"
    log(f"bench: wrote {outputs} and README.md's Performance section")
    return 0


def scaling_ratios(m: dict) -> list[dict]:
    found = []
    sizes = sorted({int(key.split(".")[1]) for key in m if key.startswith("scale.")})
    for size in sizes:
        for a, b, name in (
            (f"scale.{size}.warm", f"scale.{size}.plain", f"{size} posts: warm / plain"),
            (f"scale.{size}.cold.w1", f"scale.{size}.cold.w2", f"{size} posts: cold, 1 worker / 2 workers"),
        ):
            value = report.ratio(m, a, b)
            if value is not None:
                found.append({"name": name, "a": a, "b": b, **value})
    return found


if __name__ == "__main__":
    sys.exit(main())
