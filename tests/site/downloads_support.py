"""Run a download as a reader would: copied alone into an empty folder, with a plain environment.

Nothing of the repository is on the path (no ``PYTHONPATH``, the folder holds only the file), so a
helper module the download forgot to bundle fails it. ``.py`` files run with ``python``; notebooks
through ``jupyter nbconvert --execute`` with the environment's own ``python3`` kernel.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

PARALLEL = 2  # each download imports torch; more at once only fights over the cores


@dataclass(frozen=True)
class Outcome:
    name: str
    returncode: int
    output: str


def reader_environment() -> dict[str, str]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "MPLBACKEND": "Agg", "LANG": "C.UTF-8"}
    # Two downloads at once share the cores rather than each starting a thread per core.
    env["OMP_NUM_THREADS"] = str(max(1, (os.cpu_count() or 1) // PARALLEL))
    if "HOME" in os.environ:
        env["HOME"] = os.environ["HOME"]  # matplotlib's font cache, built once
    return env


def run_download(download: Path, folder: Path, timeout: float = 600) -> Outcome:
    """Copy ``download`` into the empty ``folder`` and run it there."""
    folder.mkdir(parents=True)
    target = folder / download.name
    shutil.copyfile(download, target)
    if download.suffix == ".ipynb":
        command = [sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute"]
        command += ["--output", "executed", download.name]
    else:
        command = [sys.executable, download.name]
    done = subprocess.run(
        command,
        cwd=folder,
        env=reader_environment(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return Outcome(download.name, done.returncode, done.stdout + done.stderr)


def run_all(downloads: list[Path], scratch: Path) -> list[Outcome]:
    """Every download in its own empty folder, ``PARALLEL`` at a time."""
    with ThreadPoolExecutor(PARALLEL) as pool:
        return list(
            pool.map(lambda item: run_download(item[1], scratch / f"{item[0]}"), enumerate(downloads))
        )
