"""Reaching the worker daemon (``daemon.py``): start it on first use, and run snippets through it.

``DaemonExecutor`` is the local executor reached through the daemon: the same forks of a preloaded
process, minus the preload each command would pay. When the daemon cannot be started, or goes
away mid-build, the runs it had go to a ``LocalExecutor`` and the build says so (a notice).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import selectors
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, InvalidStateError
from dataclasses import dataclass
from pathlib import Path

from site_tools.engine.child import Job
from site_tools.engine.daemon import environment_stamp, job_to_json, private_dir, socket_path
from site_tools.engine.executor import Executor, RunRequest
from site_tools.engine.model import RunResult
from site_tools.engine.pool import LocalExecutor, PoolSettings, _cleanup, _collect, _kill_group, job_for
from site_tools.engine.postmortem import request_stack

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
            sys.executable, "-m", "site_tools.engine.daemon",
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
    here = str(Path(__file__).resolve().parents[2])
    rest = os.environ.get("PYTHONPATH")
    return f"{here}{os.pathsep}{rest}" if rest else here


@dataclass
class _Running:
    sock: socket.socket
    job: Job
    future: Future
    start: float
    timeout: float
    pid: int
    buffer: bytearray
    timed_out: bool = False


class DaemonExecutor(Executor):
    """The local executor, reached through the checkout's daemon; a local pool when it is not there."""

    name = "daemon"

    def __init__(self, settings: PoolSettings, root: Path, *, idle: float, notice: Callable[[str], None]):
        self.settings, self.root, self.idle, self.notice = settings, root, idle, notice
        self._lock = threading.Lock()
        self._pending: deque[tuple[Job, float, Future]] = deque()
        self._running: dict[int, _Running] = {}
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_w, False)
        self._thread: threading.Thread | None = None
        self._fallback: LocalExecutor | None = None
        self._closed = False

    def submit(self, request: RunRequest) -> Future[RunResult]:
        job = job_for(request)
        future: Future[RunResult] = Future()
        with self._lock:
            if self._closed:
                raise RuntimeError("the daemon executor is closed")
            if self._fallback is not None:
                return self._fallback.submit_job(job, request.snippet.timeout)
            self._pending.append((job, request.snippet.timeout, future))
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="site-tools-daemon", daemon=True)
                self._thread.start()
        self._wake()
        return future

    def cancel_all(self) -> None:
        with self._lock:
            pending, self._pending = list(self._pending), deque()
            running = list(self._running.values())
        for job, _, future in pending:
            future.cancel()
            _cleanup(job)
        for entry in running:
            entry.future.cancel()
            _kill_group(entry.pid)
        self._wake()
        deadline = time.monotonic() + 10
        while self._running and time.monotonic() < deadline:
            time.sleep(0.02)
        if self._fallback is not None:
            self._fallback.cancel_all()

    def close(self) -> None:
        self.cancel_all()
        with self._lock:
            self._closed = True
        self._wake()
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._fallback is not None:
            self._fallback.close()

    def describe(self, runs: int, threads: int) -> str:
        return (
            f"in {min(self.settings.workers, runs)} worker(s) of the worker daemon, "
            f"{threads} torch thread(s) each"
        )

    # -- the loop, in its own thread -------------------------------------------------------------
    def _wake(self) -> None:
        with contextlib.suppress(BlockingIOError, OSError):
            os.write(self._wake_w, b"x")

    def _loop(self) -> None:
        try:
            ensure_daemon(self.root, self.idle)
        except (OSError, ValueError) as error:
            self._fall_back(f"the worker daemon could not be started ({error})")
            return
        selector = selectors.DefaultSelector()
        selector.register(self._wake_r, selectors.EVENT_READ)
        while True:
            with self._lock:
                if self._closed and not self._running:
                    return
            try:
                self._start_pending(selector)
            except OSError as error:
                self._fall_back(f"the worker daemon stopped answering ({error})")
                return
            running = dict(self._running)
            deadline = min((e.start + e.timeout for e in running.values()), default=None)
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            for key, _ in selector.select(timeout=wait):
                if key.fd == self._wake_r:
                    os.read(self._wake_r, 4096)
                elif not self._read(selector, self._running[key.fd]):
                    self._fall_back("the worker daemon went away mid-build")
                    return
            now = time.monotonic()
            for entry in running.values():
                if entry.future.cancelled() or (not entry.timed_out and now >= entry.start + entry.timeout):
                    entry.timed_out = not entry.future.cancelled()
                    if entry.timed_out:
                        request_stack(entry.pid, entry.job)
                    _kill_group(entry.pid)  # the daemon reports its exit next

    def _start_pending(self, selector: selectors.BaseSelector) -> None:
        while True:
            with self._lock:
                if not self._pending or len(self._running) >= self.settings.workers:
                    return
                job, timeout, future = self._pending.popleft()
            if future.cancelled():
                _cleanup(job)
                continue
            try:
                sock = _connect(socket_path(self.root), START_TIMEOUT)
                _send(sock, {"op": "run", "job": job_to_json(job)})
                buffer = bytearray()
                answer = _receive(sock, buffer)
                if answer is None or "pid" not in answer:
                    raise OSError(f"unexpected answer {answer!r}")
            except (OSError, ValueError):
                with self._lock:
                    self._pending.appendleft((job, timeout, future))
                raise
            sock.setblocking(False)
            entry = _Running(sock, job, future, time.monotonic(), timeout, answer["pid"], buffer)
            with self._lock:
                self._running[sock.fileno()] = entry
            selector.register(sock, selectors.EVENT_READ)

    def _read(self, selector: selectors.BaseSelector, entry: _Running) -> bool:
        """Take the daemon's word that the snippet ended; False when the daemon hung up."""
        try:
            data = entry.sock.recv(65536)
        except BlockingIOError:
            return True
        except OSError:
            data = b""
        if not data:
            return False
        entry.buffer += data
        if b"\n" not in entry.buffer:
            return True
        answer = json.loads(bytes(entry.buffer).partition(b"\n")[0])
        fd = entry.sock.fileno()
        selector.unregister(entry.sock)
        entry.sock.close()
        with self._lock:
            del self._running[fd]
        self._finish(entry, answer.get("exit"))
        return True

    def _finish(self, entry: _Running, exitcode: int | None) -> None:
        if entry.future.cancelled():
            _cleanup(entry.job)
            return
        duration = time.monotonic() - entry.start
        result = _collect(entry.job, exitcode, duration, entry.timed_out, entry.timeout)
        with contextlib.suppress(InvalidStateError):
            entry.future.set_result(result)

    def _fall_back(self, why: str) -> None:
        """Hand every run not finished to a local pool, and say so."""
        with self._lock:
            self._fallback = LocalExecutor(self.settings)
            running, self._running = list(self._running.values()), {}
            pending, self._pending = list(self._pending), deque()
        self.notice(f"{why}; running {len(running) + len(pending)} snippet(s) in a local pool instead")
        for entry in running:
            _kill_group(entry.pid)  # its process outlives the daemon otherwise
            with contextlib.suppress(OSError):
                entry.sock.close()
            pending.append((_fresh(entry.job), entry.timeout, entry.future))
        for job, timeout, future in pending:
            if future.cancelled():
                _cleanup(job)
                continue
            _chain(self._fallback.submit_job(job, timeout), future)


def _fresh(job: Job) -> Job:
    """The job again, with empty folders (the killed run may have left output behind)."""
    _cleanup(job)
    base = Path(job.workdir).parent
    (base / "work").mkdir(parents=True)
    (base / "out").mkdir()
    return job


def _chain(source: Future, target: Future) -> None:
    def copy(done: Future) -> None:
        with contextlib.suppress(InvalidStateError):
            if done.cancelled():
                target.cancel()
            elif done.exception() is not None:
                target.set_exception(done.exception())
            else:
                target.set_result(done.result())

    source.add_done_callback(copy)
