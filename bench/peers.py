"""The peers' own venv, ``bench/.venv-peers``: markdown-exec and mkdocs-jupyter, never project deps.

It is rebuilt only when ``requirements-peers.txt`` changes (a stamp holds the file's hash), so a
second ``make bench`` spends no time here.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REQUIREMENTS = BENCH / "requirements-peers.txt"
VENV = BENCH / ".venv-peers"


class PeersError(RuntimeError):
    """The peers' venv could not be made; the message says which step failed."""


def spec_hash() -> str:
    return hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()[:12]


def stamp() -> Path:
    return VENV / f".installed-{spec_hash()}"


def bin_path(name: str) -> Path:
    return VENV / "bin" / name


def ensure_venv(log=print) -> float:
    """Create or refresh the venv; return the seconds spent (0 when it was up to date)."""
    if stamp().is_file() and bin_path("mkdocs").is_file():
        return 0.0
    started = time.monotonic()
    if VENV.exists():
        log(f"peers: {REQUIREMENTS.name} changed: rebuilding {VENV.relative_to(BENCH.parent)}")
        shutil.rmtree(VENV)
    else:
        log(f"peers: creating {VENV.relative_to(BENCH.parent)} (torch's CPU wheel comes from disk)")
    _step(["python3", "-m", "venv", str(VENV)], "create the venv")
    pip = [str(bin_path("python")), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    _step([*pip, "-r", str(REQUIREMENTS)], f"install {REQUIREMENTS.name}")
    stamp().touch()
    return time.monotonic() - started


def _step(command: list[str], what: str) -> None:
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip()[-3000:]
        raise PeersError(f"peers: could not {what} (exit {done.returncode}):\n{tail}")


def versions() -> dict[str, str]:
    """Installed versions of the peers, for the results file."""
    names = ["markdown-exec", "mkdocs-jupyter", "mkdocs", "mkdocs-material", "torch"]
    code = (
        f"import importlib.metadata as m, json, sys;print(json.dumps({{n: m.version(n) for n in {names!r}}}))"
    )
    done = subprocess.run([str(bin_path("python")), "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)
