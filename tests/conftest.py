"""Session-wide: worker daemons started by tests live in the session's own runtime folder, and none
may be left running when the suite ends (a test that leaks one fails the session)."""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from pathlib import Path

import pytest

from site_tools.engine.run import daemon_client
from site_tools.engine.run.daemon import RUNTIME_ENV

_RUNTIME = Path(tempfile.mkdtemp(prefix="st-rt-"))  # short: socket paths must stay under 108 bytes
os.environ[RUNTIME_ENV] = str(_RUNTIME)
os.environ.pop("SITE_TOOLS_DAEMON", None)  # the suite tests the daemon where it means to, nowhere else
if os.environ.get("SITE_TOOLS_EXECUTOR") == "daemon":
    del os.environ["SITE_TOOLS_EXECUTOR"]


def running_daemons(folder: Path) -> list[dict]:
    """Every daemon that answers on a socket in ``folder``."""
    found = []
    for sock in sorted(folder.glob("*.sock")):
        try:
            answer = daemon_client.ask_socket(sock, {"op": "hello"})
        except OSError:
            continue
        if answer is not None:
            found.append(answer)
    return found


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    left = running_daemons(_RUNTIME)
    for daemon in left:
        os.kill(daemon["pid"], signal.SIGTERM)  # by its pid, then the session fails
    shutil.rmtree(_RUNTIME, ignore_errors=True)
    if left:
        roots = ", ".join(daemon["root"] for daemon in left)
        message = f"worker daemon(s) left running by tests: {roots}"
        session.config.get_terminal_writer().line(message, red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def fresh_venv():
    """``fresh_venv(extra)``: the bin folder of a fresh venv holding only the project's wheel with that
    extra ("" for none, "mkdocs", "properdocs", "zensical"), installed with constraints.txt and shared
    between tests and sessions (tests/packaging/fresh_venv.py)."""
    from tests.packaging.fresh_venv import fresh_env_with_wheel

    return fresh_env_with_wheel
