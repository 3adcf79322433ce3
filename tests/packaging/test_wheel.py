"""The package as a stranger installs it: the wheel, without extras, in a fresh virtual environment.

It then builds a small third-party Material blog (its own mkdocs.yml, posts without this site's
front-matter schema) that enables the plugin. This is what catches a run-time import missing from
``[project] dependencies``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
pytestmark = pytest.mark.slow

BLOG = {
    "mkdocs.yml": """\
site_name: Someone else's blog
theme:
  name: material
  font: false
plugins:
  - blog
  - site-tools:
      validate_posts: false
markdown_extensions:
  - pymdownx.superfences
""",
    "docs/index.md": "# Welcome\n",
    "docs/blog/index.md": "# Blog\n",
    "docs/blog/posts/hello.md": """\
---
date: 2025-03-01
---

# Hello

A curve, computed while the site builds.

<!-- more -->

```snippet
file: curve.py
caption: A parabola.
```
""",
    "snippets/curve.py": """\
import matplotlib.pyplot as plt
import torch

x = torch.linspace(-2, 2, 50)
plt.plot(x, x**2)
plt.title("parabola")
""",
}


def _run(*command: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    done = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, f"{command}:\n{done.stdout}\n{done.stderr}"
    return done


def fresh_env_with_wheel(tmp_path: Path, *also: str) -> Path:
    """A fresh venv holding the project's wheel without extras (and ``also``); returns its bin folder."""
    source = tmp_path / "source"  # a copy, so that building leaves no build/ folder in the checkout
    tracked = _run("git", "ls-files", cwd=ROOT).stdout.split()
    for name in tracked:
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    _run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "-q",
        "-w",
        tmp_path / "dist",
        ".",
        cwd=source,
    )
    (wheel,) = (tmp_path / "dist").glob("site_tools-*.whl")

    env_dir = tmp_path / "fresh"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    _run(python, "-m", "pip", "install", "-q", wheel, *also, cwd=tmp_path)  # no extras: what a user gets
    return env_dir / "bin"


def test_wheel_without_extras_builds_a_third_party_blog(tmp_path: Path) -> None:
    bin_dir = fresh_env_with_wheel(tmp_path)

    blog = tmp_path / "blog"
    for name, text in BLOG.items():
        (blog / name).parent.mkdir(parents=True, exist_ok=True)
        (blog / name).write_text(text, encoding="utf-8")
    built = _run(bin_dir / "mkdocs", "build", "--strict", cwd=blog)
    assert "site_tools: 1 snippets, 1 executed, 0 cached, 0 failed" in built.stderr + built.stdout
    (post,) = (blog / "site" / "blog").glob("20*/**/hello/index.html")
    html = post.read_text(encoding="utf-8")
    assert '<figure class="st-figure"' in html and "<svg" in html and "A parabola." in html
