"""Issue 7, case 4: the cache shared, damaged, read-only, missing, or left by an interrupted build."""

from __future__ import annotations

import shutil
import signal
import subprocess
import threading
import time

import psutil
import pytest

from tests.robustness.support import CACHE, ENV, POST, POST_URL, Site, embed, post_text, read_only


def test_two_builds_at_once_on_one_cache_both_succeed(site: Site) -> None:
    shutil.rmtree(site.root / ".cache")
    builds = [
        subprocess.Popen(
            site.build_command(site_dir=f"site-{n}"),
            cwd=site.root,
            env=ENV,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for n in (1, 2)
    ]
    logs = [build.communicate(timeout=300)[0] for build in builds]
    assert [build.returncode for build in builds] == [0, 0], logs
    for n in (1, 2):
        assert "A parabola." in (site.root / f"site-{n}" / POST_URL / "index.html").read_text()
    entries = site.cache_entries()
    assert len(entries) == 2
    after = site.build()  # every entry passes its checksum: all hits, no warning
    assert after.counts() == (2, 0, 2, 0), after.log
    assert "warning" not in after.log.lower()
    assert site.cache_entries() == entries


@pytest.mark.parametrize("damage", ["truncated", "edited by hand"])
def test_damaged_entry_is_detected_and_run_again(site: Site, damage: str) -> None:
    entry = site.entry_holding("curve drawn")
    if damage == "truncated":
        svg = entry / "fig-0-0.svg"
        svg.write_bytes(svg.read_bytes()[:100])
        damaged_file = svg.name
    else:
        result = entry / "result.json"
        result.write_text(result.read_text().replace("curve drawn", "curve edited"))
        damaged_file = result.name
    run = site.build()
    assert run.returncode == 0, run.log
    assert (
        f"site_tools: notice: cache entry {entry.name[:12]} is damaged "
        f"({damaged_file} does not match its checksum); running the snippet again"
    ) in run.log
    assert run.counts() == (2, 1, 1, 0)
    assert "; 1 notice, see the execution report" in run.log  # logged at INFO: strict passes
    assert f"cache entry {entry.name[:12]} is damaged" in site.page("execution-report/")
    page = site.page(POST_URL)
    assert "curve drawn" in page and "curve edited" not in page
    again = site.build()
    assert again.counts() == (2, 0, 2, 0), again.log  # stored again, intact


def test_read_only_cache_folder_builds_without_storing(site: Site) -> None:
    shutil.rmtree(site.entry_holding("curve drawn"))
    kept = site.cache_entries()
    folder = site.root / CACHE
    with read_only(folder):
        run = site.build()
    assert run.returncode == 0, run.log
    assert f"site_tools: notice: cache folder {folder} is not writable" in run.log
    assert "results not cached" in run.log
    assert run.counts() == (2, 1, 1, 0)
    assert "A parabola." in site.page(POST_URL)
    assert site.cache_entries() == kept  # the good entry is still there, nothing half-written
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]


def test_missing_cache_folder_is_created(site: Site) -> None:
    shutil.rmtree(site.root / ".cache")
    run = site.build()
    assert run.returncode == 0, run.log
    assert run.counts() == (2, 2, 0, 0)
    assert len(site.cache_entries()) == 2


SLOW = """\
import os
import time

if os.environ.get("ROBUSTNESS_SLOW"):
    time.sleep(300)
print("slow done")
"""


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["Ctrl-C", "SIGTERM"])
def test_build_interrupted_halfway_then_reruns_only_what_was_lost(site: Site, stop: signal.Signals) -> None:
    shutil.rmtree(site.root / ".cache")
    site.write("snippets/slow.py", SLOW)
    site.write(POST, post_text(embed("curve.py", caption="A parabola.") + embed("slow.py")))
    before = site.sources()
    build = subprocess.Popen(
        site.build_command(),
        cwd=site.root,
        env={**ENV, "ROBUSTNESS_SLOW": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(build.stdout), daemon=True)  # type: ignore[arg-type]
    reader.start()
    deadline = time.monotonic() + 180
    while not any("[2/3]" in line for line in lines):  # curve.py and index.md's block are done
        assert build.poll() is None and time.monotonic() < deadline, "".join(lines)
        time.sleep(0.1)
    workers = psutil.Process(build.pid).children(recursive=True)
    assert workers  # the worker server and the job still running slow.py
    build.send_signal(stop)
    build.wait(timeout=60)
    reader.join(timeout=10)
    build.stdout.close()  # type: ignore[union-attr]
    assert build.returncode != 0
    _, alive = psutil.wait_procs(workers, timeout=10)
    assert not [p for p in alive if p.status() != psutil.STATUS_ZOMBIE], "".join(lines)

    assert site.sources() == before
    assert len(site.cache_entries()) == 2  # what finished before Ctrl-C was kept
    run = site.build()
    assert run.returncode == 0, run.log
    assert run.counts() == (3, 1, 2, 0)  # only slow.py runs again
    assert "snippets/slow.py: ok" in run.log
    page = site.page(POST_URL)
    assert "slow done" in page and "A parabola." in page
