"""The real judges of the pages readers get: the Nu HTML checker (vnu.jar, Java) and axe-core
(WCAG 2.1 A/AA, in Chromium), both installed from npm at the exact versions of package.json here
(`npm ci --prefix tests/readers`, which .ci/run does under CI).

Without Java or the npm tools the tests skip with the reason, unless SITE_TOOLS_REQUIRE_READERS=1
(set by .ci/run under CI), which turns a missing judge into a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from playwright.sync_api import Page

HERE = Path(__file__).resolve().parent
NODE_MODULES = HERE / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# axe.run's options: the WCAG 2.1 A/AA rules, and only the violations reported (half the time)
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}


def require(what: Path | str | None, reason: str) -> None:
    """Skip (or fail, when SITE_TOOLS_REQUIRE_READERS=1) unless ``what`` exists."""
    if what is not None and (not isinstance(what, Path) or what.exists()):
        return
    if os.environ.get("SITE_TOOLS_REQUIRE_READERS") == "1":
        pytest.fail(f"SITE_TOOLS_REQUIRE_READERS=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def need_vnu() -> str:
    java = shutil.which("java")
    require(java, "the Nu HTML checker needs Java (apt-get install default-jre-headless)")
    require(VNU_JAR, f"no {VNU_JAR.relative_to(HERE.parents[1])}: run `npm ci --prefix tests/readers`")
    return java  # type: ignore[return-value]


def need_axe() -> Path:
    require(AXE_JS, f"no {AXE_JS.relative_to(HERE.parents[1])}: run `npm ci --prefix tests/readers`")
    return AXE_JS


def vnu_errors(files: list[Path]) -> dict[Path, Counter[str]]:
    """Each file's Nu checker errors (message -> count), from one run of the checker over all files."""
    java = need_vnu()
    done = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--format", "json", "--errors-only", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    try:
        messages = json.loads(done.stderr)["messages"]
    except (ValueError, KeyError):
        report = done.stderr[-3000:]
        raise AssertionError(f"vnu gave no JSON report (exit {done.returncode}):\n{report}") from None
    by_url = {"file:" + str(file.resolve()): file for file in files}  # vnu writes file:/abs/path
    errors: dict[Path, Counter[str]] = {file: Counter() for file in files}
    for message in messages:
        if message.get("type") not in ("error", "non-document-error"):
            continue
        file = by_url.get(message.get("url", "").replace("file:///", "file:/"))
        if file is None:
            raise AssertionError(f"vnu reported on a file it was not given: {message}")
        errors[file][message["message"]] += 1
    return errors


def axe_violations(page: Page) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now: rule, impact and each target."""
    page.add_script_tag(path=str(need_axe()))
    result = page.evaluate("(options) => axe.run(document, options)", AXE_OPTIONS)
    found = []
    for violation in result["violations"]:
        for node in violation["nodes"]:
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            found.append(f"{violation['id']} ({violation['impact']}) {node['target']}: {summary}"[:400])
    return found
