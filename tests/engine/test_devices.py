"""Devices: `resources: {GPU: 1}` keys a snippet for CUDA and nothing else does (a machine's GPU never
changes a key), a CPU-keyed one runs with CUDA hidden, a GPU snippet never falls back to the CPU, and
its memory cap is on resident memory. Every test here holds on a machine with a GPU and without."""

from __future__ import annotations

from dataclasses import replace
from importlib import metadata
from pathlib import Path

import pytest

from site_tools.engine.collect.embed_options import OptionError, parse_options
from site_tools.engine.model import RunResult
from site_tools.engine.run.jobs import new_job
from site_tools.engine.run.pool import LocalExecutor, default_settings
from site_tools.engine.run.spec import RunSpec
from site_tools.engine.store import key as key_module
from site_tools.site.checks import failure_message
from tests.gpu import machine_has_gpu

NVIDIA = "/proc/driver/nvidia/gpus"


@pytest.fixture
def gpu_machine(monkeypatch: pytest.MonkeyPatch):
    """Make this machine look like one with an NVIDIA GPU to anything that looks without starting
    CUDA: a CUDA build of torch in the package metadata and a device under ``/proc/driver/nvidia``."""
    key_module.runtime_versions()  # the keyed versions stay the real ones (cached)
    real_version, real_is_dir, real_iterdir = metadata.version, Path.is_dir, Path.iterdir

    def version(name: str) -> str:
        return "2.13.0+cu130" if name == "torch" else real_version(name)

    monkeypatch.setattr(metadata, "version", version)
    monkeypatch.setattr(Path, "is_dir", lambda p: str(p) == NVIDIA or real_is_dir(p))
    device = Path(NVIDIA, "0000:00:1e.0")
    monkeypatch.setattr(Path, "iterdir", lambda p: iter([device]) if str(p) == NVIDIA else real_iterdir(p))
    _forget_machine()
    yield
    monkeypatch.undo()
    _forget_machine()


def _forget_machine() -> None:
    """Drop what the key module remembers of the machine (the keyed versions stay the real ones)."""
    for name in dir(key_module):
        if name != "runtime_versions":
            getattr(getattr(key_module, name), "cache_clear", lambda: None)()


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
    assert engine.device(plain) == "cpu"  # whatever this machine has
    assert engine.key(gpu) != engine.key(plain)


def test_having_a_gpu_never_changes_a_key(project, request) -> None:
    local = project({"a.py": "print(1)\n"})
    dask = project({}, executor="dask", dask_address="tcp://127.0.0.1:1")
    plain = local.file_snippet(local.config.snippets_dir / "a.py")
    gpu = type(plain)(**{**plain.__dict__, "resources": (("GPU", 1.0),)})
    engines = {"local": local, "dask": dask}
    before = {name: (engine.key(plain), engine.key(gpu)) for name, engine in engines.items()}
    request.getfixturevalue("gpu_machine")
    after = {name: (engine.key(plain), engine.key(gpu)) for name, engine in engines.items()}
    assert (local.device(plain), dask.device(plain)) == ("cpu", "cpu")
    assert after == before
    assert before["local"] == before["dask"]  # one key on every executor


def test_a_cpu_keyed_snippet_runs_with_cuda_hidden(project) -> None:
    code = (
        "import os, torch\nprint(repr(os.environ['CUDA_VISIBLE_DEVICES']),"
        " os.environ['PYTORCH_NVML_BASED_CUDA_CHECK'], torch.cuda.is_available())\n"
    )
    engine = project({"env.py": code})
    snippet = engine.file_snippet(engine.config.snippets_dir / "env.py")
    engine.run([snippet])
    result = engine.result(snippet)
    assert result.ok, result.error
    # On a GPU machine too; the NVML check answers without starting the driver (the job's environment,
    # which replaces the worker's, must not drop it).
    assert result.stdout == "'' 1 False\n"
    assert result.warnings == ()  # no "CUDA initialization" warning from torch
    assert (result.device, result.worker) == ("cpu", "local")


def test_a_gpu_snippet_runs_on_the_gpu_or_is_refused_once_by_post_and_line(project) -> None:
    engine = project({"gpu.py": "import torch\nprint('ran', torch.cuda.is_available())\n"})
    plain = engine.file_snippet(engine.config.snippets_dir / "gpu.py")
    snippet = type(plain)(**{**plain.__dict__, "resources": (("GPU", 1.0),)})
    report = engine.run([snippet])
    result = engine.result(snippet)
    if machine_has_gpu():  # the GPU path: it runs there, on CUDA
        assert result.ok and result.stdout == "ran True\n", result.error
        assert result.device.startswith("cuda:0 (") and report.executed == 1
        return
    assert result.status == "refused"
    assert (report.executed, report.failed) == (0, 1)  # it never ran
    assert "ran" not in result.stdout  # never a silent CPU run
    assert "asks for a GPU" in result.error and "this machine has none" in result.error
    assert "GPU worker" in result.error and "cache_url" in result.error
    assert engine.cache.get(result.key) is None  # nothing cached
    message = failure_message("docs/blog/posts/p.md:12", snippet.name, result)
    assert message.startswith("docs/blog/posts/p.md:12: snippet snippets/gpu.py was not run: it asks for")
    assert message.count("snippets/gpu.py") == 1  # named once
    assert ":\n" not in message.split("\n")[0] + "\n"  # no empty location


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
        snippet = engine.file_snippet(engine.config.snippets_dir / "hog.py")
        root, snippets_dir = engine.config.root.resolve(), engine.config.snippets_dir.resolve()
        job = new_job(RunSpec("k", snippet, root, snippets_dir, memory_limit=256 << 20))
        job = replace(job, memory_cap="resident")
        result = executor.submit_job(job, 60).result(timeout=120)
    finally:
        executor.close()
    assert result.status == "memory", result.error
    assert "went over its memory limit (256 MiB" in result.error
    assert "snippets/hog.py" in result.error
