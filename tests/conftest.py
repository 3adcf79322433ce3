"""Session-wide: worker daemons started by tests live in the session's own runtime folder, and none
may be left running when the suite ends (a test that leaks one fails the session)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from site_tools.engine.run import daemon_client
from site_tools.engine.run.daemon import RUNTIME_ENV

if TYPE_CHECKING:
    from playwright.sync_api import Browser

_RUNTIME = Path(tempfile.mkdtemp(prefix="st-rt-"))  # short: socket paths must stay under 108 bytes
os.environ[RUNTIME_ENV] = str(_RUNTIME)
os.environ.pop("SITE_TOOLS_DAEMON", None)  # the suite tests the daemon where it means to, nowhere else
if os.environ.get("SITE_TOOLS_EXECUTOR") == "daemon":
    del os.environ["SITE_TOOLS_EXECUTOR"]


# The real site, built once per session, its server and Debian's Chromium: shared by tests/browser,
# tests/readers, tests/site and tests/dask (a second build would cost the suite half a minute).
@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    from tests.browser.browser_support import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        reason = f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("SITE_TOOLS_REQUIRE_BROWSER") == "1":
            pytest.fail(f"SITE_TOOLS_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    playwright = sync_playwright().start()
    try:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()
    finally:
        playwright.stop()


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built strictly from the repository as `make build` would (once a session: the
    browser, readers', site, Dask and Zensical tests read it; none may change it)."""
    from tests.browser.browser_support import REPO

    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if build.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{build.stderr[-4000:]}", pytrace=False)
    return out


@pytest.fixture(scope="session")
def zensical_site_dir(site_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site built on Zensical, the documented way (after ``site_dir``: its cache is warm)."""
    from tests.hosts.support import build, copy_real_site, host_available

    if not host_available("zensical"):
        pytest.skip("zensical is not installed (the `zensical` extra)")
    root = copy_real_site(tmp_path_factory.mktemp("real-zensical"))
    done = build("zensical", root, root / "built")
    assert done.returncode == 0, done.stderr[-4000:]
    return root / "built"


@pytest.fixture(scope="session")
def site_url(site_dir: Path) -> Iterator[str]:
    from tests.browser.browser_support import serve

    origin, stop = serve(site_dir)
    yield origin
    stop()


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
