"""One helper module edited (issue 30, Deliver 3): a rebuild re-runs only the snippets that import it,
directly or through another helper, and should cost the plain rebuild + their compute ÷ cores + 0.3 s.

The helper is a module of the snippets folder that no page embeds and some snippet imports: of those
whose importers run at least twice (the ÷ cores has two runs to share), the one whose importers
compute least by the floor's passes (fewest runs without them), so the row costs little. The
row appends a comment to it before each run, with the worker daemon on as the snippet-edit row has
it, and checks that exactly its importers' runs were executed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import realsite
import sites
from measure import Command, expect_counts
from plan import OUR_BIN, build


@dataclass(frozen=True)
class Helper:
    name: str  # snippets/x.py
    importers: tuple[str, ...]  # every snippet name whose runs it changes
    runs: int  # how many runs a build makes of them (each point of a grid is one)


def _imports(code: str, module: str) -> bool:
    pattern = rf"^\s*(?:from\s+{module}\s+import\b|import\s+{module}\b)"
    return re.search(pattern, code, re.MULTILINE) is not None


def pick(site: sites.RealSite, compute: dict[str, float] | None = None) -> Helper | None:
    """The helper the row edits (see the module), or None when the site has none. ``compute``: each
    run's seconds by name, as the floor's passes name them (a grid point: ``name[{...}]``)."""
    folder = site.snippets
    embedded = {block.name for block in (*site.blocks, *site.notebooks)}
    modules = {
        path.stem: path.read_text(encoding="utf-8")
        for path in sorted(folder.glob("*.py"))
        if path.relative_to(site.root).as_posix() not in embedded
    }
    found = []
    for module in modules:
        changed, grown = {module}, True
        while grown:  # helpers importing a changed helper change too
            more = {other for other, code in modules.items() if any(_imports(code, m) for m in changed)}
            grown, changed = bool(more - changed), changed | more
        blocks = [
            block
            for block in (*site.blocks, *site.notebooks)
            if any(_imports(block.code, m) for m in changed)
        ]
        runs = sum(len(block.points) or 1 for block in blocks)
        if runs >= 2:
            names = tuple(dict.fromkeys(block.name for block in blocks))
            found.append(Helper((folder / f"{module}.py").relative_to(site.root).as_posix(), names, runs))

    def cost(helper: Helper) -> tuple[float, int, str]:
        spent = sum(s for run, s in (compute or {}).items() if run.split("[")[0] in helper.importers)
        return spent, helper.runs, helper.name

    return min(found, key=cost, default=None)


def command(setup: realsite.RealSetup, helper: Helper) -> Command:
    return build(
        "site.helper_edit",
        f"ours, {Path(helper.name).name} edited ({helper.runs} runs import it), worker daemon on",
        OUR_BIN / "mkdocs",
        setup.config("ours"),
        setup.out("ours"),
        env={"SITE_TOOLS_EXECUTOR": "daemon"},
        before=lambda i: realsite.edit_snippet(setup.site, helper.name, 2000 + i),
        expect=expect_counts(executed=helper.runs),
        note="only the snippets importing the helper run again",
    )
