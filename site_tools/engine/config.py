"""What an ``Engine`` is made with: the project's folders and the options that decide where and how
snippets run. A small module of its own, so that the options schema reads it without the engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class EngineConfig:
    root: Path
    snippets_dir: Path
    cache_dir: Path
    workers: int | None = None
    execute: bool = True
    timeout: float = 120.0
    memory_limit: int | None = 4 << 30
    executor: str = "local"  # a name in the executor registry: local, daemon, dask, or an entry point's
    dask_address: str | None = None  # the scheduler, "tcp://host:8786"
    dask_fallback: bool = False  # scheduler unreachable: run locally (with a notice) instead of failing
    daemon_idle: float = 600.0  # seconds without work before the worker daemon stops itself
    # A shared result cache (Bazel's HTTP cache protocol), read after the local one; it may hold a
    # password, so it stays out of the repr.
    cache_url: str | None = field(default=None, repr=False)
    cache_write: bool = False  # upload what this build runs to ``cache_url``
    figure_budget_kb: int = 0  # keyed: a heavier figure is saved with its dense artists as pixels
