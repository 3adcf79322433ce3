"""The worker daemon: one preloaded process per checkout that outlives a build, reached by a Unix socket.

Each ``mkdocs build``, ``pytest`` or ``site-tools`` process would otherwise import torch again (the
preload, ~2.6 s). With ``executor: daemon`` (or ``SITE_TOOLS_EXECUTOR=daemon``) the first one starts
this server; it imports ``site_tools.engine.run.preload`` once and forks one child per snippet, exactly as the
local pool's forkserver does, for every later command of the same checkout.

- Reached only through a Unix socket (no TCP port) at a short path keyed by the checkout
  (``/tmp/site-tools-<uid>/<sha256 of the checkout>[:16].sock``, whatever the checkout's depth), in
  a folder only its owner may enter, the socket itself mode 0600; and, since root can open any
  file, every connection's peer uid is checked (``SO_PEERCRED``): another uid is refused.
- Stops itself after ``--idle`` seconds without a client or a running snippet, and on ``stop``.
- Carries the environment's stamp (Python, torch, site-tools' own sources); a client with another
  stamp stops it and starts a new one (``daemon_client``).

Protocol: one JSON object per line. ``{"op": "hello"}`` -> status; ``{"op": "run", "job": "..."}`` (the
``Job`` pickled, in base64: ``pack_job``) -> ``{"pid": N}`` at once, then ``{"exit": code}`` when the
snippet's process ends (the client kills the process group ``N`` itself on a timeout); a client that
hangs up has its snippet killed.
Single-threaded on purpose: a process that forks must not run threads. Unpickling a job trusts the
client no more than running its snippet does: both are open only to the daemon's own uid, and the
stamp ensures both sides have the same site-tools, so the same ``Job`` and ``RunSpec``.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import json
import os
import pickle
import selectors
import signal
import socket
import struct
import sys
import time
from importlib import metadata
from pathlib import Path

from site_tools.engine.run.spec import Job

RUNTIME_ENV = "SITE_TOOLS_RUNTIME_DIR"  # where sockets live; tests point it at their own folder
MAX_SOCKET_PATH = 107  # sun_path holds 108 bytes with its NUL


def runtime_dir() -> Path:
    return Path(os.environ.get(RUNTIME_ENV) or f"/tmp/site-tools-{os.getuid()}")


def socket_path(root: Path) -> Path:
    """The daemon's socket for the checkout at ``root``: short however deep the checkout is."""
    digest = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    path = runtime_dir() / f"{digest}.sock"
    if len(os.fsencode(path)) > MAX_SOCKET_PATH:
        raise ValueError(f"{path}: too long for a Unix socket; set {RUNTIME_ENV} to a short folder")
    return path


def private_dir(folder: Path) -> Path:
    """``folder``, made if missing, and refused unless it is ours and closed to everyone else."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = folder.lstat()
    if info.st_uid != os.getuid() or (info.st_mode & 0o077) or not folder.is_dir() or folder.is_symlink():
        raise PermissionError(f"{folder}: must be a folder owned by uid {os.getuid()} with mode 0700")
    return folder


def environment_stamp() -> str:
    """What a preloaded process depends on: the Python, torch, and site-tools' own sources."""
    digest = hashlib.sha256()
    for part in (sys.executable, sys.version, _version("torch"), _version("numpy"), _version("matplotlib")):
        digest.update(f"{part}\0".encode())
    package = Path(__file__).resolve().parents[2]
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()[:32]


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def peer_uid(sock: socket.socket) -> int:
    creds = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    return struct.unpack("3i", creds)[1]


def pack_job(job: Job) -> str:
    """The job as the run message carries it: the whole record, its ``RunSpec`` as the engine made it."""
    return base64.b64encode(pickle.dumps(job)).decode("ascii")


def unpack_job(text: str) -> Job:
    """The job of a run message; ValueError when it holds none."""
    try:
        job = pickle.loads(base64.b64decode(text, validate=True))
    except Exception as error:  # a truncated or foreign message: the daemon answers, and goes on
        raise ValueError(f"unreadable job ({type(error).__name__}: {error})") from None
    if not isinstance(job, Job):
        raise ValueError(f"not a job: {type(job).__name__}")
    return job


class _Client:
    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = b""
        self.child: int | None = None  # the pid of its running snippet

    def send(self, message: dict) -> None:
        with contextlib.suppress(OSError):
            self.sock.sendall(json.dumps(message).encode() + b"\n")


