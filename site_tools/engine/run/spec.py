"""One run's record, the same from the engine to the worker whatever the executor.

``RunSpec`` is what to run and how: made once by the engine (``Engine._submit``) and passed as it is
to the executor and on to the process that runs it: through the local pool's forkserver, the worker
daemon (pickled, ``daemon.pack_job``) or a Dask task (pickled in its ``Bundle``, re-rooted on the
worker's copy of the site's files). ``Job`` is a spec where it runs: its two folders
(``jobs.new_job``), the machine's name for messages, and the environment it was made in.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from site_tools.engine.model import Snippet


@dataclass(frozen=True)
class RunSpec:
    """One snippet to run, with everything the run needs to know besides the snippet's files."""

    key: str
    snippet: Snippet  # its code cells, repository-relative path, timeout and grid point
    root: Path  # the site's folder (absolute): messages give paths relative to it
    snippets_dir: Path  # absolute: the helper modules it imports, first on its sys.path
    threads: int = 1  # torch threads
    memory_limit: int | None = None  # bytes the snippet may add
    device: str = "cpu"  # as keyed (``snippet_device``): "cuda" runs only where a GPU is
    figure_budget_kb: int = 0  # as keyed: a figure over it is saved with its dense artists as pixels


@dataclass(frozen=True)
class Job:
    """A spec where it runs: what the worker process (``child.run_job``) is given."""

    spec: RunSpec
    workdir: str
    out_dir: str
    where: str = "this machine"  # named when the GPU a snippet keyed "cuda" needs is missing
    memory_cap: str = "address"  # "resident" where an address-space cap would break CUDA
    environ: dict[str, str] | None = None  # the snippet's environment (``snippet_environment``)
    seed: int = 0
    output_limit: int = 200_000  # characters of stdout/stderr kept per cell

    @property
    def path(self) -> str:
        """The repository-relative file of the code: tracebacks and messages name it."""
        return self.spec.snippet.path
