"""What runs inside a worker process: one snippet, from a fresh fork of the preloaded parent.

The process leads its own process group (so a timeout kills whatever it started), works in its own
temporary folder, has fixed seeds and a fixed number of torch threads, and writes its result as JSON
plus one SVG per figure into ``job.out_dir``. Nothing it does can reach the next snippet: every
snippet gets a new process.
"""

from __future__ import annotations

import contextlib
import ctypes
import faulthandler
import io
import json
import linecache
import os
import random
import resource
import signal
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass
from multiprocessing import forkserver
from pathlib import Path

from site_tools.engine.collect.grid import PARAMS_ENV
from site_tools.engine.model import CodeCell
from site_tools.engine.run.compile_caches import redirect_compile_caches
from site_tools.engine.run.published_values import VALUES_ENV, VALUES_FILE, ValueProblem, read_values
from site_tools.engine.run.rasterise import fit_figure
from site_tools.engine.run.sanitize import sanitize_paths
from site_tools.engine.run.snippet_warnings import WarningRecorder, save_figure
from site_tools.engine.run.writeguard import WriteGuard

SVG_RC = {"svg.hashsalt": "site-tools", "svg.fonttype": "path", "path.simplify": True}
# Asks a worker for the stack of every thread, so that a timeout can name the line it hung on.
STACK_SIGNAL = signal.SIGUSR1
PR_SET_PDEATHSIG = 1  # prctl(2)
MEMORY_NOTE = "over-memory.txt"  # written by the resident-memory watch before it kills the snippet
_real_exit = os._exit
_job = {"pid": 0}  # the process running the snippet (not the processes it forks)


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
    memory_limit: int | None = None  # bytes the snippet may add
    output_limit: int = 200_000  # characters of stdout/stderr kept per cell
    device: str = "cpu"  # as keyed: "cpu" hides CUDA; "cuda" needs a GPU where it runs
    where: str = "this machine"  # named when that GPU is missing
    memory_cap: str = "address"  # "resident" where an address-space cap would break CUDA
    environ: dict[str, str] | None = None  # the snippet's environment (``snippet_environment``)
    figure_budget_kb: int = 0  # a figure over it is saved again with its dense artists as pixels
    params: str = ""  # a grid point as JSON (site_tools/engine/collect/grid.py), read by snippets/vary.py


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
    _die_with_parent()
    _hide_cuda(job)
    status = 1
    try:
        _isolate(job)
        guard = WriteGuard((job.workdir, job.out_dir, "/dev"), job.path, job.snippets_dir)
        guard.install()
        record = _execute(job, guard)
        _write_json(Path(job.out_dir) / "result.json", record)
        status = 0
    finally:
        sys.stdout.flush()
        _real_exit(status)  # skip atexit handlers and interpreter teardown of the forked state


def _die_with_parent() -> None:
    """Be killed when the forkserver goes, which it does when the process that started it dies.

    Otherwise a killed build (or a killed Dask worker) would leave its snippets running, unwatched.
    The forkserver leaves once every copy of its "alive" pipe's write end is closed, and it hands a
    copy to each process it forks: closed here, or the snippet would keep its own forkserver alive.
    """
    alive = getattr(forkserver._forkserver, "_forkserver_alive_fd", None)
    if alive is not None:
        with contextlib.suppress(OSError):
            os.close(alive)
        forkserver._forkserver._forkserver_alive_fd = None  # a snippet's own forkserver starts afresh
    parent = os.getppid()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it went before the request was made
        _real_exit(1)


# What hides CUDA from a snippet keyed "cpu" (``_hide_cuda``); the engine owns these variables.
CUDA_HIDDEN = {"CUDA_VISIBLE_DEVICES": "", "PYTORCH_NVML_BASED_CUDA_CHECK": "1"}


def snippet_environment(environ: dict[str, str] | os._Environ) -> dict[str, str]:
    """What a snippet sees of the environment of the command that made its job: all of it, less the
    variables the engine owns (``SITE_TOOLS_*``, which may hold secrets, and ``CUDA_VISIBLE_DEVICES``,
    set by the device it is keyed for). Not part of the key: a snippet reading a variable is the
    author's choice, as with reading the clock."""
    return {
        name: value
        for name, value in environ.items()
        if not name.startswith("SITE_TOOLS_") and name != "CUDA_VISIBLE_DEVICES"
    }


