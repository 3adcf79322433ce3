"""The real site built through a real Dask cluster gives the pages a local build gives; a snippet
that asks for a GPU lands on the worker that offers one (and runs there on a GPU machine; elsewhere
that worker says it has none); every other snippet runs with CUDA hidden, whichever worker takes it."""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from distributed import Client

from site_tools.engine import Engine, EngineConfig
from site_tools.engine.run.dask_executor import make_bundle
from site_tools.engine.run.spec import RunSpec
from site_tools.render.report import report_markdown
from tests.dask.cluster import Cluster
from tests.gpu import machine_has_gpu

pytestmark = [pytest.mark.dask, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[2]
REPORT = "execution-report"


def _build(site: Path, out: str, env: dict[str, str]) -> str:
    shutil.rmtree(site / ".cache", ignore_errors=True)  # cold: every snippet runs
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SITE_TOOLS_")}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site / out)],
        cwd=site,
        env={**clean, "NO_MKDOCS_2_WARNING": "1", **env},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-6000:]
    return done.stderr


def _pages(out: Path) -> dict[str, str]:
    """Every HTML page but the execution report, without provenance lines."""
    pages = {}
    for path in sorted(out.rglob("*.html")):
        relative = path.relative_to(out).as_posix()
        if REPORT in relative:
            continue
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        for element in soup.select(".st-provenance"):
            element.decompose()
        pages[relative] = str(soup)
    return pages


def test_real_site_through_dask_gives_the_local_pages(
    cluster: Cluster, site_dir: Path, tmp_path: Path
) -> None:
    """Held against the session's local build of the real site (``site_dir``), not a second one."""
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy2(REPO / "mkdocs.yml", site)
    for folder in ("docs", "snippets"):
        shutil.copytree(REPO / folder, site / folder, ignore=shutil.ignore_patterns("__pycache__"))
    dask = {"SITE_TOOLS_EXECUTOR": "dask", "SITE_TOOLS_DASK_ADDRESS": cluster.address}
    log = _build(site, "out-dask", dask)
    assert f"on the Dask cluster at {cluster.address} (2 worker(s))" in log
    counts = re.findall(r"site_tools: (\d+) snippets, (\d+) executed, (\d+) cached, (\d+) failed", log)
    total, executed, cached, failed = map(int, counts[-1])
    assert (executed, cached, failed) == (total, 0, 0)
    local, remote = _pages(site_dir), _pages(site / "out-dask")
    assert len(local) > 10 and local.keys() == remote.keys()
    differing = [page for page in local if local[page] != remote[page]]
    assert differing == []
    report = next((site / "out-dask").rglob(f"{REPORT}/index.html")).read_text(encoding="utf-8")
    assert "w-cpu, cpu" in report or "w-gpu, cpu" in report
    assert "local" not in BeautifulSoup(report, "lxml").select_one("table").get_text()
    assert cluster.sockets_elsewhere() == []  # workers and their forkservers, after real work


def test_gpu_snippets_land_on_the_gpu_worker(cluster: Cluster, tmp_path: Path) -> None:
    snippets = tmp_path / "snippets"
    snippets.mkdir()
    for n in range(3):
        (snippets / f"gpu{n}.py").write_text(f"import torch\nprint('ran', {n}, torch.cuda.is_available())\n")
    engine = Engine(
        EngineConfig(
            tmp_path, snippets, tmp_path / ".cache", executor="dask", dask_address=cluster.address, timeout=60
        )
    )
    plain = engine.snippet_files()
    wanting = [type(s)(**{**s.__dict__, "resources": (("GPU", 1.0),)}) for s in plain]
    report = engine.run(wanting)
    gpu = machine_has_gpu()
    assert (report.executed, report.failed) == ((3, 0) if gpu else (0, 3))  # a refused one never ran
    rows = []
    for n, snippet in enumerate(wanting):
        result = engine.result(snippet)
        assert result.worker == "w-gpu", result
        if gpu:
            assert result.ok and result.stdout == f"ran {n} True\n", result.error
            assert result.device.startswith("cuda:0 (")
        else:
            assert result.status == "refused" and result.error_location is None
            assert "it asks for a GPU" in result.error
            assert "Dask worker w-gpu has none" in result.error  # checked where it ran: no CPU fallback
            assert "ran" not in result.stdout
            assert engine.cache.get(result.key) is None
        rows.append((f"docs/p.md:{len(rows) + 1}", snippet, result))
    assert report_markdown(rows).count("| w-gpu") == 3  # with its device where it ran


