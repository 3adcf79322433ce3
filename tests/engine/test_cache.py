"""The result store: atomic entries, checksums, concurrent writers, prune and clear."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from site_tools.engine.cache import ResultCache
from site_tools.engine.model import CellOutput, Figure, RunResult


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
    threads = [
        threading.Thread(target=lambda: outcomes.append(cache.put(_result()))) for _ in range(8)
    ]
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
