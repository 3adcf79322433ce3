"""The sites the judges read: the real site on MkDocs and on Zensical (the session's ``site_dir`` and
``zensical_site_dir``, tests/conftest.py), and
the same pages built without the project (no site-tools plugin nor Markdown extension: snippet blocks
stay code) by each host, whose Nu checker errors are the theme's, not ours."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hosts.support import BIN, REPO_ROOT, host_available, run


def _mkconfig():
    """bench/mkconfig.py: the site's mkdocs.yml read and written back with its tags kept."""
    spec = importlib.util.spec_from_file_location("bench_mkconfig", REPO_ROOT / "bench" / "mkconfig.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules[spec.name] = module  # type: ignore[union-attr]  # its dataclasses look it up there
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _plain_root(root: Path) -> Path:
    """The repository's docs and its mkdocs.yml less the project (plugin and Markdown extension)."""
    files = subprocess.run(
        ["git", "ls-files", "-z", "docs"], cwd=REPO_ROOT, capture_output=True, check=True, timeout=60
    ).stdout.decode()
    for name in filter(None, files.split("\0")):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO_ROOT / name, root / name)
    mkconfig = _mkconfig()
    config = mkconfig.load(REPO_ROOT / "mkdocs.yml")
    config["plugins"] = mkconfig.plugins_without(config, "site-tools")
    config["markdown_extensions"] = mkconfig.extensions_without_ours(config)
    config["strict"] = False  # the notebook and the report are ours: their links dangle here
    mkconfig.write(root / "mkdocs.yml", None, **config)
    return root


@pytest.fixture(scope="session")
def plain_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """host -> the same pages built without the project by that host."""
    root = _plain_root(tmp_path_factory.mktemp("plain"))
    built = {}
    done = run([str(BIN / "mkdocs"), "build", "--site-dir", str(root / "mkdocs-site")], root)
    assert done.returncode == 0, done.stderr[-4000:]
    built["mkdocs"] = root / "mkdocs-site"
    if host_available("zensical"):
        done = run([str(BIN / "zensical"), "build", "-f", "mkdocs.yml"], root)
        assert done.returncode == 0, done.stdout[-4000:]
        built["zensical"] = root / "site"
    return built