def _take_environment(job: Job) -> None:
    """The job's environment in place of the one this process inherited (from the daemon, or the
    forkserver, started by an earlier command), keeping what the engine owns; None keeps it all."""
    if job.environ is None:
        return
    owned = {name: os.environ[name] for name in CUDA_HIDDEN if name in os.environ}  # set by _hide_cuda
    os.environ.clear()
    os.environ.update(job.environ)
    os.environ.update(owned)


def _isolate(job: Job) -> None:
    _take_environment(job)
    os.chdir(job.workdir)
    sys.path.insert(0, job.snippets_dir)
    sys.argv = [job.path]
    # The process's own stdout/stderr go to a file, so C-level output never garbles the build's terminal.
    fd = os.open(Path(job.out_dir) / "fd-output.txt", os.O_WRONLY | os.O_CREAT, 0o600)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    # Temporary files stay in the working folder, which is removed after the run.
    os.environ["TMPDIR"] = tempfile.tempdir = job.workdir
    os.environ[VALUES_ENV] = str(Path(job.out_dir) / VALUES_FILE)  # where published values go
    if job.params:
        os.environ[PARAMS_ENV] = job.params  # the point of its figure's grid this run computes
    redirect_compile_caches(job.workdir)
    # A crash (segfault) or the parent's STACK_SIGNAL writes the Python stack to that file.
    faulthandler.enable(file=2, all_threads=True)
    faulthandler.register(STACK_SIGNAL, file=2, all_threads=True)
    _job["pid"] = os.getpid()
    os._exit = _noted_exit


def _noted_exit(status: int) -> None:
    """``os._exit`` for snippets: say where it was called (innermost frame first), then exit."""
    if os.getpid() != _job["pid"]:
        _real_exit(status)  # a process the snippet forked (multiprocessing, DataLoader workers)
    frames = reversed(traceback.extract_stack(sys._getframe(1)))
    lines = [f'  File "{f.filename}", line {f.lineno} in {f.name}\n' for f in frames]
    os.write(2, f"os._exit({status}) called (most recent call first):\n{''.join(lines)}".encode())
    _real_exit(status)


def _limit_memory(cap: int | None) -> None:
    """Cap the address space at ``cap`` bytes: over it, MemoryError rather than the OOM killer."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if cap is not None and (hard == resource.RLIM_INFINITY or cap < hard):
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _unlimit_memory() -> None:
    """Lift the cap so that saving figures and the result cannot fail on it."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))


def _address_space() -> int:
    return int(Path("/proc/self/statm").read_text().split()[0]) * resource.getpagesize()


def _resident() -> int:
    return int(Path("/proc/self/statm").read_text().split()[1]) * resource.getpagesize()


def _watch_resident(cap: int, out_dir: str) -> None:
    """For GPU snippets, where an address-space cap breaks CUDA: stop the snippet past ``cap`` resident.

    Writes ``MEMORY_NOTE`` and the snippet's stack (the parent reads them as a memory failure), then
    kills the snippet's process group.
    """

    def watch() -> None:
        while True:
            time.sleep(0.1)
            resident = _resident()
            if resident > cap:
                Path(out_dir, MEMORY_NOTE).write_text(str(resident), encoding="utf-8")
                faulthandler.dump_traceback(file=2, all_threads=True)
                os.killpg(0, signal.SIGKILL)

    threading.Thread(target=watch, name="site-tools-memory", daemon=True).start()


def _hide_cuda(job: Job) -> None:
    """A snippet keyed "cpu" sees no GPU, whatever the machine or executor (local pool, daemon, a
    Dask GPU worker): hidden first thing in the fresh process, before anything can start CUDA (the
    forkserver imported torch but never touches CUDA), so torch finds no device and pays no context.

    Hiding the devices alone is not enough: ``torch.cuda.is_available()`` would still initialise the
    driver, which under the snippet's address-space cap fails with "Error 2: out of memory" and a
    warning (seen on an H200). Torch's NVML-based check reads ``CUDA_VISIBLE_DEVICES`` and answers
    "no device" without touching the driver.
    """
    if job.device != "cuda":
        os.environ.update(CUDA_HIDDEN)


