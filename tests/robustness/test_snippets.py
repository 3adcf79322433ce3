"""Issue 7, case 3: snippets that fail in every way, all in one real build that reports each of them.

One build runs every bad snippet (each failing snippet is reported in the same run); each test reads
its own message: the embed's page line, the snippet's own line, and what happened.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import psutil
import pytest

from tests.robustness.support import (
    POST,
    Run,
    Site,
    copy_site,
    documented_messages,
    embed,
    line_of,
    post_text,
)

# A process that forks once; both write their pid to argv[1], then sleep far past any timeout.
_CHILD = (
    "import os, sys, time\n"
    "os.fork()\n"
    "with open(sys.argv[1], 'a') as f: f.write(f'{os.getpid()}\\n')\n"
    "time.sleep(600)\n"
)
_LEAVE_CHILDREN = f"""\
import os
import subprocess
import sys
import time
from pathlib import Path

pids = Path(os.environ["ROBUSTNESS_PIDS"]) / Path(__file__).stem
subprocess.Popen([sys.executable, "-c", {_CHILD!r}, str(pids)])
while not pids.is_file() or len(pids.read_text().split()) < 2:
    time.sleep(0.05)
"""

SNIPPETS = {
    "raises.py": "def half(x):\n    return x / 0\n\n\nhalf(3)\n",
    "syntax.py": "x = 1\nif x == 1\n    print(x)\n",
    "loop.py": "count = 0\nwhile True: count += 1\n",
    "exit3.py": "import os\n\nos._exit(3)\n",
    "segfault.py": "import ctypes\n\nctypes.string_at(0)\n",
    "memory.py": "blob = bytearray(8 * 1024**3)\n",
    "memory_torch.py": "import torch\n\nblob = torch.ones(1024, 1024, 1024)\n",
    "children.py": _LEAVE_CHILDREN + "print('children left running')\n",
    "children_loop.py": _LEAVE_CHILDREN + "while True: time.sleep(0.01)\n",
    "nofig.py": "print('no figure here')\n",
    "onefig.py": "import matplotlib.pyplot as plt\n\nplt.plot([1, 2])\n",
    "writer.py": (
        "import contextlib\nimport os\nfrom pathlib import Path\n\nproject = Path(__file__).parents[1]\n"
        "with contextlib.suppress(OSError):\n    (project / 'docs' / 'index.md').write_text('gone')\n"
        "os.remove(project / 'mkdocs.yml')\n"
    ),
}
OPTIONS = {
    "loop.py": {"timeout": "3"},
    "children_loop.py": {"timeout": "3"},
    "nofig.py": {"caption": "Needs a figure."},
    "onefig.py": {"caption": "[First., Second.]"},
}
TEXT = post_text("".join(embed(name, **OPTIONS.get(name, {})) for name in SNIPPETS))


def _where(name: str) -> str:
    """The embed's page and line (its opening fence), as failures name it."""
    return f"{POST}:{line_of(TEXT, f'file: {name}') - 1}"


def message(log: str, name: str) -> str:
    """The log's message about ``name``'s embed: its first line and the indented details after it."""
    start = log.find(f"ERROR   -  site_tools: {_where(name)}: ")
    assert start >= 0, f"no message for {name}:\n{log}"
    end = min(
        (i for i in (log.find("\nERROR ", start + 1), log.find("\nINFO ", start + 1)) if i > 0),
        default=len(log),
    )
    return log[start:end]


@pytest.fixture(scope="module")
def failing(warm_template: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Site, Run, dict]:
    site = copy_site(warm_template, tmp_path_factory.mktemp("snippets") / "site")
    for name, code in SNIPPETS.items():
        site.write(f"snippets/{name}", code)
    site.write(POST, TEXT)
    pids = tmp_path_factory.mktemp("pids")
    before = {"sources": site.sources(), "entries": site.cache_entries()}
    run = site.build(env={"ROBUSTNESS_PIDS": str(pids)})
    return site, run, {**before, "pids": pids}


