"""The real site, copied, and the same site rewritten for each peer.

Everything is built from a copy under ``bench/scratch/`` so that edits made while measuring (a comment
appended to a snippet, a sentence appended to a post) never touch the checkout. Executable blocks
are found with the engine's own reader, so the peers get exactly the snippets our plugin runs.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import jupytext
import mkconfig
import nbformat

from site_tools.engine.collect.discover import is_embed, is_inline_exec, iter_fences, scan_page
from site_tools.engine.collect.grid import params_json
from site_tools.render.html import fenced

# Left out of the copy: tools, caches and build output, none of which a build reads.
SKIP = {".git", ".venv", ".cache", "site", "bench", "tests", "site_tools", "node_modules", "test-artifacts"}

# Appended to each markdown-exec block: print every open figure as inline SVG (with html="1").
SVG_DUMP = """
import io as _bench_io
import matplotlib.pyplot as _bench_plt
for _bench_number in _bench_plt.get_fignums():
    _bench_buffer = _bench_io.StringIO()
    _bench_plt.figure(_bench_number).savefig(_bench_buffer, format="svg")
    print(_bench_buffer.getvalue())
_bench_plt.close("all")
"""


@dataclass(frozen=True)
class Block:
    """One executable block of the site, as the engine reads it."""

    page: str  # docs-relative Markdown file
    start: int  # 1-based lines of the fence
    end: int
    indent: str
    name: str  # snippets/x.py, or docs/...md::L12 for an inline block
    code: str
    points: tuple[str, ...] = ()  # a scrubbable figure: each grid point as its run gets it (JSON)


@dataclass(frozen=True)
class RealSite:
    root: Path  # the copy
    config: Path  # its mkdocs.yml
    docs: Path
    snippets: Path
    blocks: tuple[Block, ...]
    notebooks: tuple[Block, ...] = ()  # jupytext notebooks our plugin runs (page = the .py, code = its cells)
    notebook_globs: tuple[str, ...] = ()

    def unique(self) -> dict[str, str]:
        """Snippet name -> code, each once, in page order, then the notebooks."""
        return {block.name: block.code for block in (*self.blocks, *self.notebooks)}

    def runs(self) -> list[dict[str, str]]:
        """What a cold build runs, each once: every snippet, every point of a scrubbable figure's grid
        (``params``: the point as ``SITE_TOOLS_PARAMS`` holds it), then the notebooks."""
        runs = {}
        for block in (*self.blocks, *self.notebooks):
            for params in block.points or ("",):
                runs[(block.name, params)] = {"name": block.name, "code": block.code, "params": params}
        return list(runs.values())


def copy_site(repo: Path, dest: Path) -> RealSite:
    """A fresh copy of the site's sources at ``dest``, and its executable blocks."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for entry in repo.iterdir():
        if entry.name in SKIP or entry.name.endswith(".egg-info") or entry.name.startswith(".git"):
            continue
        if entry.is_dir():
            shutil.copytree(entry, dest / entry.name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(entry, dest / entry.name)
    base = mkconfig.load(dest / "mkdocs.yml")
    docs = dest / str(base.get("docs_dir", "docs"))
    options = _site_tools_options(base)
    snippets = dest / str(options.get("snippets_dir", "snippets"))
    globs = tuple(options.get("notebooks") or ())
    notebooks = tuple(_notebook(dest, docs, path) for glob in globs for path in sorted(docs.glob(glob)))
    blocks = tuple(_blocks(dest, docs, snippets))
    return RealSite(dest, dest / "mkdocs.yml", docs, snippets, blocks, notebooks, globs)


def _notebook(root: Path, docs: Path, path: Path) -> Block:
    """A jupytext notebook as one block: its code cells in order, as they run in one process."""
    notebook = jupytext.read(path)
    code = "\n\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    return Block(path.relative_to(docs).as_posix(), 0, 0, "", path.relative_to(root).as_posix(), code + "\n")


def _site_tools_options(base: dict) -> dict:
    for entry in base.get("plugins") or []:
        if isinstance(entry, dict) and mkconfig.SITE_TOOLS in entry:
            return entry[mkconfig.SITE_TOOLS] or {}
    return {}


def _blocks(root: Path, docs: Path, snippets: Path) -> list[Block]:
    blocks = []
    for path in sorted(docs.rglob("*.md")):
        page = path.relative_to(docs).as_posix()
        text = path.read_text(encoding="utf-8")
        repo_page = path.relative_to(root).as_posix()
        scan = scan_page(repo_page, text, root=root, snippets_dir=snippets, default_timeout=120.0)
        if scan.problems:
            first = scan.problems[0]
            raise ValueError(f"{first.path}:{first.line}: {first.field}: {first.message}")
        for embed in scan.embeds:
            code = "".join(cell.code for cell in embed.snippet.cells)
            points = tuple(params_json(run.params) for run in embed.variants)
            name = embed.snippet.path or embed.snippet.name  # a grid's default point is named x.py[...]
            blocks.append(Block(page, embed.start, embed.end, embed.indent, name, code, points))
    return blocks


def fence(info: str, code: str) -> str:
    """A fenced block that no backtick run inside ``code`` can close early."""
    return fenced(code, info).rstrip("\n")


def plain_block(block: Block) -> str:
    return fence("python", block.code)


def markdown_exec_block(block: Block) -> str:
    return fence('python exec="on" html="1"', block.code.rstrip() + "\n" + SVG_DUMP)


def write_docs_variant(site: RealSite, name: str, render) -> Path:
    """A copy of the docs folder with every executable block replaced by ``render(block)``."""
    dest = site.root / name
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(site.docs, dest)
    by_page: dict[str, list[Block]] = {}
    for block in site.blocks:
        by_page.setdefault(block.page, []).append(block)
    for page, blocks in by_page.items():
        path = dest / page
        lines = path.read_text(encoding="utf-8").split("\n")
        for block in sorted(blocks, key=lambda b: -b.start):
            text = render(block)
            lines[block.start - 1 : block.end] = [
                block.indent + line if line else line for line in text.split("\n")
            ]
        path.write_text("\n".join(lines), encoding="utf-8")
    _check_no_exec_left(dest)
    return dest


def write_notebook_pages(site: RealSite, docs: Path) -> None:
    """For markdown-exec: each notebook becomes a page with one exec block, in place of its ``.py``."""
    for block in site.notebooks:
        source = docs / block.page
        source.unlink()
        title = Path(block.page).stem.replace("-", " ").capitalize()
        page = f"# {title}\n\n" + markdown_exec_block(block) + "\n"
        source.with_suffix(".md").write_text(page, encoding="utf-8")


def _check_no_exec_left(docs: Path) -> None:
    """A variant must not keep a ```snippet fence the peers would show as YAML."""
    for path in docs.rglob("*.md"):
        for item in iter_fences(path.read_text(encoding="utf-8")):
            if is_embed(item.info) or (is_inline_exec(item.info) and "exec=" not in item.info):
                raise ValueError(f"{path}:{item.start}: a block was not rewritten for the peers")


def write_notebooks(site: RealSite, docs: Path) -> list[Path]:
    """Each snippet as a notebook page (``docs/notebooks/NN-name.ipynb``) for mkdocs-jupyter."""
    folder = docs / "notebooks"
    folder.mkdir(exist_ok=True)
    paths = []
    for number, (name, code) in enumerate(site.unique().items()):
        stem = re.sub(r"[^A-Za-z0-9]+", "-", Path(name.split("::")[0]).stem + name.partition("::")[2])
        notebook = nbformat.v4.new_notebook()
        notebook.cells = [
            nbformat.v4.new_markdown_cell(f"# {name}"),
            nbformat.v4.new_code_cell(code),
        ]
        notebook.metadata["kernelspec"] = {
            "name": "python3",
            "display_name": "Python 3",
            "language": "python",
        }
        path = folder / f"{number:02d}-{stem.strip('-')}.ipynb"
        nbformat.write(notebook, path)
        paths.append(path)
    return paths
