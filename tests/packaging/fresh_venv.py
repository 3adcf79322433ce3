"""Fresh virtual environments holding the project's wheel, as someone else's site installs it.

``fresh_env_with_wheel(extra)`` returns the bin folder of a venv that holds the wheel built from the
working tree with one extra (``""``: none; ``"zensical"``, ``"properdocs"``, ``"mkdocs"``) and
nothing else: no system site-packages, no PYTHONPATH, so a run-time import missing from the wheel's
metadata fails there. Tests anywhere get it through the session fixture ``fresh_venv`` in
tests/conftest.py: ``bin_dir = fresh_venv("properdocs")``; run commands in it with ``run_in``.

Every install uses constraints.txt, the exact tested set: torch resolves to the CPU wheel on disk.
The venvs are shared between tests, sessions and checkouts' runs under ``.cache/test-venvs/``: one
per extra, keyed by what decides its packages (the wheel's declared dependencies, the extra,
constraints.txt, the Python), so a venv is built once (about a minute) until one of those changes.
When only the code changes, the wheel is reinstalled into it without dependencies, which keeps the
same package set pip resolved for that metadata. Older venvs of the same extra are removed.
A file lock per venv keeps parallel sessions from building or updating one that another uses.
"""

from __future__ import annotations

import atexit
import fcntl
import functools
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONSTRAINTS = ROOT / "constraints.txt"
VENVS = ROOT / ".cache" / "test-venvs"
_FORMAT = "2"  # bump when the way a venv is made changes: every cached venv is rebuilt
_HELD: dict[Path, int] = {}  # lock fds held (shared) until the process ends: venvs in use


def run_in(
    *command: str | Path, cwd: Path, timeout: float = 900, fails: bool = False, bytecode: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run ``command`` as a stranger's shell would (no PYTHONPATH, no active venv, no named site
    config); assert it passed (``fails``: that it failed). ``bytecode``: let it write ``.pyc`` files
    (the suite runs with PYTHONDONTWRITEBYTECODE)."""
    hidden = ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "SITE_TOOLS_CONFIG")
    hidden += ("PYTHONDONTWRITEBYTECODE",) if bytecode else ()
    env = {k: v for k, v in os.environ.items() if k not in hidden}
    env["NO_MKDOCS_2_WARNING"] = "1"
    done = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert (done.returncode != 0) == fails, f"{command}:\n{done.stdout}\n{done.stderr}"
    return done


@functools.cache
def project_wheel() -> Path:
    """The wheel built from the working tree (tracked and untracked files, not ignored ones), once per
    process, from a copy: building leaves no build/ folder in the checkout."""
    work = Path(tempfile.mkdtemp(prefix="st-wheel-"))
    atexit.register(shutil.rmtree, work, ignore_errors=True)
    source = work / "source"
    listed = run_in("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT)
    for name in filter(None, listed.stdout.split("\0")):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    run_in(
        sys.executable,
        *("-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", work / "dist", "."),
        cwd=source,
    )
    (wheel,) = (work / "dist").glob("site_tools-*.whl")
    return wheel


def _wheel_digests(wheel: Path) -> tuple[str, str]:
    """(what decides the dependencies: Requires-Python, Requires-Dist, Provides-Extra; everything in it)."""
    dependencies, content = hashlib.sha256(), hashlib.sha256()
    with zipfile.ZipFile(wheel) as archive:
        for name in sorted(archive.namelist()):
            data = archive.read(name)
            content.update(name.encode() + b"\0" + data + b"\0")
            if name.endswith(".dist-info/METADATA"):
                for line in data.decode().splitlines():
                    if line.startswith(("Requires-Python:", "Requires-Dist:", "Provides-Extra:")):
                        dependencies.update(line.encode() + b"\n")
    return dependencies.hexdigest(), content.hexdigest()


def _lock(path: Path, mode: int) -> int:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, mode)
    return fd


def _prune(label: str, keep: Path) -> None:
    """Remove this extra's venvs for other keys, unless a session still uses them."""
    for old in VENVS.glob(f"{label}-*.lock"):
        folder = old.with_suffix("")
        if folder == keep:
            continue
        fd = os.open(old, os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        try:
            shutil.rmtree(folder, ignore_errors=True)
            old.unlink(missing_ok=True)
        finally:
            os.close(fd)


def _create(folder: Path, wheel: Path, extra: str) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    venv.EnvBuilder(with_pip=True).create(folder)
    python = folder / "bin" / "python"
    requirement = f"{wheel}[{extra}]" if extra else str(wheel)
    # Without compiling every module: torch's bytecode takes three times as long to write as torch
    # to unpack. The bytecode of what the tests run (the engine, torch, matplotlib, each host) is
    # written once, by importing it; anything else compiles as it is imported.
    run_in(python, "-m", "pip", "install", "-q", "--no-compile", "-c", CONSTRAINTS, requirement, cwd=folder)
    run_in(python, "-m", "pip", "check", cwd=folder)
    hosts = {"mkdocs": "mkdocs.commands.build", "properdocs": "properdocs", "zensical": "zensical"}
    modules = ["site_tools.engine.run.preload", "site_tools.hosts.cli"]
    modules += [hosts[name] for name in extra.split(",") if name in hosts]
    run_in(python, "-c", "; ".join(f"import {module}" for module in modules), cwd=folder, bytecode=True)


def fresh_env_with_wheel(extra: str = "") -> Path:
    """The bin folder of a venv holding only the project's wheel with ``extra`` (see the module)."""
    wheel = project_wheel()
    dependencies, content = _wheel_digests(wheel)
    key = hashlib.sha256(
        "\0".join((_FORMAT, dependencies, extra, sys.version, sys.base_prefix)).encode()
        + CONSTRAINTS.read_bytes()
    ).hexdigest()[:12]
    label = extra or "none"
    folder = VENVS / f"{label}-{key}"
    if folder in _HELD:
        return folder / "bin"
    VENVS.mkdir(parents=True, exist_ok=True)
    lock = folder.with_suffix(".lock")
    made, installed = folder / ".complete", folder / ".site-tools-wheel"

    def ready() -> bool:
        return made.is_file() and installed.is_file() and installed.read_text() == content

    fd = _lock(lock, fcntl.LOCK_SH)
    while not ready():  # a loop: going back from exclusive to shared lets another session in between
        fcntl.flock(fd, fcntl.LOCK_EX)  # waits for sessions using the venv; another may have updated it
        if not made.is_file():
            _create(folder, wheel, extra)
            made.write_text(f"{sys.version}\n")
        elif not ready():  # same dependencies, other code: only the wheel changes
            python = folder / "bin" / "python"
            run_in(python, "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", wheel, cwd=folder)
        installed.write_text(content)
        _prune(label, keep=folder)
        fcntl.flock(fd, fcntl.LOCK_SH)
    _HELD[folder] = fd  # released when the process ends
    return folder / "bin"
