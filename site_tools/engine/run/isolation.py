"""How a worker process is kept apart from the build and from the next snippet: it dies with its
parent, sees only the job's environment (CUDA hidden unless it asked for a GPU), works in its own
folder with its output going to a file, and runs under a memory cap. ``child.py`` calls these in order
before it runs the snippet's cells.
"""

from __future__ import annotations

import contextlib
import ctypes
import faulthandler
import os
import resource
import signal
import sys
import tempfile
import threading
import time
import traceback
from multiprocessing import forkserver
from pathlib import Path

from site_tools.engine.collect.grid import PARAMS_ENV, params_json
from site_tools.engine.run.compile_caches import redirect_compile_caches
from site_tools.engine.run.published_values import VALUES_ENV, VALUES_FILE
from site_tools.engine.run.spec import Job

# Asks a worker for the stack of every thread, so that a timeout can name the line it hung on.
STACK_SIGNAL = signal.SIGUSR1
PR_SET_PDEATHSIG = 1  # prctl(2)
MEMORY_NOTE = "over-memory.txt"  # written by the resident-memory watch before it kills the snippet
real_exit = os._exit  # the real one: a snippet's os._exit is replaced by ``_noted_exit``
_job = {"pid": 0}  # the process running the snippet (not the processes it forks)


def die_with_parent() -> None:
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
        real_exit(1)


# What hides CUDA from a snippet keyed "cpu" (``hide_cuda``); the engine owns these variables.
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
    owned = {name: os.environ[name] for name in CUDA_HIDDEN if name in os.environ}  # set by hide_cuda
    os.environ.clear()
    os.environ.update(job.environ)
    os.environ.update(owned)


def isolate(job: Job) -> None:
    _take_environment(job)
    os.chdir(job.workdir)
    sys.path.insert(0, str(job.spec.snippets_dir))
    sys.argv = [job.path]
    # The process's own stdout/stderr go to a file, so C-level output never garbles the build's terminal.
    fd = os.open(Path(job.out_dir) / "fd-output.txt", os.O_WRONLY | os.O_CREAT, 0o600)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    # Temporary files stay in the working folder, which is removed after the run.
    os.environ["TMPDIR"] = tempfile.tempdir = job.workdir
    os.environ[VALUES_ENV] = str(Path(job.out_dir) / VALUES_FILE)  # where published values go
    params = params_json(job.spec.snippet.params)
    if params:
        os.environ[PARAMS_ENV] = params  # the point of its figure's grid this run computes (JSON)
    redirect_compile_caches(job.workdir)
    # A crash (segfault) or the parent's STACK_SIGNAL writes the Python stack to that file.
    faulthandler.enable(file=2, all_threads=True)
    faulthandler.register(STACK_SIGNAL, file=2, all_threads=True)
    _job["pid"] = os.getpid()
    os._exit = _noted_exit


def _noted_exit(status: int) -> None:
    """``os._exit`` for snippets: say where it was called (innermost frame first), then exit."""
    if os.getpid() != _job["pid"]:
        real_exit(status)  # a process the snippet forked (multiprocessing, DataLoader workers)
    frames = reversed(traceback.extract_stack(sys._getframe(1)))
    lines = [f'  File "{f.filename}", line {f.lineno} in {f.name}\n' for f in frames]
    os.write(2, f"os._exit({status}) called (most recent call first):\n{''.join(lines)}".encode())
    real_exit(status)


def limit_memory(cap: int | None) -> None:
    """Cap the address space at ``cap`` bytes: over it, MemoryError rather than the OOM killer."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if cap is not None and (hard == resource.RLIM_INFINITY or cap < hard):
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def unlimit_memory() -> None:
    """Lift the cap so that saving figures and the result cannot fail on it."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))


def address_space() -> int:
    return int(Path("/proc/self/statm").read_text().split()[0]) * resource.getpagesize()


def resident() -> int:
    return int(Path("/proc/self/statm").read_text().split()[1]) * resource.getpagesize()


def watch_resident(cap: int, out_dir: str) -> None:
    """For GPU snippets, where an address-space cap breaks CUDA: stop the snippet past ``cap`` resident.

    Writes ``MEMORY_NOTE`` and the snippet's stack (the parent reads them as a memory failure), then
    kills the snippet's process group.
    """

    def watch() -> None:
        while True:
            time.sleep(0.1)
            now = resident()
            if now > cap:
                Path(out_dir, MEMORY_NOTE).write_text(str(now), encoding="utf-8")
                faulthandler.dump_traceback(file=2, all_threads=True)
                os.killpg(0, signal.SIGKILL)

    threading.Thread(target=watch, name="site-tools-memory", daemon=True).start()


def hide_cuda(job: Job) -> None:
    """A snippet keyed "cpu" sees no GPU, whatever the machine or executor (local pool, daemon, a
    Dask GPU worker): hidden first thing in the fresh process, before anything can start CUDA (the
    forkserver imported torch but never touches CUDA), so torch finds no device and pays no context.

    Hiding the devices alone is not enough: ``torch.cuda.is_available()`` would still initialise the
    driver, which under the snippet's address-space cap fails with "Error 2: out of memory" and a
    warning (seen on an H200). Torch's NVML-based check reads ``CUDA_VISIBLE_DEVICES`` and answers
    "no device" without touching the driver.
    """
    if job.spec.device != "cuda":
        os.environ.update(CUDA_HIDDEN)
