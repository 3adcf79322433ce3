"""Real builds, checks and servers of a copy of ``site_template/``, and what they leave behind.

Every case runs the real ``mkdocs build`` (or ``mkdocs serve``, or ``site-tools check``) in a
subprocess, as an author would, and reads its log, its pages and the files around it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

TEMPLATE = Path(__file__).parent / "site_template"
MAKEFILE = Path(__file__).parents[2] / "Makefile"
POST = "docs/blog/posts/2024-01-01-curves.md"
POST_URL = "blog/2024/01/01/curves/"
CACHE = ".cache/site_tools/entries"
SUMMARY = re.compile(r"site_tools: (\d+) snippets, (\d+) executed, (\d+) cached, (\d+) failed in")
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Run:
    """A finished command: its exit status and everything it printed."""

    returncode: int
    log: str

    def counts(self) -> tuple[int, int, int, int]:
        """(snippets, executed, cached, failed) from the build's summary line."""
        found = SUMMARY.findall(self.log)
        assert found, f"no summary line in the log:\n{self.log}"
        return tuple(int(n) for n in found[-1])  # type: ignore[return-value]


class Site:
    """A copy of the template on disk, with helpers to edit it, build it and compare it."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def write(self, relative: str, text: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def page(self, url: str) -> str:
        return (self.root / "site" / url / "index.html").read_text(encoding="utf-8")

    def build(self, *extra: str, env: dict[str, str] | None = None, timeout: float = 180) -> Run:
        done = subprocess.run(
            self.build_command(*extra),
            cwd=self.root,
            capture_output=True,
            text=True,
            env={**ENV, **(env or {})},
            timeout=timeout,
            check=False,
        )
        return Run(done.returncode, done.stdout + done.stderr)

    def build_command(self, *extra: str, site_dir: str = "site") -> list[str]:
        return [str(BIN / "mkdocs"), "build", "-d", str(self.root / site_dir), *extra]

    def entry_holding(self, text: str) -> Path:
        """The cache entry whose result mentions ``text``."""
        found = [e for e in (self.root / CACHE).iterdir() if text in (e / "result.json").read_text()]
        assert len(found) == 1, found
        return found[0]

    def check(self) -> Run:
        done = subprocess.run(
            [str(BIN / "site-tools"), "check", "--root", str(self.root)],
            capture_output=True,
            text=True,
            env=ENV,
            timeout=120,
            check=False,
        )
        return Run(done.returncode, done.stdout + done.stderr)

    def sources(self) -> dict[str, str]:
        """sha256 of every file an author owns (all but the cache and the built site)."""
        return {
            path.relative_to(self.root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(self.root.rglob("*"))
            if path.is_file() and path.relative_to(self.root).parts[0] not in (".cache", "site")
        }

    def cache_entries(self) -> dict[str, str]:
        """Each cache entry (by key) with the sha256 of its manifest."""
        folder = self.root / CACHE
        if not folder.is_dir():
            return {}
        return {
            entry.name: hashlib.sha256((entry / "manifest.json").read_bytes()).hexdigest()
            for entry in sorted(folder.iterdir())
            if entry.is_dir() and not entry.name.startswith(".")
        }


def copy_site(source: Path, target: Path) -> Site:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("site", "__pycache__"))
    return Site(target)


def warm_copy(template: Path, target: Path, counts: tuple[int, ...], helpers: tuple[Path, ...] = ()) -> Path:
    """A copy of ``template`` (with the site's own ``helpers`` in its snippets folder), built once so
    that its cache is warm: its first build must report ``counts`` (total, executed, cached, failed)."""
    site = copy_site(template, target)
    for helper in helpers:
        shutil.copy(helper, site.root / "snippets" / helper.name)
    run = site.build()
    assert run.returncode == 0, run.log
    assert run.counts() == counts, run.log
    return site.root


def post_text(body: str, **front: str) -> str:
    """The template's post with ``front`` keys replaced and ``body`` after the excerpt mark."""
    meta = {
        "title": "Curves",
        "date": "2024-01-01",
        "description": "A parabola drawn by a snippet.",
        "authors": "[ada]",
        "categories": "[Tutorials]",
        "tags": "[matplotlib]",
    }
    meta.update(front)
    header = "".join(f"{key}: {value}\n" for key, value in meta.items())
    return f"---\n{header}---\n\n# Curves\n\nA parabola, computed at build time.\n\n<!-- more -->\n{body}"


def embed(file: str, **options: str) -> str:
    lines = "".join(f"{key}: {value}\n" for key, value in options.items())
    return f"\n```snippet\nfile: {file}\n{lines}```\n"


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the ``occurrence``-th line of ``text`` containing ``needle``."""
    hits = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    return hits[occurrence - 1]


def make_serve_flags(port: int) -> list[str]:
    """The flags `make serve` gives `mkdocs serve` (read from the Makefile), on ``port``."""
    recipe = re.search(r"^\t\$\(BIN\)/mkdocs serve (.*)$", MAKEFILE.read_text(), flags=re.MULTILINE)
    assert recipe, "no `$(BIN)/mkdocs serve` line in the Makefile"
    flags = shlex.split(recipe[1])
    assert "--livereload" in flags  # asked for: with some click releases MkDocs 1.6.1 turns it off
    address = flags.index("--dev-addr") + 1
    flags[address] = f"127.0.0.1:{port}"
    return flags


class Server:
    """``mkdocs serve`` with the Makefile's flags on a free port of 127.0.0.1."""

    def __init__(self, site: Site) -> None:
        self.site = site
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}/"
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [str(BIN / "mkdocs"), "serve", *make_serve_flags(self.port)],
            cwd=site.root,
            env=ENV,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def log(self) -> str:
        return "".join(self.lines)

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while "Serving on" not in self.log:
            assert self.process.poll() is None, f"mkdocs serve exited:\n{self.log}"
            assert time.monotonic() < deadline, f"mkdocs serve not ready:\n{self.log}"
            time.sleep(0.1)

    def get(self, path: str, timeout: float = 60) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.base + path, timeout=timeout) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", errors="replace")

    def epoch(self, path: str = "") -> int:
        """The site version the page was served at, from the livereload script MkDocs injects."""
        status, html = self.get(path)
        assert status == 200, html
        found = re.search(r"livereload\((\d+), *(\d+)\)", html)
        assert found, "the page has no livereload script"
        return int(found[1])

    def wait_rebuild(self, epoch: int, timeout: float = 120) -> int:
        """Long-poll ``/livereload/<epoch>/<id>`` until the server has a newer build; return it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.alive(), f"mkdocs serve exited:\n{self.log}"
            status, text = self.get(f"livereload/{epoch}/1", timeout=timeout)
            if status == 200 and int(text) > epoch:
                return int(text)
        raise AssertionError(f"no rebuild after epoch {epoch}:\n{self.log}")

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.alive():
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """Make ``folder`` refuse new entries, even for root (which ignores permission bits)."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    if shutil.which("chattr") is None:
        pytest.skip("running as root without chattr: cannot make a folder read-only")
    done = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"running as root and chattr +i failed: {done.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def documented_messages() -> list[str]:
    """The messages quoted in the contributing guide's "When something goes wrong" section."""
    guide = (Path(__file__).parents[2] / "docs" / "contributing.md").read_text(encoding="utf-8")
    section = guide.split("## When something goes wrong", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```text\n(.*?)\n```", section, flags=re.DOTALL)
