"""How many workers run at once and how many torch threads each gets: workers x threads <= cores.

Apart from the pool itself, so that a build whose snippets are all cached does not import the pool
(its forkserver, job and slot modules) only to size it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class PoolSettings:
    workers: int
    threads: int  # torch threads per worker; workers x threads <= cores
    memory_limit: int | None = None


def for_batch(settings: PoolSettings, jobs: int) -> PoolSettings:
    """Settings for ``jobs`` jobs: fewer jobs than workers leave cores free, so each gets more threads."""
    cores = os.cpu_count() or 1
    busy = max(1, min(settings.workers, jobs))
    return replace(settings, threads=max(settings.threads, cores // busy))


def default_settings(workers: int | None = None, memory_limit: int | None = None) -> PoolSettings:
    cores = os.cpu_count() or 1
    workers = max(1, workers or cores)
    return PoolSettings(workers=workers, threads=max(1, cores // workers), memory_limit=memory_limit)
