"""The files a host without site-wide events cannot make itself: written into the docs folder before
the host builds (``site-tools build --host zensical``), once every snippet has run.

The stylesheets and scripts of ``render.assets``, the ``.py``/``.ipynb`` downloads, the execution
report page, the variant files of scrubbable figures, every figure's drawings and, for each jupytext
notebook, a Markdown page at the URL mkdocs-jupyter gives it. The docs-relative paths written are
listed in a manifest, so that the MkDocs plugin leaves these copies out and makes its own, and a later
pre-step removes the files it no longer makes.
"""

from __future__ import annotations

import html
import json
import posixpath
from pathlib import Path

from site_tools.files import write_whole
from site_tools.render.assets import site_assets
from site_tools.site.figures import figure_drawings
from site_tools.site.notebooks import ipynb_uri, notebook_target, write_notebook
from site_tools.site.page import SLOT, PageRenderer
from site_tools.site.state import SiteState

MANIFEST = "host-files.json"  # in the engine's cache folder: docs-relative paths the pre-step wrote


def notebook_page_uri(ipynb_uri: str) -> str:
    """The Markdown page standing for ``tutorials/x.ipynb``: same folder and name, same URL."""
    return posixpath.splitext(ipynb_uri)[0] + ".md"


def host_files(state: SiteState, *, report_page: str) -> dict[str, str]:
    """docs-relative path -> content of every generated file; needs every result."""
    files = {asset.uri: asset.content for asset in site_assets()}
    for uri, content in state.download_files(lambda uri: uri in files):
        files[uri] = content()
    for src_uri in state.notebooks:
        page_uri = notebook_page_uri(ipynb_uri(src_uri))
        uri, target = notebook_target(state, src_uri, page_url=page_uri)  # linked as a post's figures
        download = write_notebook(state, src_uri, target, page_url=page_uri)
        if target.is_file() and download is not None:
            files[page_uri] = notebook_markdown(target.read_text(encoding="utf-8"))
            # Where mkdocs-jupyter puts it, beside the page: tutorials/x/x.ipynb.
            files[posixpath.join(posixpath.splitext(uri)[0], posixpath.basename(uri))] = download.read_text(
                encoding="utf-8"
            )
    if report_page:
        files[report_page] = state.report_content(report_page)
    files.update(variant_files(state))
    files.update(figure_files(state))
    return files


def figure_files(state: SiteState) -> dict[str, str]:
    """Every drawing of every embedded figure, scrub variants included (``render/figure_files.py``):
    named by their content, so the same as the pages the host renders next will link."""
    files = dict(state.figure_files)
    for scan in state.inventory.pages.values():
        for block in scan.blocks:
            for snippet in block.embed.runs if block.embed is not None else ():
                result = state.engine.result(snippet)
                for figure in result.figures if result is not None and result.ok else ():
                    for drawing in figure_drawings(state.engine.cache, result.key, figure):
                        if drawing is not None:
                            files[drawing.uri] = drawing.content
    return files


def variant_files(state: SiteState) -> dict[str, str]:
    """Every scrubbable figure's variant files (``render/scrub.py``). Each page holding one has its
    outputs rendered once here, by the code that renders it on the host, so the files (named by their
    content) are exactly those its HTML will link to."""
    for page, scan in state.inventory.pages.items():
        if any(block.embed is not None and block.embed.variants for block in scan.blocks):
            src_uri = page.removeprefix(state.docs_prefix + "/")
            renderer = PageRenderer(state, src_uri, url=src_uri, show_problems=False)
            renderer.content("".join(SLOT.format(index) for index in range(len(scan.blocks))))
    return dict(state.variant_files)


def notebook_markdown(ipynb: str) -> str:
    """An executed notebook as a Markdown page: prose cells as written, code as fenced Python, and
    outputs as mkdocs-jupyter shows them (text in a block, figures as their inline HTML)."""
    notebook = json.loads(ipynb)
    parts: list[str] = []
    for cell in notebook.get("cells", []):
        source = "".join(cell.get("source", ""))
        if cell.get("cell_type") == "markdown":
            parts.append(source)
        elif cell.get("cell_type") == "code":
            parts.append(f"```python\n{source}\n```")
            for output in cell.get("outputs", []):
                if output.get("output_type") == "stream":
                    text = html.escape("".join(output.get("text", "")))
                    parts.append(f'<pre class="st-notebook-{output.get("name", "stdout")}">{text}</pre>')
                elif "text/html" in output.get("data", {}):
                    parts.append(
                        f'<div class="st-notebook-output">{"".join(output["data"]["text/html"])}</div>'
                    )
    return "\n\n".join(parts) + "\n"


def write_host_files(docs_dir: Path, files: dict[str, str], manifest: Path) -> list[str]:
    """Write ``files`` under ``docs_dir`` (only those that changed: a serving host would rebuild), remove
    what the last pre-step wrote and this one did not, and record the paths; returns those written."""
    written = []
    for uri, content in files.items():
        target = docs_dir / uri
        if target.is_file() and target.read_text(encoding="utf-8", errors="replace") == content:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
        written.append(uri)
    for uri in set(previous_host_files(manifest)) - set(files):
        (docs_dir / uri).unlink(missing_ok=True)
    manifest.parent.mkdir(parents=True, exist_ok=True)
    manifest.write_text(json.dumps(sorted(files), indent=1), encoding="utf-8")
    return written


def publish_named_files(site_dir: Path, files: dict[str, str]) -> None:
    """Write into the built site each of ``files`` it lacks: figures' drawings, named by their
    content, so one already there is the same file. For a host that renders pages through the
    extension alone (a plain ``zensical build|serve``: no pre-step wrote them into the docs folder).

    Zensical renders pages on several threads at once, each adding its page's drawings to ``files``:
    this walks a copy (copying a dict is one step under the GIL) and writes each file whole
    (``files.write_whole``), so no reader sees half a drawing."""
    for uri, content in dict(files).items():
        target = site_dir / uri
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            write_whole(target, content)


def previous_host_files(manifest: Path) -> list[str]:
    try:
        listed = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [uri for uri in listed if isinstance(uri, str)] if isinstance(listed, list) else []
