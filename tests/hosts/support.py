"""A copy of the real site in a temporary folder, built by any host, and what its pages compute."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
from collections.abc import Callable
from pathlib import Path

from bs4 import BeautifulSoup

from tests.robustness import support as robustness_support

REPO_ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def host_available(module: str) -> bool:
    """Whether a host is installed; in CI a missing host is a failure, not a skip."""
    import importlib.util

    found = importlib.util.find_spec(module) is not None
    if not found and os.environ.get("CI") == "true":
        raise AssertionError(f"{module} is not installed: CI installs every host's extra (make venv)")
    return found


def copy_real_site(target: Path) -> Path:
    """The repository's tracked files, and its snippet cache when there is one (keys do not depend on
    the folder: a warm cache stays warm)."""
    files = (
        subprocess.run(["git", "ls-files", "-z"], cwd=REPO_ROOT, capture_output=True, check=True, timeout=60)
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, files):
        source = REPO_ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    cache = REPO_ROOT / ".cache" / "site_tools"
    if cache.is_dir():
        in_flight = shutil.ignore_patterns("*.lock", "*.tmp", "*.partial")  # files being written
        shutil.copytree(cache, target / ".cache" / "site_tools", ignore=in_flight)
    return target


def run(command: list[str], root: Path, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=root, env=ENV, capture_output=True, text=True, timeout=timeout, check=False
    )


def build(host: str, root: Path, site_dir: Path) -> subprocess.CompletedProcess[str]:
    """A strict build of the site at ``root`` into ``site_dir`` by ``host``, the documented way."""
    if host == "zensical":
        done = run([str(BIN / "site-tools"), "build", "--host", "zensical", "--root", str(root)], root)
        if done.returncode == 0:
            shutil.rmtree(site_dir, ignore_errors=True)
            shutil.move(root / "site", site_dir)
        return done
    return run([sys.executable, "-m", host, "build", "--strict", "--site-dir", str(site_dir)], root)


def computed(page: Path) -> dict[str, list]:
    """What a page shows that the engine computed: figures (their drawings), captions, outputs, values,
    downloads, failures; not the theme around them nor the provenance lines (times, cache)."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
    article = soup.select_one("article") or soup
    figures = article.select("figure.st-figure")
    return {
        "figures": [_drawing(figure) for figure in figures],
        "figure ids": [figure.get("id") for figure in figures],
        "captions": [
            caption.get_text(" ", strip=True) for caption in article.select("figure.st-figure figcaption")
        ],
        "outputs": [output.get_text() for output in article.select(".st-stdout")],
        "values": [(value.get("data-source"), value.get_text()) for value in article.select(".st-value")],
        "downloads": [link.get("href") for link in article.select("a[download]")],
        "failures": [failure.get_text() for failure in article.select(".admonition.failure")],
    }


def _drawing(figure) -> str:
    """A figure's drawing: its inline SVG, or the names of its drawing files (named by their content,
    so the same name is the same drawing); "" when it has neither."""
    svg = figure.select_one("svg")
    if svg is not None:
        return str(svg)
    links = [
        tag.get("srcset") or tag.get("src") or "" for tag in figure.select("picture source, picture img")
    ]
    return " ".join(Path(link.split("#")[0]).name for link in links if link)


def drawing_files(figure, page: Path) -> list[Path]:
    """The drawing files a figure's ``<picture>`` links (its wide drawing first), as paths next to
    ``page``, the built page holding it; each must exist."""
    links = [figure.select_one("picture img")["src"], *(s["srcset"] for s in figure.select("picture source"))]
    files = [page.parent / link.split("#")[0] for link in links]
    assert all(file.is_file() for file in files), links
    return files


def post_pages(site: Path) -> list[Path]:
    return sorted(site.glob("blog/[0-9][0-9][0-9][0-9]/**/index.html"))


class HostServer(robustness_support.Server):
    """A host's own server (``site-tools serve --host zensical``, a plain ``zensical serve``) on a free
    port of 127.0.0.1: ``command`` without ``--dev-addr``, which is added. The robustness tests'
    server gives the log, ``get`` and ``stop`` by its own process group (SIGINT, then SIGKILL)."""

    def __init__(self, root: Path, command: list[str], *, url: str = "", env: dict | None = None) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}/"
        self.root = root
        self.url = url  # the page ``wait_for`` reads unless told another
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [*command, "--dev-addr", f"127.0.0.1:{self.port}"],
            cwd=root,
            env=ENV if env is None else env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its own process group: stopped by its pid, with Zensical
        )
        threading.Thread(target=self._read, daemon=True).start()

    def wait_for(
        self, test: Callable[[str], bool], what: str, timeout: float = 240, url: str | None = None
    ) -> str:
        """The page's HTML once ``test`` holds for it; fails naming ``what`` and the log's tail."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.alive(), f"the server exited:\n{self.log}"
            try:
                status, html = self.get(self.url if url is None else url)
            except (urllib.error.URLError, ConnectionError):
                status, html = 0, ""
            if status == 200 and test(html):
                return html
            time.sleep(1)
        raise AssertionError(f"{what}: not seen in {timeout} s\n{self.log[-4000:]}")