def _seed_and_threads(job: Job) -> str:
    """Seeds, threads and the device: where it runs, as ``cpu`` or ``cuda:0 (model)``."""
    random.seed(job.seed)
    import numpy as np
    import torch

    np.random.seed(job.seed)
    torch.manual_seed(job.seed)
    torch.set_num_threads(job.threads)
    if job.device != "cuda":
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
    namespace: dict = {"__name__": "__main__", "__file__": str(Path(job.root) / job.path)}
    cells: list[dict] = []
    notices: list[str] = []  # what was done for the author (a heavy figure drawn as pixels)
    error = location = None
    status = "ok"
    _register_source(job)
    recorder = WarningRecorder(job.path, job.snippets_dir, job.root)
    recorder.install()
    cap = _memory_cap(job)
    for index, cell in enumerate(job.cells):
        out, err = BoundedText(job.output_limit), BoundedText(job.output_limit)
        sys.stdout, sys.stderr = out, err
        _limit_memory(cap)
        try:
            code = compile("\n" * (cell.first_line - 1) + cell.code, job.path, "exec")
            exec(code, namespace)
        except BaseException as exc:
            status = "memory" if _out_of_memory(exc) else "error"
            error, location = _describe(exc, job)
        finally:
            sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
            _unlimit_memory()
        figures = _save_figures(plt, job, index, recorder, notices)
        cells.append({"stdout": out.getvalue(), "stderr": err.getvalue(), "figures": figures})
        if error:
            break
    if guard.refused:
        status = "error"
        error = _refused_writes(guard, job) + (f"\n{error}" if error else "")
        location = location or guard.refused[0][1]
        location = location and sanitize_paths(location, job.root)
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
    if not job.memory_limit:
        return None
    if job.memory_cap == "resident":
        _watch_resident(_resident() + job.memory_limit, job.out_dir)
        return None
    return _address_space() + job.memory_limit


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
    for cell in job.cells:
        code = cell.code.splitlines(keepends=True)
        start = cell.first_line - 1
        lines.extend(["\n"] * (start + len(code) - len(lines)))
        lines[start : start + len(code)] = code
    linecache.cache[job.path] = (sum(map(len, lines)), None, lines, job.path)


def _save_figures(plt, job: Job, cell: int, recorder: WarningRecorder, notices: list[str]) -> list[str]:
    """Save every open figure in creation order as SVG, then close it, as a notebook's inline backend
    does; a figure over the budget is saved again with its dense artists as pixels."""
    out_dir = Path(job.out_dir)
    names = []
    for n, number in enumerate(plt.get_fignums()):
        figure = plt.figure(number)
        name = f"fig-{cell}-{n}.svg"
        save_figure(figure, out_dir / name, n + 1, recorder)
        label = f"{job.path}: figure {n + 1}" + (f" of cell {cell + 1}" if len(job.cells) > 1 else "")
        notice = fit_figure(figure, out_dir / name, job.figure_budget_kb, label)
        if notice:
            notices.append(notice)
        plt.close(figure)
        names.append(name)
    return names


def _refused_writes(guard: WriteGuard, job: Job) -> str:
    lines = [
        f"  {sanitize_paths(where or job.path, job.root)}: {sanitize_paths(path, job.root)}"
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
        text += f"\nThe snippet went over its memory limit ({(job.memory_limit or 0) >> 20} MiB).\n"
    location = None
    frames = traceback.extract_tb(tb) if tb is not None else []
    own = [f for f in frames if f.filename == job.path or f.filename.startswith(job.snippets_dir)]
    if own:
        location = f"{sanitize_paths(own[-1].filename, job.root)}:{own[-1].lineno}"
    return sanitize_paths(text, job.root), location


def _write_json(path: Path, record: dict) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(record), encoding="utf-8")
    tmp.replace(path)
