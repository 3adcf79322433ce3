"""Lighthouse, mobile: each post against its text-only twin, alternated, every run recorded.

Usage::

    npm ci --prefix bench/lighthouse                      # once: lighthouse@12.2.3, pinned
    .venv/bin/python bench/lighthouse/run.py --site site --runs 5 \\
        [--md bench/results/lighthouse.md] [--json bench/results/lighthouse.json] [--note TEXT]
    .venv/bin/python bench/lighthouse/run.py --report-only --json FILE --md FILE

It builds nothing: ``--site`` is a built site folder (``make build`` writes ``site/``). The posts
are its ``blog/YYYY/MM/DD/<slug>/index.html`` pages, in date order. A copy of the site gets each
post replaced by its twin (``twin.py``: the page with every computed part taken out). Both trees
are served on 127.0.0.1, each by a ``ThreadingHTTPServer`` on a free port in a thread of this
process (stopped when the runs end; no server outlives the process), at the same paths, with gzip
for text types as a static host serves them. Lighthouse (its default mobile emulation and
simulated throttling, performance category only) runs on Debian's Chromium for every post, the
page and its twin back to back, the order flipped every other round, ``--runs`` rounds. Every
run's score and key metrics go to the JSON (written after each run, so an interrupted bench keeps
what it measured), and the Markdown table gives every run, the medians, the difference and
whether the page is within 5 points of its twin. Nothing here asserts a score.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import http.server
import io
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import twin  # noqa: E402
from tables import METRICS, TARGET_POINTS, table, write  # noqa: E402

REPO = HERE.parent.parent
LIGHTHOUSE = HERE / "node_modules" / "lighthouse" / "cli" / "index.js"
LIGHTHOUSE_VERSION = "12.2.3"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync"
)
GZIP_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")
RUN_TIMEOUT_S = 240


def log(message: str) -> None:
    print(message, flush=True)


# --- serving ------------------------------------------------------------------------------------


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzipped for text types when the browser asks, as a static host does."""

    gzip_on = True

    def log_message(self, *args) -> None:
        pass  # quiet

    def send_head(self):
        asked = Path(self.translate_path(self.path))
        path = asked / "index.html" if asked.is_dir() else asked
        ctype = self.guess_type(str(path))
        wants = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (self.gzip_on and wants and path.is_file() and ctype.startswith(GZIP_TYPES)):
            return super().send_head()
        if asked.is_dir() and not self.path.split("?")[0].endswith("/"):
            return super().send_head()  # the redirect to the slash
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)


class Server:
    """A ThreadingHTTPServer on 127.0.0.1, a free port, in a daemon thread; stopped by ``close``."""

    def __init__(self, root: Path, gzip_on: bool) -> None:
        handler = type("BoundHandler", (Handler,), {"gzip_on": gzip_on})
        self.httpd = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(handler, directory=str(root))
        )
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=10)


# --- the posts and their twins ------------------------------------------------------------------


def find_posts(site: Path) -> list[str]:
    """The posts' URL paths (``blog/2023/06/29/slug/``), in date order."""
    pages = sorted(site.glob("blog/[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]/*/index.html"))
    return [page.parent.relative_to(site).as_posix() + "/" for page in pages]


def make_twin_site(site: Path, posts: list[str], into: Path) -> dict[str, dict]:
    """Copy ``site`` to ``into`` with each post replaced by its twin; what each twin removed."""
    shutil.copytree(site, into)
    made = {}
    for post in posts:
        page = into / post / "index.html"
        html = page.read_text(encoding="utf-8")
        twin_html, removed = twin.make_twin(html)
        left = twin.check(twin_html)
        if left:
            raise SystemExit(f"twin of {post} still holds computed parts: {left}")
        page.write_text(twin_html, encoding="utf-8")
        made[post] = {
            "page_bytes": len(html.encode()),
            "twin_bytes": len(twin_html.encode()),
            "removed": dict(sorted(removed.items())),
        }
    return made


# --- Lighthouse ---------------------------------------------------------------------------------


