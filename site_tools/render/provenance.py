"""What made a figure, in one collapsed line under it, and the link a reader copies to point at it.

The provenance line is the one part of a page that changes between builds of the same sources (the
time a snippet ran, whether it came from the cache), so it is always one line of HTML with the class
``st-provenance``: tools comparing builds drop such lines. Search leaves it out
(``data-search-exclude``).
"""

from __future__ import annotations

import html

from site_tools.engine.model import RunResult

PROVENANCE_CLASS = "st-provenance"
FIGURE_META_CLASS = "st-figure-meta"  # the block after a <figure>: its permalink and provenance line


def provenance_html(result: RunResult, snippet: str) -> str:
    """One line: a closed ``<details>`` naming versions, device, seed, run time, when, key, cache."""
    versions = result.versions or ({"torch": result.torch_version} if result.torch_version else {})
    # A fixed order: a result read back from a cache holds its versions in another order.
    order = ("python", "torch", "numpy", "matplotlib")
    names = sorted(versions, key=lambda name: (order.index(name) if name in order else len(order), name))
    libraries = ", ".join(f"{name} {versions[name]}" for name in names if versions[name])
    facts = [
        f"<code>{html.escape(snippet)}</code>",
        libraries,
        f"device {result.device}" if result.device else "",
        f"seed {result.seed}" if result.seed is not None else "",
        f"ran {result.duration:.2f} s" if result.duration else "",
        f"at {result.finished_at.replace('T', ' ').replace('Z', ' UTC')}" if result.finished_at else "",
        f"key <code>{result.key[:12]}</code>",
        "from the cache" if result.cached else "computed in this build",
    ]
    body = " · ".join(html.escape(fact) if "<code>" not in fact else fact for fact in facts if fact)
    line = (
        f'<details class="{PROVENANCE_CLASS}" data-search-exclude><summary>Provenance</summary>'
        f"<p>{body}</p></details>"
    )
    return "\n" + line.replace("\n", " ") + "\n"


def permalink_html(figure_id: str) -> str:
    """A pilcrow linking to the figure itself, as headings have, for readers to copy."""
    return (
        f' <a class="st-permalink headerlink" href="#{html.escape(figure_id)}"'
        ' title="Link to this figure">¶</a>'
    )


STYLESHEET = "assets/site-tools/provenance.css"  # shipped through render/assets.py
CSS = """\
/* site-tools: cited values, figure permalinks and provenance lines (site_tools/render/provenance.py) */
.md-typeset .st-value { border-bottom: 1px dotted currentColor; cursor: help; }
.md-typeset .st-value-error { color: var(--md-typeset-color); background: #ffd6d6; }
.md-typeset .st-figure-meta { margin: -0.6em 0 1em; text-align: center; }
.md-typeset .st-figure-meta > .st-permalink { margin-left: 0; }
.md-typeset figure.st-figure:is(:hover, :target) + .st-figure-meta > .st-permalink { opacity: 1; }
.md-typeset details.st-provenance {
  margin: 0.2em 0 0; padding: 0; border: none; box-shadow: none; background: none;
  font-size: 0.62rem; color: var(--md-default-fg-color--light); text-align: left;
}
.md-typeset details.st-provenance > summary {
  display: inline; margin: 0; padding: 0; background: none; font-weight: normal; cursor: pointer;
}
.md-typeset details.st-provenance > summary::before,
.md-typeset details.st-provenance > summary::after { display: none; }
.md-typeset details.st-provenance > summary::marker { content: "⌄ "; }
.md-typeset details.st-provenance > p { margin: 0.2em 0; }
"""
