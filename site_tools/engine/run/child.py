"""What runs inside a worker process: one snippet, from a fresh fork of the preloaded parent.

The process leads its own process group (so a timeout kills whatever it started), works in its own
temporary folder, has fixed seeds and a fixed number of torch threads, and writes its result as JSON
plus one SVG per figure into ``job.out_dir``. Nothing it does can reach the next snippet: every
snippet gets a new process. What it runs, and how, is the job's ``RunSpec`` (``spec.py``), as the
engine made it.
"""

from __future__ import annotations

import io
import json
import linecache
import os
import random
import resource
import sys
import time
import traceback
from pathlib import Path

from site_tools.engine.run.isolation import (
    address_space,
    die_with_parent,
    hide_cuda,
    isolate,
    limit_memory,
    real_exit,
    resident,
    unlimit_memory,
    watch_resident,
)
from site_tools.engine.run.phone import PhoneHookError, draw_phone
from site_tools.engine.run.phone_beside import phone_beside, spare_core
from site_tools.engine.run.published_values import VALUES_FILE, ValueProblem, read_values
from site_tools.engine.run.rasterise import fit_figure
from site_tools.engine.run.sanitize import sanitize_paths
from site_tools.engine.run.snippet_warnings import WarningRecorder, save_figure
from site_tools.engine.run.spec import Job
from site_tools.engine.run.writeguard import WriteGuard
from site_tools.engine.store.record import figure_name, phone_figure_name
from site_tools.files import write_whole

SVG_RC = {"svg.hashsalt": "site-tools", "svg.fonttype": "path", "path.simplify": True}


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
    die_with_parent()
    hide_cuda(job)
    status = 1
    try:
        isolate(job)
        guard = WriteGuard((job.workdir, job.out_dir, "/dev"), job.path, str(job.spec.snippets_dir))
        guard.install()
        record = _execute(job, guard)
        _write_json(Path(job.out_dir) / "result.json", record)
        status = 0
    finally:
        sys.stdout.flush()
        real_exit(status)  # skip atexit handlers and interpreter teardown of the forked state


def _seed_and_threads(job: Job) -> str:
    """Seeds, threads and the device: where it runs, as ``cpu`` or ``cuda:0 (model)``."""
    random.seed(job.seed)
    import numpy as np
    import torch

    np.random.seed(job.seed)
    torch.manual_seed(job.seed)
    torch.set_num_threads(job.spec.threads)
    if job.spec.device != "cuda":
        return "cpu"
    if not torch.cuda.is_available():
        raise NoGPU(  # the adapter names the page, line and snippet
            f"it asks for a GPU (`resources: {{GPU: 1}}`), but {job.where} has none "
            "(torch.cuda.is_available() is False), so it was not run on the CPU instead.\n"
            "Ways out: run it on a GPU worker (`executor: dask` with a worker started with "
            "`--resources GPU=1`), or build with the shared result cache (`cache_url`) where a GPU "
            "machine has stored its result.\n"
        )
    index = torch.cuda.current_device()
    return f"cuda:{index} ({torch.cuda.get_device_name(index)})"


class NoGPU(Exception):
    """A snippet keyed for a GPU where there is none: it must not run on the CPU instead."""


def _out_of_memory(exc: BaseException) -> bool:
    """MemoryError, or torch's allocator failing under the address-space cap."""
    if isinstance(exc, MemoryError):
        return True
    return isinstance(exc, RuntimeError) and "can't allocate memory" in str(exc)