def lighthouse(url: str, out_json: Path, profile: Path) -> dict:
    """One Lighthouse run; its score (0-100) and key metrics, or its error."""
    command = [
        "node",
        str(LIGHTHOUSE),
        url,
        "--only-categories=performance",
        "--output=json",
        f"--output-path={out_json}",
        "--quiet",
        f"--chrome-flags={CHROME_FLAGS} --user-data-dir={profile}",
    ]
    env = {**os.environ, "CHROME_PATH": CHROME}
    started = time.monotonic()
    proc = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        output, _ = proc.communicate(timeout=RUN_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # our own process group: node and its Chromium
        proc.communicate()
        return {"score": None, "error": f"timed out after {RUN_TIMEOUT_S} s"}
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    seconds = round(time.monotonic() - started, 1)
    if proc.returncode != 0 or not out_json.is_file():
        tail = output.decode(errors="replace")[-800:]
        return {"score": None, "error": f"exit {proc.returncode}: {tail}", "seconds": seconds}
    report = json.loads(out_json.read_text(encoding="utf-8"))
    out_json.unlink()
    score = report["categories"]["performance"]["score"]
    run = {
        "score": None if score is None else round(score * 100),
        "seconds": seconds,
        "lighthouse": report.get("lighthouseVersion"),
        "user_agent": report.get("environment", {}).get("hostUserAgent"),
        "benchmark_index": report.get("environment", {}).get("benchmarkIndex"),
        "warnings": report.get("runWarnings") or [],
    }
    for name, audit in METRICS.items():
        value = report["audits"].get(audit, {}).get("numericValue")
        run[name] = None if value is None else round(value, 3 if name == "cls" else 0)
    if report.get("runtimeError"):
        run["error"] = report["runtimeError"].get("message")
    return run


def chromium_version() -> str:
    try:
        return subprocess.run(
            [CHROME, "--version"], capture_output=True, text=True, timeout=30, check=False
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError) as error:
        return f"unknown ({error})"


def measure(
    site: Path,
    *,
    runs: int,
    json_path: Path,
    md_path: Path,
    note: str,
    posts_only: list[str] | None,
    gzip_on: bool,
) -> dict:
    if not LIGHTHOUSE.is_file():
        raise SystemExit(f"{LIGHTHOUSE} is missing: run `npm ci --prefix {HERE.relative_to(REPO)}`")
    posts = find_posts(site)
    if posts_only:
        posts = [p for p in posts if any(key in p for key in posts_only)]
    if not posts:
        raise SystemExit(f"no post under {site}/blog/YYYY/MM/DD/<slug>/index.html")
    data = {
        "note": note,
        "site": site.name,  # the folder's name: a path of this machine means nothing elsewhere
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "lighthouse": LIGHTHOUSE_VERSION,
        "chromium": chromium_version(),
        "chrome_flags": CHROME_FLAGS,
        "node": subprocess.run(
            ["node", "--version"], capture_output=True, text=True, check=False
        ).stdout.strip(),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "loadavg_before": os.getloadavg(),
        },
        "settings": {
            "form_factor": "mobile (Lighthouse default)",
            "throttling": "simulate (default)",
            "categories": ["performance"],
            "runs": runs,
            "gzip": gzip_on,
            "order": "per round, per post: page then twin, flipped on odd rounds",
        },
        "target_points": TARGET_POINTS,
        "posts": {post: {"page": [], "twin": []} for post in posts},
    }
    with tempfile.TemporaryDirectory(prefix="st-lighthouse-") as tmp:
        tmp_path = Path(tmp)
        data["twins"] = make_twin_site(site, posts, tmp_path / "twin-site")
        for post, made in data["twins"].items():
            log(f"twin {post}: {made['page_bytes']} -> {made['twin_bytes']} bytes; removed {made['removed']}")
        servers = {"page": Server(site, gzip_on), "twin": Server(tmp_path / "twin-site", gzip_on)}
        try:
            for round_index in range(runs):
                for post in posts:
                    order = ("page", "twin") if round_index % 2 == 0 else ("twin", "page")
                    for which in order:
                        run = lighthouse(servers[which].url(post), tmp_path / "lh.json", tmp_path / "profile")
                        run["round"] = round_index + 1
                        data["posts"][post][which].append(run)
                        log(
                            f"round {round_index + 1}/{runs} {which:4} {post}: score {run['score']}"
                            f" LCP {run.get('lcp_ms')} TBT {run.get('tbt_ms')}"
                            + (f" ERROR {run['error'][:200]}" if run.get("error") else "")
                        )
                        write(data, json_path, md_path)
        finally:
            for server in servers.values():
                server.close()
    data["finished"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    data["machine"]["loadavg_after"] = os.getloadavg()
    write(data, json_path, md_path)
    return data


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=REPO / "site", help="a built site (default: site)")
    parser.add_argument("--runs", type=int, default=5, help="rounds: runs per page and per twin (default 5)")
    parser.add_argument("--json", type=Path, default=REPO / "bench" / "results" / "lighthouse.json")
    parser.add_argument("--md", type=Path, default=REPO / "bench" / "results" / "lighthouse.md")
    parser.add_argument("--note", default="", help="a line for the table's title (e.g. the commit)")
    parser.add_argument("--posts", default="", help="comma-separated parts of post paths (default: all)")
    parser.add_argument("--no-gzip", action="store_true", help="serve uncompressed")
    parser.add_argument("--report-only", action="store_true", help="remake the Markdown from --json")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.report_only:
        data = json.loads(args.json.read_text(encoding="utf-8"))
        args.md.write_text(table(data), encoding="utf-8")
        print(table(data))
        return 0
    site = args.site.resolve()
    if not site.is_dir():
        raise SystemExit(f"{site} is not a built site: run `make build` (or mkdocs build) first")
    posts_only = [p.strip() for p in args.posts.split(",") if p.strip()]
    data = measure(
        site,
        runs=args.runs,
        json_path=args.json,
        md_path=args.md,
        note=args.note,
        posts_only=posts_only,
        gzip_on=not args.no_gzip,
    )
    print(table(data))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
