"""One choice of where snippets run: `executor: local | daemon | dask`, or one a package registers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from site_tools.engine.run.executor import ExecutorError
from site_tools.engine.run.pool import LocalExecutor
from site_tools.engine.run.registry import ENTRY_POINT_GROUP, executor_names
from site_tools.settings import OptionsError, load_options

THIRD_PARTY = """
from site_tools.engine.run.pool import LocalExecutor


def make(context):
    return LocalExecutor(context.pool_settings, worker_name="elsewhere")
"""


@pytest.fixture
def third_party(tmp_path: Path, monkeypatch) -> str:
    """An installed distribution that registers the executor `elsewhere` by entry point."""
    site = tmp_path / "site-packages"
    (site / "elsewhere_executor.py").parent.mkdir()
    (site / "elsewhere_executor.py").write_text(THIRD_PARTY, encoding="utf-8")
    info = site / "elsewhere_executor-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: elsewhere-executor\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[{ENTRY_POINT_GROUP}]\nelsewhere = elsewhere_executor:make\n")
    monkeypatch.syspath_prepend(str(site))
    return "elsewhere"


def test_a_third_party_executor_is_found_by_entry_point_and_runs_snippets(project, third_party) -> None:
    assert executor_names()[:3] == ("local", "daemon", "dask") and third_party in executor_names()
    options = load_options({"executor": third_party}, environ={})
    engine = project({"a.py": "print('ran')\n"}, executor=options.executor)
    local = project({"a.py": "print('ran')\n"})
    (snippet,) = engine.snippet_files()
    report = engine.run([snippet])
    engine.close()
    assert report.executed == 1 and engine.result(snippet).stdout == "ran\n"
    assert engine.result(snippet).worker == "elsewhere"
    assert engine.key(snippet) == local.key(snippet)  # keys never depend on the executor


def test_an_unknown_executor_is_refused_with_the_known_ones(project) -> None:
    with pytest.raises(OptionsError, match="use one of: local, daemon, dask"):
        load_options({"executor": "gpu-farm"}, environ={})
    engine = project({"a.py": "print('ran')\n"}, executor="gpu-farm")
    with pytest.raises(ExecutorError, match="executor `gpu-farm` is not known; use one of `local`"):
        engine.run(engine.snippet_files())


@pytest.mark.parametrize(
    ("raw", "environ"), [({"daemon": True}, {}), ({}, {"SITE_TOOLS_DAEMON": "1"})], ids=["option", "variable"]
)
def test_the_old_daemon_switch_still_works_with_a_notice(tmp_path: Path, raw, environ) -> None:
    options = load_options(raw, environ=environ)
    assert options.engine_config(tmp_path).executor == "daemon"
    (notice,) = options.notices()
    assert "deprecated" in notice and "executor: daemon" in notice


def test_the_old_daemon_switch_does_not_override_another_executor(tmp_path: Path) -> None:
    options = load_options({"daemon": True, "executor": "dask"}, environ={})
    assert options.engine_config(tmp_path).executor == "dask"
    assert "ignored with `executor: dask`" in options.notices()[0]
    assert load_options({}, environ={}).notices() == []


def test_longest_recorded_snippets_start_first_and_unknown_ones_keep_page_order(project) -> None:
    files = {name: f"print('{name}')\n" for name in ("a.py", "b.py", "c.py", "d.py")}
    engine = project(files, workers=1)
    snippets = engine.snippet_files()
    engine.run(snippets)
    record = engine.cache.root / ".last-build.json"
    last = json.loads(record.read_text(encoding="utf-8"))
    assert set(last["run_seconds"]) == {snippet.name for snippet in snippets}  # each run time, by name
    last["run_seconds"] = {"snippets/b.py": 0.5, "snippets/c.py": 2.0}  # a and d: never run
    record.write_text(json.dumps(last), encoding="utf-8")
    order: list[str] = []
    engine.run(snippets, force=True, progress=lambda done, total, snippet, result: order.append(snippet.name))
    engine.close()
    assert order == ["snippets/a.py", "snippets/d.py", "snippets/c.py", "snippets/b.py"]


def test_workers_start_loading_early_only_when_the_cache_is_empty(project, monkeypatch) -> None:
    calls: list[LocalExecutor] = []
    monkeypatch.setattr(LocalExecutor, "warm_up", lambda self: calls.append(self))  # noqa: PLW0108
    engine = project({"a.py": "print('ran')\n"})
    engine.warm_up()  # empty cache: this build runs snippets, so the preload starts now
    assert len(calls) == 1
    engine.run(engine.snippet_files())
    engine.close()
    warm = project({"a.py": "print('ran')\n"})
    warm.warm_up()  # a warm build must not pay the preload
    assert len(calls) == 1
    assert warm.run(warm.snippet_files()).cached == 1
