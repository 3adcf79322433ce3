"""What runs inside a worker process: one snippet, from a fresh fork of the preloaded parent.

The process leads its own process group (so a timeout kills whatever it started), works in its own
temporary folder, has fixed seeds and a fixed number of torch threads, and writes its result as JSON
plus one SVG per figure into ``job.out_dir``. Nothing it does can reach the next snippet: every
snippet gets a new process.
"""

from __future__ import annotations

import io
import json
import os
import random
import resource
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

from site_tools.engine.model import CodeCell
from site_tools.engine.sanitize import sanitize_paths

SVG_RC = {"svg.hashsalt": "site-tools", "svg.fonttype": "path", "path.simplify": True}


@dataclass(frozen=True)
class Job:
    key: str
    path: str  # repository-relative file of the code: tracebacks name it
    cells: tuple[CodeCell, ...]
    root: str
    snippets_dir: str
    workdir: str
    out_dir: str
    threads: int = 1
    seed: int = 0
    memory_limit: int | None = None  # bytes of address space the snippet may add
    output_limit: int = 200_000  # characters of stdout/stderr kept per cell


class BoundedText(io.TextIOBase):
    """A text sink that keeps the first ``limit`` characters and counts the rest."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.parts: list[str] = []
        self.kept = 0
        self.dropped = 0

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        room = self.limit - self.kept
        if room > 0:
            self.parts.append(text[:room])
            self.kept += min(room, len(text))
        self.dropped += max(0, len(text) - max(room, 0))
        return len(text)

    def getvalue(self) -> str:
        text = "".join(self.parts)
        if self.dropped:
            text += f"\n[site_tools: output truncated: {self.dropped:,} more characters not shown]\n"
        return text


def run_job(job: Job) -> None:
    """Entry point in the worker. Always ends the process; the parent reads ``result.json``."""
    os.setsid()
    status = 1
    try:
        _isolate(job)
        record = _execute(job)
        _write_json(Path(job.out_dir) / "result.json", record)
        status = 0
    finally:
        sys.stdout.flush()
        os._exit(status)  # skip atexit handlers and interpreter teardown of the forked state


def _isolate(job: Job) -> None:
    os.chdir(job.workdir)
    sys.path.insert(0, job.snippets_dir)
    sys.argv = [job.path]
    # The process's own stdout/stderr go to a file, so C-level output never garbles the build's terminal.
    fd = os.open(Path(job.out_dir) / "fd-output.txt", os.O_WRONLY | os.O_CREAT, 0o600)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    if job.memory_limit:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        current = _address_space()
        limit = current + job.memory_limit
        if hard == resource.RLIM_INFINITY or limit < hard:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _address_space() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def _seed_and_threads(job: Job) -> str:
    random.seed(job.seed)
    import numpy as np
    import torch

    np.random.seed(job.seed)
    torch.manual_seed(job.seed)
    torch.set_num_threads(job.threads)
    return "cuda" if torch.cuda.is_available() else "cpu"


def _execute(job: Job) -> dict:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import torch

    plt.close("all")
    matplotlib.rcdefaults()
    matplotlib.rcParams.update(SVG_RC)
    plt.show = lambda *args, **kwargs: None  # figures are captured, not shown
    device = _seed_and_threads(job)
    namespace: dict = {"__name__": "__main__", "__file__": str(Path(job.root) / job.path)}
    cells: list[dict] = []
    error = location = None
    status = "ok"
    for index, cell in enumerate(job.cells):
        out, err = BoundedText(job.output_limit), BoundedText(job.output_limit)
        sys.stdout, sys.stderr = out, err
        try:
            code = compile("\n" * (cell.first_line - 1) + cell.code, job.path, "exec")
            exec(code, namespace)
        except BaseException as exc:
            status = "memory" if isinstance(exc, MemoryError) else "error"
            error, location = _describe(exc, job)
        finally:
            sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
        figures = _save_figures(plt, Path(job.out_dir), index)
        cells.append({"stdout": out.getvalue(), "stderr": err.getvalue(), "figures": figures})
        if error:
            break
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "status": status,
        "cells": cells,
        "error": error,
        "error_location": location,
        "peak_memory": usage.ru_maxrss * 1024,
        "torch_version": torch.__version__,
        "device": device,
    }


def _save_figures(plt, out_dir: Path, cell: int) -> list[str]:
    """Save every open figure in creation order as SVG, then close it (as a notebook's inline backend does)."""
    names = []
    for n, number in enumerate(plt.get_fignums()):
        figure = plt.figure(number)
        name = f"fig-{cell}-{n}.svg"
        figure.savefig(out_dir / name, format="svg", metadata={"Date": None})
        plt.close(figure)
        names.append(name)
    return names


def _describe(exc: BaseException, job: Job) -> tuple[str, str | None]:
    """The traceback from the snippet's own frames on, and the snippet line to look at."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != job.path:
        tb = tb.tb_next  # drop the engine's own frames
    if tb is not None:
        exc = exc.with_traceback(tb)
    text = "".join(traceback.format_exception(exc))
    if isinstance(exc, MemoryError):
        text += f"\nThe snippet went over its memory limit ({(job.memory_limit or 0) >> 20} MiB).\n"
    location = None
    if isinstance(exc, SyntaxError) and exc.filename == job.path:
        location = f"{job.path}:{exc.lineno}"
    else:
        frames = traceback.extract_tb(tb) if tb is not None else []
        own = [f for f in frames if f.filename == job.path or f.filename.startswith(job.snippets_dir)]
        if own:
            location = f"{sanitize_paths(own[-1].filename, job.root)}:{own[-1].lineno}"
    return sanitize_paths(text, job.root), location


def _write_json(path: Path, record: dict) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(record), encoding="utf-8")
    os.replace(tmp, path)
