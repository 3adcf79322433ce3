"""What a worker that hung or died leaves behind, turned into a message that names the snippet line.

The worker's own stdout/stderr go to ``fd-output.txt``. Python's faulthandler writes the stack
there when the worker crashes (a segfault) or when the parent asks before killing it for a timeout,
and the worker's ``os._exit`` notes its caller there. Those stacks hold engine frames and absolute
paths: only the frames an author can act on are kept, with repository-relative paths.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from pathlib import Path

from site_tools.engine.run.isolation import STACK_SIGNAL
from site_tools.engine.run.sanitize import sanitize_paths
from site_tools.engine.run.spec import Job

OUTPUT_FILE = "fd-output.txt"
_FRAME = re.compile(r'^\s*File "(?P<file>[^"]+)", line (?P<line>\d+)')
_ENGINE_DIR = str(Path(__file__).resolve().parents[1]) + "/"
_THREAD_ID = re.compile(r"(?<=[Tt]hread) 0x[0-9a-f]+")


def request_stack(pid: int, job: Job, wait: float = 1.0) -> None:
    """Ask a hung worker for its stack and give it up to ``wait`` seconds to write it."""
    output = Path(job.out_dir) / OUTPUT_FILE
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, STACK_SIGNAL)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        time.sleep(0.05)
        if "most recent call first" in _read(output):
            time.sleep(0.05)  # let it finish the other threads
            return


def worker_output(job: Job) -> str:
    """The worker's last output with engine frames dropped and paths made relative."""
    lines = []
    for line in _read(Path(job.out_dir) / OUTPUT_FILE)[-4000:].splitlines():
        frame = _FRAME.match(line)
        if frame and _is_engine(frame["file"]):
            continue
        if line.startswith("Extension modules:"):
            continue
        lines.append(_THREAD_ID.sub("", line))  # thread ids differ on every run
    return sanitize_paths("\n".join(lines).strip(), job.spec.root)


def snippet_location(job: Job) -> str | None:
    """``file:line`` of the innermost snippet (or helper) frame in the worker's last stack."""
    prefix = str(job.spec.snippets_dir).rstrip("/") + "/"
    for line in _read(Path(job.out_dir) / OUTPUT_FILE).splitlines():
        frame = _FRAME.match(line)
        if frame and (frame["file"] == job.path or frame["file"].startswith(prefix)):
            return f"{sanitize_paths(frame['file'], job.spec.root)}:{frame['line']}"
    return None


def _is_engine(file: str) -> bool:
    # "<string>" is the worker server's own `python -c` entry point.
    return file.startswith(_ENGINE_DIR) or "/multiprocessing/" in file or file == "<string>"


def _read(path: Path, tail: int = 64_000) -> str:
    """The last ``tail`` bytes: a snippet may have written gigabytes there; its stack comes last."""
    try:
        with path.open("rb") as file:
            file.seek(max(0, file.seek(0, 2) - tail))
            return file.read().decode("utf-8", errors="replace")
    except OSError:
        return ""