class Daemon:
    def __init__(self, path: Path, root: Path, stamp: str, idle: float) -> None:
        self.path, self.root, self.stamp, self.idle = path, root, stamp, idle
        self.selector = selectors.DefaultSelector()
        self.clients: dict[int, _Client] = {}
        self.children: dict[int, tuple[int, _Client]] = {}  # pidfd -> (pid, client)
        self.started = self.last_active = time.monotonic()
        self.runs = 0
        self.running = True
        self.listener = self._bind()

    def _bind(self) -> socket.socket:
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old = os.umask(0o177)  # the socket file is created mode 0600
        try:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()  # stale: the client checked that nothing answers there
            listener.bind(str(self.path))
        finally:
            os.umask(old)
        self.inode = self.path.stat().st_ino
        listener.listen(16)
        listener.setblocking(False)
        self.selector.register(listener, selectors.EVENT_READ, "listen")
        return listener

    def serve(self) -> None:
        signal.signal(signal.SIGTERM, lambda *_: setattr(self, "running", False))
        try:
            while self.running:
                busy = self.clients or self.children
                wait = 1.0 if busy else max(0.05, self.last_active + self.idle - time.monotonic())
                for key, _ in self.selector.select(timeout=min(wait, 1.0)):
                    self._dispatch(key)
                if self.clients or self.children:
                    self.last_active = time.monotonic()
                elif time.monotonic() - self.last_active >= self.idle:
                    break  # idle stop
                if not self._still_ours():
                    break  # the socket file was removed or replaced: another daemon serves now
        finally:
            self._shutdown()

    def _still_ours(self) -> bool:
        try:
            return self.path.stat().st_ino == self.inode
        except FileNotFoundError:
            return False

    def _dispatch(self, key: selectors.SelectorKey) -> None:
        if key.data == "listen":
            self._accept()
        elif isinstance(key.data, _Client):
            self._read(key.data)
        else:
            self._reap(key.fd)

    def _accept(self) -> None:
        with contextlib.suppress(BlockingIOError):
            sock, _ = self.listener.accept()
            if peer_uid(sock) != os.getuid():
                sock.close()  # only the owner's processes may run code here
                return
            client = _Client(sock)
            self.clients[sock.fileno()] = client
            self.selector.register(sock, selectors.EVENT_READ, client)

    def _read(self, client: _Client) -> None:
        try:
            data = client.sock.recv(1 << 20)
        except OSError:
            data = b""
        if not data:
            self._drop(client)
            return
        client.buffer += data
        while b"\n" in client.buffer:
            line, client.buffer = client.buffer.split(b"\n", 1)
            try:
                self._handle(client, json.loads(line))
            except (ValueError, TypeError, KeyError) as error:
                client.send({"error": f"bad request: {error}"})

    def _handle(self, client: _Client, request: dict) -> None:
        op = request["op"]
        if op == "hello":
            client.send(self.status())
        elif op == "stop":
            client.send({"stopping": os.getpid()})
            self.running = False
        elif op == "run":
            self._run(client, unpack_job(request["job"]))
        else:
            client.send({"error": f"unknown op {op!r}"})

    def status(self) -> dict:
        return {
            "pid": os.getpid(),
            "root": str(self.root),
            "stamp": self.stamp,
            "socket": str(self.path),
            "uptime": time.monotonic() - self.started,
            "idle_limit": self.idle,
            "runs": self.runs,
            "running": len(self.children),
        }

    def _run(self, client: _Client, job: Job) -> None:
        from site_tools.engine.run.child import run_job

        pid = os.fork()
        if pid == 0:  # the snippet's process: nothing of the server's goes with it
            try:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                self.selector.close()
                self.listener.close()
                for other in self.clients.values():
                    other.sock.close()
                run_job(job)
            finally:
                os._exit(70)
        pidfd = os.pidfd_open(pid)
        self.children[pidfd] = (pid, client)
        self.selector.register(pidfd, selectors.EVENT_READ, "child")
        client.child = pid
        self.runs += 1
        client.send({"pid": pid})

    def _reap(self, pidfd: int) -> None:
        pid, client = self.children.pop(pidfd)
        self.selector.unregister(pidfd)
        os.close(pidfd)
        _, status = os.waitpid(pid, 0)
        _kill_group(pid)  # what the snippet left running
        client.child = None
        client.send({"exit": os.waitstatus_to_exitcode(status)})

    def _drop(self, client: _Client) -> None:
        if client.child is not None:
            _kill_group(client.child)  # its build is gone: nobody wants the result
        self.selector.unregister(client.sock)
        self.clients.pop(client.sock.fileno(), None)
        client.sock.close()

    def _shutdown(self) -> None:
        for pid, _ in self.children.values():
            _kill_group(pid)
        for client in list(self.clients.values()):
            client.sock.close()
        with contextlib.suppress(OSError):
            if self._still_ours():
                self.path.unlink()
        self.listener.close()


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="site-tools worker daemon (started by site-tools itself)")
    parser.add_argument("--socket", required=True, type=Path)
    parser.add_argument("--root", required=True, type=Path)
    parser.add_argument("--stamp", required=True)
    parser.add_argument("--idle", type=float, default=600.0)
    args = parser.parse_args(argv)
    daemon = Daemon(args.socket, args.root, args.stamp, args.idle)
    import site_tools.engine.run.preload  # noqa: F401  (after binding: clients wait in the backlog)

    daemon.serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
