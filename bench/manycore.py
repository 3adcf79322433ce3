"""Every core busy: a cold build's snippet phase against one preload + 1.3 x the longest snippet.

Usage: ``.venv/bin/python bench/manycore.py [--json PATH]`` (about a minute on 2 cores, under five
on 16). On a copy of the real site under ``bench/scratch/manycore``:

1. the preload: ``python -c "import site_tools.engine.run.preload"``, the better of two;
2. every snippet timed alone with all cores: a cold build with ``workers: 1``, so one snippet runs
   at a time with every core's torch threads; the longest of the recorded run times counts (a
   long timeout: on a busy machine, torch threads spinning against other processes can take long);
3. a cold build as a user runs it (default workers), each log line stamped as it arrives: the
   snippet phase runs from the plan line ("N snippets: 0 cached, running ...") to the last
   snippet's progress line. Also shown: the wait before the first result, and the tail after the
   last one until the build ends (where an executed notebook is converted, say).

The goal (issue 20): snippet phase <= preload + 1.3 x the longest snippet, on a machine with 8 cores
or more; on fewer cores the figures are printed and the goal is reported as not applicable.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import mkconfig  # noqa: E402
import sites  # noqa: E402
from measure import start_process  # noqa: E402

REPO = BENCH.parent
BIN = Path(sys.executable).parent
PROGRESS = re.compile(r"\[(\d+)/(\d+)\] (\S+): (\S+) in ([0-9.]+) s")
PLAN = re.compile(r"\d+ snippets: 0 cached, running (\d+)")
GOAL_FACTOR = 1.3
MIN_CORES = 8


def stamped_build(root: Path, config: Path, out: Path) -> tuple[float, list[tuple[float, str]]]:
    """Run ``mkdocs build``; its wall time and each output line with the second it arrived."""
    started = time.perf_counter()
    process = start_process([str(BIN / "mkdocs"), "build", "-f", str(config), "-d", str(out)], cwd=root)
    lines = [(time.perf_counter() - started, line.rstrip()) for line in process.stdout]  # type: ignore[union-attr]
    process.wait(timeout=600)
    if process.returncode != 0:
        tail = "\n".join(text for _, text in lines[-30:])
        raise RuntimeError(f"mkdocs build -f {config.name} failed (exit {process.returncode}):\n{tail}")
    return time.perf_counter() - started, lines


def preload_seconds() -> float:
    runs = []
    for _ in range(2):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import site_tools.engine.run.preload"], check=True)
        runs.append(time.perf_counter() - started)
    return min(runs)


def phases(total: float, lines: list[tuple[float, str]]) -> dict:
    """The snippet phase of a stamped build: plan line to last result, the wait and the tail."""
    plan = next((at for at, text in lines if PLAN.search(text)), None)
    results = [(at, PROGRESS.search(text)) for at, text in lines if PROGRESS.search(text)]
    if plan is None or not results:
        raise RuntimeError("no plan line or no snippet ran: is the cache really empty?")
    seconds = {match.group(3): float(match.group(5)) for _, match in results}
    return {
        "build": total,
        "plan_at": plan,
        "first_result_at": results[0][0],
        "last_result_at": results[-1][0],
        "snippet_phase": results[-1][0] - plan,
        "tail": total - results[-1][0],
        "run_seconds": seconds,
    }


def measure(work: Path) -> dict:
    site = sites.copy_site(REPO, work)
    base = mkconfig.load(site.config)
    alone = mkconfig.write(
        work / "alone.yml",
        "mkdocs.yml",
        strict=False,
        plugins=mkconfig.with_site_tools(base, cache_dir=".cache/alone", workers=1, timeout=900),
    )
    cold = mkconfig.write(
        work / "cold.yml",
        "mkdocs.yml",
        strict=False,
        plugins=mkconfig.with_site_tools(base, cache_dir=".cache/cold"),
    )
    preload = preload_seconds()
    alone_run = phases(*stamped_build(work, alone, work / "out-alone"))
    shutil.rmtree(work / ".cache" / "cold", ignore_errors=True)
    cold_run = phases(*stamped_build(work, cold, work / "out-cold"))
    longest_name, longest = max(alone_run["run_seconds"].items(), key=lambda item: item[1])
    goal = preload + GOAL_FACTOR * longest
    cores = os.cpu_count() or 1
    return {
        "cores": cores,
        "snippets": len(cold_run["run_seconds"]),
        "preload": preload,
        "longest": longest,
        "longest_name": longest_name,
        "alone": alone_run,
        "cold": cold_run,
        "goal": goal,
        "ratio": cold_run["snippet_phase"] / goal,
        "applies": cores >= MIN_CORES,
    }


def summary(result: dict) -> list[str]:
    cold = result["cold"]
    if not result["applies"]:
        verdict = f"not applicable here ({result['cores']} cores; the goal is for {MIN_CORES} or more)"
    else:
        verdict = "met" if result["ratio"] <= 1 else "missed"
    return [
        f"many cores: {result['cores']} cores, {result['snippets']} snippets",
        f"  preload {result['preload']:.2f} s; longest snippet alone with all cores "
        f"{result['longest']:.2f} s ({result['longest_name']})",
        f"  cold build {cold['build']:.2f} s: snippets queued at {cold['plan_at']:.2f} s, first result at "
        f"{cold['first_result_at']:.2f} s, last at {cold['last_result_at']:.2f} s, tail {cold['tail']:.2f} s",
        f"  snippet phase {cold['snippet_phase']:.2f} s against preload + {GOAL_FACTOR} x longest = "
        f"{result['goal']:.2f} s: {result['ratio']:.2f}x, {verdict}",
    ]


LENT = BENCH / "results" / "manycore-lent.json"  # a run on a lent machine of >= 8 cores, committed


def lent_result() -> dict | None:
    """The committed result of a run on a lent many-core machine, if there is one."""
    try:
        return json.loads(LENT.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--work", type=Path, default=BENCH / "scratch" / "manycore")
    args = parser.parse_args(argv)
    result = measure(args.work)
    print("\n".join(summary(result)), flush=True)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
