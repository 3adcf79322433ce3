"""A real Dask cluster on this machine for tests and the bench: a scheduler and workers as processes.

Every process binds to 127.0.0.1 only (``sockets_elsewhere`` checks), lives at most ``lifetime``
seconds even if the test run dies (scheduler idle timeout, worker lifetime and death timeout) and is
stopped by its own PID.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[2]
LOCAL = "127.0.0.1"


@dataclass
class Cluster:
    address: str
    scheduler: subprocess.Popen
    workers: dict[str, subprocess.Popen] = field(default_factory=dict)  # name -> its nanny

    def processes(self) -> list[psutil.Process]:
        """The scheduler, the nannies and everything they started (workers, forkservers)."""
        found = []
        for popen in (self.scheduler, *self.workers.values()):
            with contextlib.suppress(psutil.NoSuchProcess):
                parent = psutil.Process(popen.pid)
                found += [parent, *parent.children(recursive=True)]
        return found

    def running_snippets(self) -> list[tuple[str, psutil.Process, list[psutil.Process]]]:
        """(worker name, its worker process, the snippet processes it runs) for each busy worker.

        Snippets are children of the worker's forkserver, itself a child of the worker process.
        """
        busy = []
        for name, nanny in self.workers.items():
            with contextlib.suppress(psutil.NoSuchProcess):
                for process in psutil.Process(nanny.pid).children(recursive=True):
                    parent = process.parent()
                    # A snippet's fork has its forkserver's command line too: skip those.
                    if _forkserver(process) and not _forkserver(parent) and process.children():
                        busy.append((name, parent, process.children()))
        return busy

    def wait_for_snippets(self, count: int = 1, timeout: float = 120) -> list:
        """``running_snippets`` once at least ``count`` workers run one."""
        deadline = time.monotonic() + timeout
        while len(busy := self.running_snippets()) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"fewer than {count} workers ran a snippet within {timeout:g} s")
            time.sleep(0.1)
        return busy

    def sockets_elsewhere(self) -> list[str]:
        """Sockets of the cluster's processes that listen or connect anywhere but 127.0.0.1."""
        bad = []
        for process in self.processes():
            with contextlib.suppress(psutil.NoSuchProcess):
                for conn in process.net_connections(kind="inet"):
                    for end in (conn.laddr, conn.raddr):
                        if end and end.ip != LOCAL:
                            bad.append(f"{process.pid} {process.name()}: {conn}")
        return bad

    def stop(self) -> None:
        for process in reversed(self.processes()):  # children first, then the nannies and scheduler
            with contextlib.suppress(psutil.NoSuchProcess):
                process.send_signal(signal.SIGKILL)
        for popen in (*self.workers.values(), self.scheduler):
            with contextlib.suppress(subprocess.TimeoutExpired):
                popen.wait(timeout=10)


def _forkserver(process: psutil.Process) -> bool:
    return "forkserver" in " ".join(process.cmdline())


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    env["DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES"] = "1"  # a task is retried once, then crashed
    env.update(extra or {})
    return env


def start_scheduler(folder: Path, *, lifetime: int = 900) -> tuple[str, subprocess.Popen]:
    folder.mkdir(parents=True, exist_ok=True)
    info = folder / "scheduler.json"
    info.unlink(missing_ok=True)
    command = [
        sys.executable, "-m", "dask", "scheduler",
        "--host", LOCAL, "--port", "0", "--no-dashboard", "--dashboard-address", f"{LOCAL}:0",
        "--scheduler-file", str(info), "--idle-timeout", str(lifetime),
    ]  # fmt: skip
    with (folder / "scheduler.log").open("ab") as log:  # the child keeps its own descriptor
        popen = _popen(command, log)
    deadline = time.monotonic() + 60
    while not info.is_file():
        if popen.poll() is not None or time.monotonic() > deadline:
            popen.kill()
            raise RuntimeError(f"the scheduler did not start; see {folder / 'scheduler.log'}")
        time.sleep(0.1)
    time.sleep(0.1)  # written in one go, but be sure
    return json.loads(info.read_text())["address"], popen


def start_worker(
    address: str,
    folder: Path,
    name: str,
    *,
    resources: str | None = None,
    lifetime: int = 900,
    env: dict[str, str] | None = None,
) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "dask", "worker", address,
        "--name", name, "--host", LOCAL, "--nthreads", "1", "--nworkers", "1",
        "--worker-port", "0", "--nanny-port", "0", "--no-dashboard", "--dashboard-address", f"{LOCAL}:0",
        "--local-directory", str(folder / name), "--lifetime", str(lifetime), "--death-timeout", "60",
        "--memory-limit", "0",
    ]  # fmt: skip
    if resources:
        command += ["--resources", resources]
    with (folder / f"{name}.log").open("ab") as log:
        return _popen(command, log, env)


def _popen(command: list[str], log, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        command, env=_env(env), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def start_cluster(
    folder: Path,
    workers: dict[str, str | None],
    *,
    worker_env: dict[str, str] | None = None,
    lifetime: int = 900,
) -> Cluster:
    """A scheduler and one worker per ``{name: resources}``; returns once all workers joined.

    Every process ends by itself after ``lifetime`` seconds (idle, for the scheduler)."""
    address, scheduler = start_scheduler(folder, lifetime=lifetime)
    cluster = Cluster(address, scheduler)
    try:
        for name, resources in workers.items():
            cluster.workers[name] = start_worker(
                address, folder, name, resources=resources, env=worker_env, lifetime=lifetime
            )
        wait_for_workers(cluster, len(workers))
    except BaseException:
        cluster.stop()
        raise
    return cluster


def wait_for_workers(cluster: Cluster, count: int, timeout: float = 120) -> None:
    from distributed import Client

    with Client(cluster.address, timeout=30, set_as_default=False) as client:
        client.wait_for_workers(count, timeout=timeout)