def test_every_failing_snippet_is_reported_in_one_run(failing) -> None:
    _, run, _ = failing
    assert run.returncode != 0
    assert run.counts() == (len(SNIPPETS) + 1, len(SNIPPETS), 1, 9)  # + index.md's block
    assert "site-tools found 11 problem(s) above; the build stops here." in run.log
    messages = "\n".join(line for line in run.log.splitlines() if "Building documentation" not in line)
    assert "/site_tools/engine/" not in messages  # no engine frames, no build machine paths
    assert str(failing[0].root) not in messages


def test_nothing_lost(failing) -> None:
    site, _, before = failing
    assert site.sources() == before["sources"]
    assert before["entries"].items() <= site.cache_entries().items()  # good entries kept as they were


# name -> (status, the snippet line named, words the message must contain)
CASES = {
    "raises": (
        "error",
        "raises.py:2",
        (
            'File "snippets/raises.py", line 5, in <module>\n    half(3)',
            'File "snippets/raises.py", line 2, in half\n    return x / 0',
            "ZeroDivisionError: division by zero",
        ),
    ),
    "SyntaxError": (
        "error",
        "syntax.py:2",
        ('File "snippets/syntax.py", line 2', "if x == 1", "SyntaxError: expected ':'"),
    ),
    "infinite loop": (
        "timeout",
        "loop.py:2",
        ("snippets/loop.py: timed out after 3 s", 'File "snippets/loop.py", line 2 in <module>'),
    ),
    "os._exit(3)": (
        "crashed",
        "exit3.py:3",
        ("exited with status 3 before finishing", 'File "snippets/exit3.py", line 3'),
    ),
    "segfault": (
        "crashed",
        "segfault.py:3",
        ("killed by signal SIGSEGV", "Segmentation fault", 'File "snippets/segfault.py", line 3'),
    ),
    "memory": ("memory", "memory.py:1", ("MemoryError", "over its memory limit (512 MiB)")),
    "memory with torch": (
        "memory",
        "memory_torch.py:3",
        ("DefaultCPUAllocator: can't allocate memory", "over its memory limit (512 MiB)"),
    ),
    "writes outside its folder": (
        "error",
        "writer.py:8",
        (
            "tried to write outside its working folder; the write was refused",
            "snippets/writer.py:7: docs/index.md",
            "snippets/writer.py:8: mkdocs.yml",
        ),
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_failure_names_embed_snippet_line_and_cause(failing, case: str) -> None:
    status, location, words = CASES[case]
    name = location.split(":")[0]
    text = message(failing[1].log, name)
    assert text.startswith(
        f"ERROR   -  site_tools: {_where(name)}: "
        f"snippet snippets/{name} failed ({status}) at snippets/{location}:"
    ), text
    assert all(word in text for word in words), text


@pytest.mark.parametrize(
    ("name", "wanted"),
    [
        ("nofig.py", "the snippet made no figure, but its `caption` expects at least one"),
        ("onefig.py", "the snippet made 1 figure, but it lists 2 captions, one per figure"),
    ],
)
def test_missing_figures_are_an_error(failing, name: str, wanted: str) -> None:
    expected = f"ERROR   -  site_tools: {_where(name)}: snippets/{name}: {wanted}"
    assert message(failing[1].log, name).startswith(expected)


@pytest.mark.parametrize("name", ["children.py", "children_loop.py"])
def test_nothing_a_snippet_started_outlives_it(failing, name: str) -> None:
    pids = [int(pid) for pid in (failing[2]["pids"] / Path(name).stem).read_text().split()]
    assert len(pids) == 2  # the child and its own child did start
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_running(pid) for pid in pids):
        time.sleep(0.1)
    assert not [pid for pid in pids if _running(pid)]
    if name == "children_loop.py":
        assert re.search(r"children_loop.py failed \(timeout\)", failing[1].log)


def _running(pid: int) -> bool:
    """True while ``pid`` is a live process (a zombie is dead, only waiting to be reaped)."""
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_contributing_guide_quotes_these_messages(failing) -> None:
    quoted = [text for text in documented_messages() if "failed (" in text]
    assert len(quoted) == 2
    for text in quoted:
        assert text in failing[1].log
