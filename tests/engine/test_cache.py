"""The result store: atomic entries, checksums, concurrent writers, prune and clear."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from site_tools.engine.model import CellOutput, Figure, RunResult
from site_tools.engine.store.cache import ResultCache


def _result(key: str = "k" * 64) -> RunResult:
    cell = CellOutput(stdout="hi\n", figures=(Figure("<svg>1</svg>"), Figure("<svg>2</svg>")))
    return RunResult(key, "ok", cells=(cell,), duration=1.5, torch_version="2.13.0", device="cpu")


def test_round_trip(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    assert cache.put(_result())
    hit = cache.get("k" * 64)
    assert hit is not None and hit.cached
    assert [f.svg for f in hit.figures] == ["<svg>1</svg>", "<svg>2</svg>"]
    assert hit.stdout == "hi\n"
    assert not any(p.name.startswith(".tmp-") for p in tmp_path.iterdir())


def test_failures_are_not_stored(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    assert not cache.put(RunResult("e" * 64, "error", error="boom"))
    assert cache.get("e" * 64) is None


def test_edited_entry_is_detected_and_dropped(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    cache.put(_result())
    figure = tmp_path / "entries" / ("k" * 64) / "fig-0-0.svg"
    figure.write_text("<svg>tampered</svg>")
    assert cache.get("k" * 64) is None
    assert any("damaged" in warning for warning in cache.notices)
    assert not (tmp_path / "entries" / ("k" * 64)).exists()


def test_truncated_result_is_detected(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    cache.put(_result())
    record = tmp_path / "entries" / ("k" * 64) / "result.json"
    record.write_text(record.read_text()[:20])
    assert cache.get("k" * 64) is None


def test_concurrent_writers_leave_one_good_entry(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    outcomes: list[bool] = []
    threads = [threading.Thread(target=lambda: outcomes.append(cache.put(_result()))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(outcomes)
    assert cache.get("k" * 64) is not None
    assert [p.name for p in (tmp_path / "entries").iterdir()] == ["k" * 64]


def test_entry_holds_no_absolute_path(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    cache.put(_result())
    text = json.dumps([p.read_text() for p in (tmp_path / "entries" / ("k" * 64)).iterdir()])
    assert str(tmp_path) not in text


def test_unwritable_folder_is_a_warning(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    cache = ResultCache(blocker / "cache")
    assert not cache.put(_result())
    assert cache.notices and "not writable" in cache.notices[0]


def test_prune_and_clear(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    cache.put(_result("a" * 64))
    cache.put(_result("b" * 64))
    (tmp_path / "entries" / ".tmp-leftover").mkdir()
    assert cache.prune(keep={"a" * 64}) == ["b" * 64]
    assert cache.keys() == ["a" * 64]
    assert not (tmp_path / "entries" / ".tmp-leftover").exists()
    assert cache.clear() == 1
    assert cache.keys() == []


def test_a_hit_marks_its_entry_used_at_most_once_an_hour(tmp_path: Path) -> None:
    """`prune --older-than DAYS` reads the entry's mtime as its last use; a warm build that rewrote it
    for every hit would write to the cache on every build. An entry used within the hour is left."""
    import os
    import time

    cache = ResultCache(tmp_path)
    cache.put(_result("a" * 64))
    cache.put(_result("b" * 64))
    now = time.time()
    os.utime(tmp_path / "entries" / ("a" * 64), (now - 3 * 86400, now - 3 * 86400))  # last used 3 days ago
    os.utime(tmp_path / "entries" / ("b" * 64), (now - 600, now - 600))  # 10 minutes ago
    assert cache.get("a" * 64) is not None and cache.get("b" * 64) is not None
    assert (tmp_path / "entries" / ("a" * 64)).stat().st_mtime >= now - 5
    assert abs((tmp_path / "entries" / ("b" * 64)).stat().st_mtime - (now - 600)) < 1
    assert cache.prune(older_than_days=1) == []  # both count as used


def test_older_layout_is_migrated_without_losing_entries(tmp_path: Path) -> None:
    key = "a1" * 32  # a sha256, as the older layout named its folders
    ResultCache(tmp_path).put(_result(key))
    (tmp_path / "entries" / key).rename(tmp_path / key)  # where the older layout kept it
    (tmp_path / "entries").rmdir()
    (tmp_path / "notebooks" / "abc").mkdir(parents=True)
    cache = ResultCache(tmp_path)
    assert cache.get(key) is not None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["entries"]
    assert cache.notices == ["moved 1 cache entries into entries/ (new cache layout)"]


def test_stats_count_entries_not_derived_artifacts(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    cache.put(_result())
    notebook = cache.derived_dir("k" * 64, "notebook")
    notebook.mkdir(parents=True)
    (notebook / "page.ipynb").write_text("{}" * 1000)
    stats = cache.stats()
    assert stats.entries == 1 and stats.bytes < 2000
    assert cache.prune(keep=set()) == ["k" * 64]
    assert not (tmp_path / "derived" / ("k" * 64)).exists()  # pruned with its entry


def test_a_failed_write_is_a_notice_not_another_builds_entry(tmp_path: Path, monkeypatch) -> None:
    import errno

    real_write = Path.write_text

    def disk_full(self: Path, *args, **kwargs):
        if self.suffix == ".svg":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", disk_full)
    cache = ResultCache(tmp_path)
    assert not cache.put(_result())
    assert cache.notices == [f"result of {'k' * 12} not cached: No space left on device"]
    assert cache.keys() == [] and not list((tmp_path / "entries").iterdir())
