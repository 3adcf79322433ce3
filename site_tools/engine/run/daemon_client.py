"""Reaching the worker daemon (``daemon.py``): start it on first use, and run snippets through it.

``DaemonExecutor`` is the slot loop (``slots.py``) with a launcher that asks the daemon to fork: the
same forks of a preloaded process as the local pool, minus the preload each command would pay. When
the daemon cannot be started, or goes away mid-build, the runs it had go to the replacement the
engine gives (a local pool) and the build says so, once (``executor.fall_back``).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from site_tools.engine.run.daemon import environment_stamp, pack_job, private_dir, socket_path
from site_tools.engine.run.executor import Executor
from site_tools.engine.run.pool_settings import PoolSettings
from site_tools.engine.run.slots import Launched, Launcher, LauncherLost, SlotExecutor
from site_tools.engine.run.spec import Job

START_TIMEOUT = 120.0  # seconds for a new daemon to answer (it imports torch first)


class DaemonError(OSError):
    """The daemon cannot be reached or started; the message says why."""


def _send(sock: socket.socket, message: dict) -> None:
    sock.sendall(json.dumps(message).encode() + b"\n")


def _receive(sock: socket.socket, buffer: bytearray) -> dict | None:
    """The next message, or None when the daemon hung up."""
    while b"\n" not in buffer:
        data = sock.recv(65536)
        if not data:
            return None
        buffer += data
    line, _, rest = bytes(buffer).partition(b"\n")
    buffer[:] = rest
    return json.loads(line)


def _connect(path: Path, timeout: float = 5.0) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(str(path))
    except OSError:
        sock.close()
        raise
    return sock


def ask(root: Path, message: dict, timeout: float = 5.0) -> dict | None:
    """Send one message to the checkout's daemon; its answer, or None when none runs there."""
    return ask_socket(socket_path(root), message, timeout)


def ask_socket(path: Path, message: dict, timeout: float = 5.0) -> dict | None:
    try:
        sock = _connect(path, timeout)
    except (FileNotFoundError, ConnectionRefusedError):
        return None
    with sock:
        _send(sock, message)
        return _receive(sock, bytearray())


def status(root: Path) -> dict | None:
    return ask(root, {"op": "hello"}, timeout=START_TIMEOUT)


def stop(root: Path) -> dict | None:
    """Stop the checkout's daemon; what it said, or None when none was running."""
    answer = ask(root, {"op": "stop"})
    if answer is not None:
        _wait_gone(socket_path(root), 10.0)
    return answer


def _wait_gone(path: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while path.exists() and time.monotonic() < deadline:
        time.sleep(0.02)


def ensure_daemon(root: Path, idle: float) -> dict:
    """The checkout's daemon, started if none answers, restarted if its environment is not ours."""
    path = socket_path(root)
    private_dir(path.parent)
    stamp = environment_stamp()
    with path.with_suffix(".lock").open("w") as lock:  # one starter at a time per checkout
        fcntl.flock(lock, fcntl.LOCK_EX)
        found = status(root)
        if found is not None and found.get("stamp") == stamp:
            return found
        if found is not None:  # another Python, torch or site-tools: it would run stale code
            stop(root)
        # Nothing answers: a socket file left there is stale (the daemon was killed); it goes.
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        log = path.with_suffix(".log").open("ab")
        command = [
            sys.executable, "-m", "site_tools.engine.run.daemon",
            "--socket", str(path), "--root", str(root.resolve()), "--stamp", stamp, "--idle", str(idle),
        ]  # fmt: skip
        # Started through a parent that exits at once: the daemon belongs to init, not to this
        # command (no zombie, no child left to wait for), in its own session (outlives Ctrl-C).
        subprocess.run(
            [sys.executable, "-c", _DETACH, *command],
            cwd=root,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            env={**os.environ, "PYTHONPATH": _package_path()},
            check=True,
        )
        log.close()
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                found = status(root)
                if found is not None:
                    return found
            time.sleep(0.05)
    raise DaemonError(f"the worker daemon did not start within {START_TIMEOUT:g} s (see {log.name})")


_DETACH = "import os, sys\nif os.fork() == 0:\n    os.setsid()\n    os.execv(sys.argv[1], sys.argv[1:])\n"


def _package_path() -> str:
    """The folder holding this ``site_tools``, first on the daemon's path, then the caller's path."""
    here = str(Path(__file__).resolve().parents[3])
    rest = os.environ.get("PYTHONPATH")
    return f"{here}{os.pathsep}{rest}" if rest else here


class DaemonLauncher(Launcher):
    """Starts each job as a fork of the checkout's daemon, over one socket per job."""

    def __init__(self, root: Path, idle: float) -> None:
        self.root, self.idle = root, idle

    def prepare(self) -> None:
        try:
            ensure_daemon(self.root, self.idle)
        except (OSError, ValueError) as error:
            raise LauncherLost(f"the worker daemon could not be started ({error})") from None

    def start(self, job: Job) -> Launched:
        try:
            sock = _connect(socket_path(self.root), START_TIMEOUT)
            _send(sock, {"op": "run", "job": pack_job(job)})
            buffer = bytearray()
            answer = _receive(sock, buffer)
            if answer is None or "pid" not in answer:
                raise OSError(f"unexpected answer {answer!r}")
        except (OSError, ValueError) as error:
            raise LauncherLost(f"the worker daemon stopped answering ({error})") from None
        sock.setblocking(False)
        return Launched(sock.fileno(), answer["pid"], (sock, buffer))

    def ended(self, launched: Launched) -> bool:
        sock, buffer = launched.handle
        try:
            data = sock.recv(65536)
        except BlockingIOError:
            return False
        except OSError:
            data = b""
        if not data:
            raise LauncherLost("the worker daemon went away mid-build")
        buffer += data
        if b"\n" not in buffer:
            return False
        launched.exitcode = json.loads(bytes(buffer).partition(b"\n")[0]).get("exit")
        return True

    def release(self, launched: Launched) -> None:
        with contextlib.suppress(OSError):
            launched.handle[0].close()


class DaemonExecutor(SlotExecutor):
    """The local executor, reached through the checkout's daemon; a replacement when it is not there."""

    def __init__(
        self, settings: PoolSettings, root: Path, *, idle: float, replacement: Callable[[str], Executor]
    ) -> None:
        super().__init__(
            settings.workers, DaemonLauncher(root, idle), worker_name="daemon", replacement=replacement
        )
        self.pool_settings = settings

    def describe(self, runs: int, threads: int) -> str:
        return (
            f"in {min(self.pool_settings.workers, runs)} worker(s) of the worker daemon, "
            f"{threads} torch thread(s) each"
        )