def test_cpu_snippets_see_no_cuda_on_any_worker(cluster: Cluster, tmp_path: Path) -> None:
    """Also on a GPU worker: a snippet keyed cpu finds no device and gets no CUDA warning from torch."""
    snippets = tmp_path / "snippets"
    snippets.mkdir()
    for n in range(6):
        seen = "repr(os.environ['CUDA_VISIBLE_DEVICES']), torch.cuda.is_available()"
        code = f"import os, torch\nprint({n}, {seen})\n"
        (snippets / f"cpu{n}.py").write_text(code)
    engine = Engine(
        EngineConfig(
            tmp_path, snippets, tmp_path / ".cache", executor="dask", dask_address=cluster.address, timeout=60
        )
    )
    plain = engine.snippet_files()
    report = engine.run(plain)
    assert (report.executed, report.failed) == (6, 0)
    for n, snippet in enumerate(plain):
        result = engine.result(snippet)
        assert (result.stdout, result.device, result.warnings) == (f"{n} '' False\n", "cpu", ()), result


def test_a_snippet_no_worker_can_take_is_refused_and_not_counted_as_executed(
    cluster: Cluster, tmp_path: Path
) -> None:
    snippets = tmp_path / "snippets"
    snippets.mkdir()
    (snippets / "tpu.py").write_text("print('ran')\n")
    engine = Engine(
        EngineConfig(
            tmp_path, snippets, tmp_path / ".cache", executor="dask", dask_address=cluster.address, timeout=60
        )
    )
    [plain] = engine.snippet_files()
    snippet = type(plain)(**{**plain.__dict__, "resources": (("TPU", 1.0),)})
    report = engine.run([snippet])
    result = engine.result(snippet)
    assert (report.executed, report.failed) == (0, 1)
    assert (result.status, result.error_location) == ("refused", None)
    assert "offers TPU=1" in result.error and "--resources TPU=1" in result.error


def _file_tasks(dask_scheduler) -> list[str]:
    return [str(key) for key in dask_scheduler.tasks if str(key).startswith("site-tools-file-")]


def test_files_go_to_the_cluster_once_per_content_and_an_edit_reaches_the_runs(
    cluster: Cluster, tmp_path: Path
) -> None:
    snippets = tmp_path / "snippets"
    snippets.mkdir()
    helper = snippets / "shared.py"
    helper.write_text('VALUE = "helper-one"\n')
    for n in range(3):
        (snippets / f"use{n}.py").write_text(f"import shared\nprint(shared.VALUE, {n})\n")
    config = EngineConfig(
        tmp_path, snippets, tmp_path / ".cache", executor="dask", dask_address=cluster.address, timeout=60
    )
    engine = Engine(config)
    try:
        users = [engine.file_snippet(snippets / f"use{n}.py") for n in range(3)]
        assert engine.run(users).executed == 3
        assert [engine.result(s).stdout for s in users] == [f"helper-one {n}\n" for n in range(3)]
        # The task carries digests; each content is one task of its own, whatever uses it.
        spec = RunSpec(engine.key(users[0]), users[0], tmp_path, snippets)
        bundle, contents = make_bundle(spec, "event", {})
        assert b"helper-one" not in pickle.dumps(bundle) and helper.read_bytes() in contents.values()
        with Client(cluster.address, set_as_default=False) as client:
            kept = set(client.run_on_scheduler(_file_tasks))
        files = [helper, *(snippets / f"use{n}.py" for n in range(3))]
        digests = {hashlib.sha256(path.read_bytes()).hexdigest() for path in files}
        assert {f"site-tools-file-{digest}" for digest in digests} <= kept
        helper.write_text('VALUE = "helper-two"\n')  # the same length: a new content, a new file task
        assert engine.run(users).executed == 3
        assert [engine.result(s).stdout for s in users] == [f"helper-two {n}\n" for n in range(3)]
    finally:
        engine.close()


def test_snippets_on_a_worker_start_without_the_nanny_malloc_setting(
    cluster: Cluster, tmp_path: Path
) -> None:
    """Dask's nanny starts workers with MALLOC_TRIM_THRESHOLD_ (its pre-spawn environment): a worker's
    pool must not pass it on, or every snippet's allocations cost more than in a local build. The
    process's environment as it was exec'd (the pool's forkserver's) is what glibc read."""
    snippets = tmp_path / "snippets"
    snippets.mkdir()
    code = "print(b'MALLOC_TRIM_THRESHOLD_=' in open('/proc/self/environ', 'rb').read())\n"
    (snippets / "environ.py").write_text(code)
    config = EngineConfig(
        tmp_path, snippets, tmp_path / ".cache", executor="dask", dask_address=cluster.address, timeout=60
    )
    engine = Engine(config)
    try:
        [snippet] = engine.snippet_files()
        assert engine.run([snippet]).executed == 1
        result = engine.result(snippet)
        assert (result.status, result.stdout, result.worker in cluster.workers) == ("ok", "False\n", True)
    finally:
        engine.close()
