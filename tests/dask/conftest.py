"""Fixtures for the Dask executor: small projects (as in tests/engine) and, per module, a real cluster
(a scheduler, a plain worker and one advertising `GPU=1`), bound to 127.0.0.1 and stopped by PID."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.dask.cluster import Cluster, start_cluster
from tests.engine.conftest import project  # noqa: F401  (the same small-project factory)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    started = start_cluster(tmp_path_factory.mktemp("cluster"), {"w-cpu": None, "w-gpu": "GPU=1"})
    try:
        assert started.sockets_elsewhere() == []
        yield started
    finally:
        started.stop()