def _execute(job: Job, guard: WriteGuard) -> dict:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import torch

    plt.close("all")
    matplotlib.rcdefaults()
    matplotlib.rcParams.update(SVG_RC)
    plt.show = lambda *args, **kwargs: None  # figures are captured, not shown
    try:
        device = _seed_and_threads(job)
    except NoGPU as missing:
        return {"status": "refused", "cells": [], "error": str(missing), "error_location": None}
    namespace: dict = {"__name__": "__main__", "__file__": str(job.spec.root / job.path)}
    cells: list[dict] = []
    notices: list[str] = []  # what was done for the author (a heavy figure drawn as pixels)
    error = location = None
    status = "ok"
    _register_source(job)
    recorder = WarningRecorder(job.path, str(job.spec.snippets_dir), str(job.spec.root))
    recorder.install()
    cap = _memory_cap(job)
    for index, cell in enumerate(job.spec.snippet.cells):
        out, err = BoundedText(job.output_limit), BoundedText(job.output_limit)
        sys.stdout, sys.stderr = out, err
        limit_memory(cap)
        try:
            code = compile("\n" * (cell.first_line - 1) + cell.code, job.path, "exec")
            exec(code, namespace)
        except BaseException as exc:
            status = "memory" if _out_of_memory(exc) else "error"
            error, location = _describe(exc, job)
        finally:
            sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
            unlimit_memory()
        saved, failed = _save_figures(plt, job, index, recorder, notices, namespace=namespace)
        cells.append({"stdout": out.getvalue(), "stderr": err.getvalue(), **saved})
        if failed is not None:
            status, (error, location) = "error", _describe(failed, job)
        if error:
            break
    if guard.refused:
        status, error, location = "error", *_refused(guard, job, error, location)
    values = {}
    if status == "ok":
        try:
            values = read_values(Path(job.out_dir) / VALUES_FILE)
        except ValueProblem as problem:
            status, error, location = "error", f"{job.path}: {problem}\n", job.path
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "status": status,
        "cells": cells,
        "error": error,
        "error_location": location,
        "peak_memory": usage.ru_maxrss * 1024,
        "torch_version": torch.__version__,
        "device": device,
        "values": values,
        "versions": _versions(),
        "seed": job.seed,
        "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "warnings": recorder.texts,
        "notices": notices,
    }


def _memory_cap(job: Job) -> int | None:
    """The address-space cap for the snippet, counted from the worker's size as forked (torch and
    matplotlib loaded). CUDA needs a huge address space, so a GPU snippet's cap is on resident
    memory instead, watched by a thread (no address-space cap then)."""
    limit = job.spec.memory_limit
    if not limit:
        return None
    if job.memory_cap == "resident":
        watch_resident(resident() + limit, job.out_dir)
        return None
    return address_space() + limit


def _versions() -> dict[str, str]:
    """The versions of what the snippet ran with, for the provenance line under its figures."""
    import platform

    versions = {"python": platform.python_version()}
    for name in ("torch", "numpy", "matplotlib"):
        module = sys.modules.get(name)
        versions[name] = getattr(module, "__version__", "") if module else ""
    return versions


def _register_source(job: Job) -> None:
    """Let tracebacks quote the snippet's lines, whatever the working folder and sys.path are."""
    lines: list[str] = []
    for cell in job.spec.snippet.cells:
        code = cell.code.splitlines(keepends=True)
        start = cell.first_line - 1
        lines.extend(["\n"] * (start + len(code) - len(lines)))
        lines[start : start + len(code)] = code
    linecache.cache[job.path] = (sum(map(len, lines)), None, lines, job.path)


