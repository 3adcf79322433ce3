"""A job's two folders (where the snippet works, where it writes its result): made for a run,
emptied for a second try, read back into a ``RunResult`` (a missing result is explained: a timeout,
the memory watch, a crash from a segfault, ``os._exit`` or the OOM killer), then removed. Used by
every executor: the job-slot loop, the daemon and a Dask worker.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import tempfile
from pathlib import Path

from site_tools.engine.model import RunResult
from site_tools.engine.run.isolation import MEMORY_NOTE, snippet_environment
from site_tools.engine.run.postmortem import snippet_location, worker_output
from site_tools.engine.run.spec import Job, RunSpec
from site_tools.engine.store.record import from_record


def new_job(spec: RunSpec, where: str = "this machine") -> Job:
    """The job that carries out ``spec`` on ``where``, with its own empty working and output folders."""
    base = Path(tempfile.mkdtemp(prefix="site-tools-"))
    (base / "work").mkdir()
    (base / "out").mkdir()
    return Job(
        spec,
        workdir=str(base / "work"),
        out_dir=str(base / "out"),
        where=where,
        memory_cap="resident" if spec.device == "cuda" else "address",
        environ=snippet_environment(os.environ),  # made where the job is: the build, or a Dask worker
    )


def cleanup(job: Job) -> None:
    shutil.rmtree(Path(job.workdir).parent, ignore_errors=True)


def fresh_folders(job: Job) -> None:
    """Empty the job's folders again (a killed run may have left output behind)."""
    cleanup(job)
    base = Path(job.workdir).parent
    (base / "work").mkdir(parents=True)
    (base / "out").mkdir()


def collect(job: Job, exitcode: int | None, duration: float, timed_out: bool, timeout: float) -> RunResult:
    """The job's result from its output folder (a missing one explained), the folders then removed."""
    out = Path(job.out_dir)
    try:
        result_file = out / "result.json"
        if timed_out or not result_file.is_file():
            if timed_out:
                status, error = "timeout", _timeout_message(job, timeout)
            elif (out / MEMORY_NOTE).is_file():
                status, error = "memory", _resident_message(job, out / MEMORY_NOTE)
            else:
                status, error = "crashed", _crash_message(job, exitcode)
            location = snippet_location(job) or job.path
            return RunResult(job.spec.key, status, error=error, error_location=location, duration=duration)
        record = json.loads(result_file.read_text(encoding="utf-8"))
        record.update(key=job.spec.key, duration=duration)
        return from_record(record, lambda name: (out / name).read_text(encoding="utf-8"))
    finally:
        cleanup(job)


def _timeout_message(job: Job, timeout: float) -> str:
    stack = worker_output(job)
    where = f"\nIt was stopped here:\n{stack}" if stack else ""
    advice = "raise `timeout:` in the embed if it needs longer"
    return f"{job.path}: timed out after {timeout:g} s ({advice}){where}"


def _resident_message(job: Job, note: Path) -> str:
    resident = int(note.read_text(encoding="utf-8") or 0)
    stack = worker_output(job)
    where = f"\nIt was stopped here:\n{stack}" if stack else ""
    return (
        f"{job.path}: went over its memory limit ({(job.spec.memory_limit or 0) >> 20} MiB more than its"
        f" worker, resident: {resident >> 20} MiB) and was stopped{where}"
    )


def _crash_message(job: Job, exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            how = f"was killed by signal {signal.Signals(-exitcode).name}"
        except ValueError:
            how = f"was killed by signal {-exitcode}"
    else:
        # sys.exit in a snippet is an exception, reported as an error with its line; only os._exit
        # (or native code ending the process) gets here.
        how = f"exited with status {exitcode} before finishing (os._exit, or native code ending the process)"
    text = worker_output(job)
    tail = f"\nLast output:\n{text}" if text else ""
    return f"{job.path}: the worker running it {how}{tail}"
