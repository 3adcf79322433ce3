"""Time commands, sample their memory, and run compared commands in alternation (A B A B ...).

Alternating spreads slow phases of a busy machine over every command instead of one, so the paired
ratios (A's run i against B's run i) stay meaningful when the absolute times drift.
"""

from __future__ import annotations

import os
import re
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psutil

SUMMARY = re.compile(
    r"site_tools: (?P<total>\d+) snippets, (?P<executed>\d+) executed, (?P<cached>\d+) cached, "
    r"(?P<failed>\d+) failed in (?P<seconds>[\d.]+) s"
)


@dataclass
class Run:
    seconds: float
    peak_rss: int | None = None  # bytes, the whole process tree, when sampled
    returncode: int = 0
    counters: dict[str, float] | None = None  # the site_tools summary line, when logged
    output: str = ""

    def problem(self) -> str | None:
        if self.returncode != 0:
            return f"exit status {self.returncode}"
        if self.counters and self.counters["failed"]:
            return f"{int(self.counters['failed'])} snippet(s) failed"
        return None


@dataclass
class Command:
    """One compared thing. ``measure(i)`` runs it once (run ``i``) and returns the measurement."""

    key: str  # stable id in the results, e.g. "site.warm"
    label: str  # what the table shows
    measure: Callable[[int], Run]
    expect: Callable[[Run], str | None] | None = None  # checks a run really was what it claims
    note: str = ""
    warmup: int | None = None  # overrides the group's counts (heavy commands run fewer times)
    runs: int | None = None


@dataclass
class Outcome:
    command: Command
    runs: list[Run] = field(default_factory=list)  # counted runs only
    warmups: int = 0
    error: str | None = None


class MemorySampler:
    """Peak RSS of a process and all its descendants, sampled every ``interval`` seconds."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.pid = pid
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        try:
            root = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        while not self._stop.is_set():
            total = 0
            try:
                processes = [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                return
            for process in processes:
                try:
                    total += process.memory_info().rss
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)


def start_process(argv: list[str], *, cwd: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    """``argv`` started in its own session, as every measured command is; its output merged, as text."""
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1", **(env or {})}
    return subprocess.Popen(
        argv,
        cwd=cwd,
        env=full_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def run_process(
    argv: list[str],
    *,
    cwd: Path,
    env: dict[str, str] | None = None,
    memory: bool = False,
    timeout: float = 1800,
) -> Run:
    """Run ``argv`` to completion; wall time from start to exit, output kept for checks."""
    started = time.perf_counter()
    process = start_process(argv, cwd=cwd, env=env)
    sampler = MemorySampler(process.pid) if memory else None
    if sampler:
        sampler.__enter__()
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        output, _ = process.communicate()
        output += f"\n[bench: killed after {timeout:g} s]"
    finally:
        if sampler:
            sampler.__exit__()
    seconds = time.perf_counter() - started
    return Run(
        seconds=seconds,
        peak_rss=sampler.peak if sampler else None,
        returncode=process.returncode,
        counters=parse_summary(output),
        output=output[-4000:],
    )


def parse_summary(output: str) -> dict[str, float] | None:
    """The last ``site_tools: N snippets, ...`` line of a build's log, as numbers."""
    matches = list(SUMMARY.finditer(output))
    if not matches:
        return None
    return {name: float(value) for name, value in matches[-1].groupdict().items()}


def alternate(
    commands: list[Command], *, warmup: int, runs: int, log: Callable[[str], None]
) -> list[Outcome]:
    """``warmup`` uncounted rounds, then ``runs`` counted rounds, each round running every command once.

    A command whose run fails or does not pass its check drops out with the reason; the others go on.
    """
    outcomes = [Outcome(command) for command in commands]
    plans = [
        (c.warmup if c.warmup is not None else warmup, c.runs if c.runs is not None else runs)
        for c in commands
    ]
    rounds = max((w + r for w, r in plans), default=0)
    for round_index in range(rounds):
        for outcome, (own_warmup, own_runs) in zip(outcomes, plans, strict=True):
            if outcome.error or round_index >= own_warmup + own_runs:
                continue
            counted = round_index >= own_warmup
            command = outcome.command
            run = command.measure(round_index)
            # The warm-up fills what a warm row finds (run alone, `--only properdocs` starts cold):
            # a failed build fails it, what a run claims to be is checked on counted runs only.
            checked = command.expect if command.expect and counted else None
            problem = run.problem() or (checked(run) if checked else None)
            tag = f"run {round_index - own_warmup + 1}/{own_runs}" if counted else "warm-up"
            if problem:
                outcome.error = f"{command.label}, {tag}: {problem}\n{run.output[-1500:]}"
                log(f"  {command.label:<42} {tag:>9}: FAILED ({problem})")
                continue
            memory = f"  {run.peak_rss / 2**20:7.0f} MiB" if run.peak_rss else ""
            log(f"  {command.label:<42} {tag:>9}: {run.seconds:7.2f} s{memory}")
            if counted:
                outcome.runs.append(run)
            else:
                outcome.warmups += 1
    return outcomes


def expect_counts(**wanted: int | str) -> Callable[[Run], str | None]:
    """A check on the summary line, e.g. ``executed=0`` or ``executed="all"`` (= every snippet)."""

    def check(run: Run) -> str | None:
        counters = run.counters
        if counters is None:
            return "no `site_tools: ...` summary line in the log"
        for name, value in wanted.items():
            target = counters["total"] if value == "all" else value
            if counters[name] != target:
                return f"expected {name} = {value}, the build logged {counters[name]:g} ({run_summary(run)})"
        return None

    return check


def expect_nothing_changed(run: Run) -> str | None:
    """A check that a Zensical rebuild found nothing changed and skipped the pre-step (site/unchanged.py)."""
    if "site_tools: nothing changed since the last build" in run.output:
        return None
    return f"expected the pre-step skipped (nothing changed), the build logged: {run_summary(run) or '?'}"


def run_summary(run: Run) -> str:
    c = run.counters or {}
    return ", ".join(f"{int(v)} {k}" for k, v in c.items() if k != "seconds")