def _save_figures(
    plt, job: Job, cell: int, recorder: WarningRecorder, notices: list[str], *, namespace: dict
) -> tuple[dict[str, list], BaseException | None]:
    """Save every open figure in creation order as SVG, then close it, as a notebook's inline backend
    does; a figure over the budget is saved again with its dense artists as pixels. Each is then laid
    out again for a phone and saved once more (``phone.py``; beside the run when it has a core to
    spare: ``phone_beside.py``). Returns the cell record's figure names, phone drawings' names (None
    for none) and notes, and what the snippet's ``phone(fig)`` raised."""
    out_dir = Path(job.out_dir)
    saved: dict[str, list] = {"figures": [], "phones": [], "phone_notes": []}
    hook = namespace.get("phone") if callable(namespace.get("phone")) else None
    beside = spare_core(job.spec.threads, hook)
    drawn: list[list] = []  # per figure: figure, name, label, its fit notice, phone name, phone outcome

    def settle() -> None:  # outcomes in figure order, so notices come in the order a lone run gives
        for figure, name, label, notice, phone_name, made in drawn:
            phone = made() if callable(made) else made
            notices.extend([notice] if notice else [])
            notices.extend([f"{label}: {phone.note}"] if phone.notice else [])
            saved["phones"].append(phone_name if phone.made else None)
            saved["phone_notes"].append(phone.note)
            plt.close(figure)
            saved["figures"].append(name)
        drawn.clear()

    for n, number in enumerate(plt.get_fignums()):
        figure = plt.figure(number)
        name = figure_name(cell, n)
        save_figure(figure, out_dir / name, n + 1, recorder)
        several = len(job.spec.snippet.cells) > 1
        label = f"{job.path}: figure {n + 1}" + (f" of cell {cell + 1}" if several else "")
        notice = fit_figure(figure, out_dir / name, job.spec.figure_budget_kb, label)
        phone_name = phone_figure_name(cell, n)
        phone_path, budget = out_dir / phone_name, job.spec.figure_budget_kb
        if beside:
            if drawn and callable(drawn[-1][-1]):
                drawn[-1][-1] = drawn[-1][-1]()  # one copy at a time: two cores busy, no more
            making = phone_beside(figure, phone_path, budget_kb=budget)
            drawn.append([figure, name, label, notice, phone_name, making])
            continue
        try:
            outcome = draw_phone(figure, phone_path, hook=hook, budget_kb=budget)
        except PhoneHookError as failed:
            notices.extend([notice] if notice else [])
            plt.close("all")
            return {"figures": [], "phones": [], "phone_notes": []}, failed.__cause__
        drawn.append([figure, name, label, notice, phone_name, outcome])
        settle()
    settle()
    return saved, None


def _refused(guard: WriteGuard, job: Job, error: str | None, location: str | None) -> tuple[str, str | None]:
    """The error and location of a run whose writes outside its folder were refused."""
    location = location or guard.refused[0][1]
    return _refused_writes(guard, job) + (f"\n{error}" if error else ""), location and sanitize_paths(
        location, job.spec.root
    )


def _refused_writes(guard: WriteGuard, job: Job) -> str:
    lines = [
        f"  {sanitize_paths(where or job.path, job.spec.root)}: {sanitize_paths(path, job.spec.root)}"
        for path, where in dict.fromkeys(guard.refused)
    ]
    return (
        "The snippet tried to write outside its working folder; the write was refused:\n"
        + "\n".join(lines)
        + "\nWrite into the current folder (it is discarded after the run), or read inputs"
        " declared with `data:`.\n"
    )


def _describe(exc: BaseException, job: Job) -> tuple[str, str | None]:
    """The traceback from the snippet's own frames on, and the snippet line to look at."""
    if isinstance(exc, SyntaxError) and exc.filename == job.path:
        # The compile call is the engine's; the author needs only the line and the caret.
        return "".join(traceback.format_exception_only(exc)), f"{job.path}:{exc.lineno}"
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != job.path:
        tb = tb.tb_next  # drop the engine's own frames
    if tb is not None:
        exc = exc.with_traceback(tb)
    report = traceback.TracebackException.from_exception(exc)
    engine_dir = str(Path(__file__).parents[1]) + "/"  # the write guard's frame, for one
    report.stack = traceback.StackSummary.from_list(
        [frame for frame in report.stack if not frame.filename.startswith(engine_dir)]
    )
    text = "".join(report.format())
    if _out_of_memory(exc):
        text += f"\nThe snippet went over its memory limit ({(job.spec.memory_limit or 0) >> 20} MiB).\n"
    location = None
    frames = traceback.extract_tb(tb) if tb is not None else []
    own = [f for f in frames if f.filename == job.path or f.filename.startswith(str(job.spec.snippets_dir))]
    if own:
        location = f"{sanitize_paths(own[-1].filename, job.spec.root)}:{own[-1].lineno}"
    return sanitize_paths(text, job.spec.root), location


def _write_json(path: Path, record: dict) -> None:
    write_whole(path, json.dumps(record))
