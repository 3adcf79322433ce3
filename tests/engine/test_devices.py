"""Devices: `resources: {GPU: 1}` keys a snippet for CUDA, a CPU-keyed one runs with CUDA hidden,
a GPU snippet never falls back to the CPU, and its memory cap is on resident memory."""

from __future__ import annotations

import pytest

from site_tools.engine.key import local_device_class
from site_tools.engine.model import RunResult
from site_tools.engine.options import OptionError, parse_options
from site_tools.engine.pool import LocalExecutor, default_settings, new_job


def test_resources_option_is_read_and_checked() -> None:
    options = parse_options({"file": "a.py", "resources": {"GPU": 1}}, allow_file=True)
    assert options.resources == (("GPU", 1.0),)
    with pytest.raises(OptionError, match="resources") as error:
        parse_options({"file": "a.py", "resources": {"GPU": "yes"}}, allow_file=True)
    assert error.value.field == "resources"


def test_a_gpu_request_keys_the_snippet_for_cuda(project) -> None:
    engine = project({"a.py": "print(1)\n"})
    plain = engine.file_snippet(engine.config.snippets_dir / "a.py")
    gpu = type(plain)(**{**plain.__dict__, "resources": (("GPU", 1.0),)})
    assert engine.device(gpu) == "cuda"
    assert engine.device(plain) == local_device_class() == "cpu"  # no GPU on this machine
    assert engine.key(gpu) != engine.key(plain)


def test_a_cpu_keyed_snippet_runs_with_cuda_hidden(project) -> None:
    engine = project({"env.py": "import os, torch\nprint(repr(os.environ['CUDA_VISIBLE_DEVICES']))\n"})
    snippet = engine.file_snippet(engine.config.snippets_dir / "env.py")
    engine.run([snippet])
    result = engine.result(snippet)
    assert result.ok, result.error
    assert result.stdout == "''\n"
    assert (result.device, result.worker) == ("cpu", "local")


def test_a_gpu_snippet_without_a_gpu_stops_with_the_ways_out(project) -> None:
    engine = project({"gpu.py": "print('ran on the CPU')\n"})
    plain = engine.file_snippet(engine.config.snippets_dir / "gpu.py")
    snippet = type(plain)(**{**plain.__dict__, "resources": (("GPU", 1.0),)})
    report = engine.run([snippet])
    result = engine.result(snippet)
    assert report.failed == 1 and result.status == "error"
    assert "ran on the CPU" not in result.stdout  # never a silent CPU run
    assert "snippets/gpu.py asks for a GPU" in result.error
    assert "this machine has none" in result.error
    assert "GPU worker" in result.error and "cache_url" in result.error
    assert engine.cache.get(result.key) is None  # nothing cached


def test_a_gpu_snippet_uses_a_stored_result_without_a_gpu(project) -> None:
    engine = project({"gpu.py": "print('computed')\n"})
    plain = engine.file_snippet(engine.config.snippets_dir / "gpu.py")
    snippet = type(plain)(**{**plain.__dict__, "resources": (("GPU", 1.0),)})
    key = engine.key(snippet)
    # As a GPU machine sharing this cache would have stored it:
    engine.cache.put(RunResult(key, "ok", device="cuda:0 (H100)", worker="gpu-box"))
    report = engine.run([snippet])
    assert (report.cached, report.executed, report.failed) == (1, 0, 0)
    assert engine.result(snippet).device == "cuda:0 (H100)"


def test_the_resident_memory_cap_stops_a_snippet(project) -> None:
    """The cap GPU snippets get (an address-space cap breaks CUDA), tried here on the CPU."""
    hog = "import numpy as np\nblocks = []\nwhile True:\n    blocks.append(np.ones(1 << 24))\n"
    engine = project({"hog.py": hog})
    executor = LocalExecutor(default_settings(1))
    try:
        job = new_job(
            "k", "snippets/hog.py", engine.file_snippet(engine.config.snippets_dir / "hog.py").cells,
            root=engine.config.root, snippets_dir=engine.config.snippets_dir, threads=1,
            memory_limit=256 << 20,
        )  # fmt: skip
        job = type(job)(**{**job.__dict__, "memory_cap": "resident"})
        result = executor.submit_job(job, 60).result(timeout=120)
    finally:
        executor.close()
    assert result.status == "memory", result.error
    assert "went over its memory limit (256 MiB" in result.error
    assert "snippets/hog.py" in result.error

