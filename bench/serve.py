"""A prose edit under a running ``mkdocs serve``: from the file write to the rebuilt page being served.

The server runs on 127.0.0.1 only, in its own process group, and is stopped when the measurement
ends. Each run writes the post with a new sentence at its end and polls the page until the
sentence is there; the time includes MkDocs' file watcher (it polls every 0.5 s), as a writer sees it.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from measure import Run

POLL = 0.02  # seconds between page fetches


class ServeError(RuntimeError):
    """The server did not start or did not show an edit in time; the message has its log's end."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(
        self, mkdocs: Path, config: Path, *, cwd: Path, env: dict[str, str], mount: str = "/"
    ) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}{mount.rstrip('/')}/"
        self.log_path = cwd / f"serve-{config.stem}.log"
        self.argv = [
            str(mkdocs),
            "serve",
            "-f",
            str(config),
            "--dev-addr",
            f"127.0.0.1:{self.port}",
            "--livereload",
        ]
        self.cwd = cwd
        self.env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **env}
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        log = self.log_path.open("w", encoding="utf-8")
        self.process = subprocess.Popen(
            self.argv,
            cwd=self.cwd,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + 600
        while self.fetch("") is None:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise ServeError(f"`mkdocs serve` did not start:\n{self.log_tail()}")
            time.sleep(0.2)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        except ProcessLookupError:
            pass

    def fetch(self, path: str) -> str | None:
        try:
            with urllib.request.urlopen(self.base + path.lstrip("/"), timeout=5) as response:
                return response.read().decode("utf-8", errors="replace")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return None

    def log_tail(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
        except OSError:
            return ""


def prose_edit(server: Server, post: Path, url: str, index: int) -> Run:
    """Append a new sentence to ``post`` (replacing the last one added) and time until ``url`` serves it."""
    original = post.read_text(encoding="utf-8").split("\n\nBench prose edit ")[0].rstrip("\n")
    marker = f"Bench prose edit {index} at {time.time_ns()}."
    return edit_and_wait(server, post, f"{original}\n\n{marker}\n", url, marker)


def snippet_edit(server: Server, snippet: Path, url: str, index: int) -> Run:
    """Append a comment line to ``snippet`` and time until its page shows it (in the snippet's source)."""
    marker = f"# bench serve edit {index} at {time.time_ns()}"
    return edit_and_wait(server, snippet, snippet.read_text(encoding="utf-8") + marker + "\n", url, marker)


def edit_and_wait(
    server: Server, path: Path, text: str, url: str, marker: str, *, timeout: float = 300
) -> Run:
    """Write ``text`` to ``path``; the time until ``url`` serves a page containing ``marker``."""
    started = time.perf_counter()
    path.write_text(text, encoding="utf-8")
    while time.perf_counter() - started < timeout:
        body = server.fetch(url)
        if body is not None and marker in body:
            return Run(seconds=time.perf_counter() - started)
        if server.process is not None and server.process.poll() is not None:
            break
        time.sleep(POLL)
    return Run(seconds=time.perf_counter() - started, returncode=1, output=server.log_tail())


def page_url(site_dir: Path, marker: str) -> str:
    """The URL path of the one built page whose HTML contains ``marker``."""
    hits = [
        path
        for path in site_dir.rglob("*.html")
        if marker in path.read_text(encoding="utf-8", errors="replace")
    ]
    if len(hits) != 1:
        raise ServeError(f"expected one page containing {marker!r} in {site_dir}, found {len(hits)}")
    relative = hits[0].relative_to(site_dir).as_posix()
    return relative.removesuffix("index.html")
