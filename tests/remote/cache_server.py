"""Real cache servers for the remote-cache tests: Debian's nginx with WebDAV PUT, and a stalling socket.

Both bind 127.0.0.1 only (asserted), on a free port, live at most ``LIFETIME`` seconds, and are
stopped by their own PID. Without /usr/sbin/nginx the tests skip, unless SITE_TOOLS_REQUIRE_NGINX=1
(set by .ci/run under CI), which makes a missing nginx a failure.
"""

from __future__ import annotations

import grp
import http.server
import os
import pwd
import signal
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import pytest

NGINX = Path("/usr/sbin/nginx")
LIFETIME = 900.0  # seconds; a server a test forgot is stopped by its timer

CONFIG = """\
{user}
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 256; }}
http {{
    log_format cache '$request_method $uri $status';
    access_log {tmp}/access.log cache;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    client_max_body_size 64m;
    server {{
        listen 127.0.0.1:{port};
        root {store};
        location / {{
            dav_methods PUT;
            create_full_put_path on;
            dav_access user:rw group:r all:r;
            {extra}
        }}
    }}
}}
"""


def require_nginx() -> None:
    if NGINX.exists():
        return
    reason = f"remote-cache tests need Debian's nginx at {NGINX} (apt-get install nginx)"
    if os.environ.get("SITE_TOOLS_REQUIRE_NGINX") == "1":
        pytest.fail(f"SITE_TOOLS_REQUIRE_NGINX=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def listening_addresses(pid: int) -> set[str]:
    """The IP addresses the process (and its children) listen on."""
    process = psutil.Process(pid)
    found = set()
    for proc in (process, *process.children(recursive=True)):
        for conn in proc.net_connections(kind="inet"):
            if conn.status == psutil.CONN_LISTEN:
                found.add(conn.laddr.ip)
    return found


@dataclass
class Nginx:
    url: str
    store: Path
    access_log: Path
    process: subprocess.Popen
    _timer: threading.Timer = field(repr=False, default=None)  # type: ignore[assignment]

    def requests(self) -> list[tuple[str, str, int]]:
        """(method, path, status) of every request so far, oldest first."""
        if not self.access_log.exists():
            return []
        lines = self.access_log.read_text(encoding="utf-8").splitlines()
        return [(m, p, int(s)) for m, p, s in (line.split(" ") for line in lines if line)]

    def methods(self) -> list[str]:
        return [method for method, _, _ in self.requests()]

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)  # nginx's fast shutdown, by its own PID
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        if self.process.stderr is not None:
            self.process.stderr.close()


def start_nginx(tmp: Path, *, extra: str = "") -> Nginx:
    """nginx serving an empty store with WebDAV PUT on 127.0.0.1; ``extra`` goes into its location."""
    require_nginx()
    tmp.mkdir(parents=True, exist_ok=True)
    store = tmp / "store"
    store.mkdir(exist_ok=True)
    port = free_port()
    user = ""
    if os.geteuid() == 0:  # CI runs as root: workers must be able to write the store
        user = f"user {pwd.getpwuid(0).pw_name} {grp.getgrgid(0).gr_name};"
    config = tmp / "nginx.conf"
    config.write_text(
        CONFIG.format(user=user, tmp=tmp, port=port, store=store, extra=extra), encoding="utf-8"
    )
    process = subprocess.Popen(
        [str(NGINX), "-p", str(tmp), "-e", str(tmp / "error.log"), "-c", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    server = Nginx(f"http://127.0.0.1:{port}", store, tmp / "access.log", process)
    server._timer = threading.Timer(LIFETIME, server.stop)
    server._timer.daemon = True
    server._timer.start()
    deadline = time.monotonic() + 15
    while True:
        if process.poll() is not None:
            errors = process.stderr.read().decode(errors="replace") if process.stderr else ""
            log = (tmp / "error.log").read_text(errors="replace") if (tmp / "error.log").exists() else ""
            pytest.fail(f"nginx did not start:\n{errors}\n{log}", pytrace=False)
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                server.stop()
                pytest.fail("nginx did not listen within 15 s", pytrace=False)
            time.sleep(0.05)
    assert listening_addresses(process.pid) == {"127.0.0.1"}
    return server


class StallingServer:
    """Accepts connections on 127.0.0.1 and never answers; counts what it accepted."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(64)
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
        self.accepted: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        self._timer = threading.Timer(LIFETIME, self.stop)
        self._timer.daemon = True
        self._timer.start()
        assert listening_addresses(os.getpid()) >= {"127.0.0.1"}
        assert self.socket.getsockname()[0] == "127.0.0.1"

    def _serve(self) -> None:
        self.socket.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, _ = self.socket.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted.append(conn)  # held open, never read from, never answered

    def stop(self) -> None:
        self._timer.cancel()
        self._stop.set()
        self._thread.join(timeout=5)
        for conn in self.accepted:
            conn.close()
        self.socket.close()


class SlowServer:
    """An HTTP server on 127.0.0.1 that answers every request "404 Not Found", ``delay`` seconds late."""

    def __init__(self, delay: float) -> None:
        seen: list[str] = []

        class Slow(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                seen.append(self.path)
                time.sleep(delay)
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.requests = seen
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Slow)
        self.server.daemon_threads = True
        assert self.server.server_address[0] == "127.0.0.1"
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()
        self._timer = threading.Timer(LIFETIME, self.stop)
        self._timer.daemon = True
        self._timer.start()

    def stop(self) -> None:
        self._timer.cancel()
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)
