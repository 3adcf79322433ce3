"""A scrubbable figure in the page: the default variant inline, a control per parameter, the other
variants as small JSON files the page's script fetches when a reader first picks them.

Host-free: ``scrub_parts`` returns what goes into the ``<figure>`` and the files to publish
(``{site uri: content}``); each host ships those files its own way. The script and its stylesheet
are in ``scrub_script.py`` and ``scrub_style.py``, shipped with every page through ``render/assets.py``.

In the HTML: ``<figure class="st-figure" data-st-scrub="{...}">``, the figure's SVG inside
``<div class="st-scrub-view">``, the controls in a ``<template>`` the script copies into the figure
(so a reader without JavaScript, a feed or a search index sees the default and no dead control),
and an ``aria-live`` line that reads out the new alt text; before them, a sentence that tells a
reader without the controls what could vary. Figures of a page that vary a parameter of the same
name are linked (engine/collect/linked.py checks they agree): the script moves them together.
Each variant file is named by its digest (``variant_uri``), which the script checks.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from site_tools.engine.collect.grid import Point, is_ordered, param_text, variant_label
from site_tools.engine.model import Embed, RunResult
from site_tools.engine.sizes import utf8_size
from site_tools.render.budgets import human
from site_tools.render.values import ROLE, Citation, Citer, find, resolve

VARIANTS_DIR = "assets/site-tools/variants"  # where the variant files go in the built site
SCRUB_BUDGET_KB = 8192  # all variants of one scrubbable figure together (``scrub_budget_kb``): 256 of 32 KiB
DIGEST_HEX = 20  # hex digits of SHA-256 in a variant file's name: its digest, checked by the script

# (variant's result, svg, figure id, alt) -> the themed inline SVG the page would show for it
VariantRenderer = Callable[[RunResult, str, str, str], str]


@dataclass
class ScrubParts:
    """What one scrubbable figure adds: attributes and inner HTML of its ``<figure>``, and files."""

    attributes: str
    controls: str

    def figure(self, rendered: str) -> str:
        """The figure's inner part: the rendered SVG in its view, then the controls."""
        return f'<div class="st-scrub-view">{rendered}</div>{self.controls}'

    files: dict[str, str] = field(default_factory=dict)  # site uri -> JSON of one variant
    sizes: dict[str, int] = field(default_factory=dict)  # variant label -> bytes of its file


def fragment_label(point: Point) -> str:
    """The variant as the URL fragment and the script name it: ``lr=0.1,activation=relu``."""
    return variant_label(point, ",")


def scrub_parts(
    embed: Embed,
    results: Mapping[Point, RunResult],
    *,
    fig_id: str,
    page_text: str,
    citer_for: Callable[[RunResult], Citer],
    caption: str,
    alt: str,
    render_variant: VariantRenderer,
    own: str | None,
) -> ScrubParts:
    """The figure's controls and its variant files. ``results``: every point's (successful) result;
    ``citer_for(result)`` cites values as that variant computed them. ``caption`` and ``alt`` are the
    embed's, citations unresolved; ``own`` is how they name the embed's snippet when they leave it out
    (``x.py``, relative to ``snippets/``). Variant files are named from the site's root: the script
    resolves them against its own URL (a host rewrites links, not data attributes)."""
    cited = [c for c in find(page_text) if c.snippet == own and not c.problem] if ROLE in page_text else []
    files: dict[str, str] = {}
    links: dict[str, str] = {}
    sizes: dict[str, int] = {}
    for point, result in results.items():
        if point == embed.options.default:
            continue
        citer = citer_for(result)
        variant_alt = citer.plain(alt, own)
        content = variant_payload(
            render_variant(result, result.figures[0].svg, fig_id, variant_alt),
            citer.caption_html(caption, own) if caption else "",
            variant_alt,
            _values(cited, citer),
            alt_html=citer.caption_html(alt, own) if alt_follows(alt, own) else None,
        )
        uri = variant_uri(content)
        files[uri] = content
        label = fragment_label(point)
        links[label] = uri
        sizes[label] = utf8_size(content)
    data = {"source": embed.snippet.path, "default": fragment_label(embed.options.default), "variants": links}
    attributes = f' data-st-scrub="{html.escape(json.dumps(data, separators=(",", ":")))}"'
    default_alt = citer_for(results[embed.options.default]).plain(alt, own)
    return ScrubParts(attributes, controls_html(embed, fig_id, alt=default_alt), files, sizes)


def variant_payload(
    drawing: str, caption: str, alt: str, values: Mapping[str, str], *, alt_html: str | None = None
) -> str:
    """One variant's file: its drawing (the page script's ``applyDrawing`` puts it in the figure),
    caption, alt text and the texts of the values the page cites from its snippet; and, for an alt
    text that cites another snippet (``alt_follows``), that alt as HTML for the script to fill."""
    payload = {"svg": drawing, "caption": caption, "alt": alt, "values": dict(values)}
    if alt_html is not None:
        payload["altHtml"] = alt_html
    return json.dumps(payload, sort_keys=True, separators=(",", ":"))


def alt_follows(alt: str, own: str | None) -> bool:
    """Whether an alt text cites another snippet than its figure's own (``own``): that snippet's
    figure may be moved by the reader, so the page carries the alt as HTML (``data-st-alt``) and the
    script writes it anew from the values each figure shows. A caption needs none of this: its
    cited values are elements of the page already."""
    return ROLE in alt and any(c.snippet not in (None, own) for c in find(alt, skip_fences=False))


def variant_uri(content: str) -> str:
    """Where a variant file goes, named by its digest: the page's script refuses a file that does
    not hash to its name (cut short, or left from another build)."""
    return f"{VARIANTS_DIR}/{hashlib.sha256(content.encode()).hexdigest()[:DIGEST_HEX]}.json"


def static_sentence(embed: Embed) -> str:
    """What a reader without the controls (no JavaScript, ``file://``, a feed) is told could vary."""
    default = dict(embed.options.default)
    shown = ", ".join(f"{name} = {param_text(default[name])}" for name, _ in embed.options.vary)
    choices = "; ".join(
        f"{name} from {', '.join(map(param_text, values))}" for name, values in embed.options.vary
    )
    return (
        f'<p class="st-scrub-static">Shown for {html.escape(shown)}. On the web page, with JavaScript, '
        f"you can choose {html.escape(choices)}, and every figure and number of the post that "
        "depends on it follows.</p>"
    )


def controls_html(embed: Embed, fig_id: str, *, alt: str) -> str:
    """The controls (in a ``<template>``: the script shows them) and the line screen readers hear."""
    default = dict(embed.options.default)
    controls = []
    for name, values in embed.options.vary:
        texts = [param_text(value) for value in values]
        chosen = texts.index(param_text(default[name]))
        control_id = f"{fig_id}-{name}"
        if is_ordered(values):
            controls.append(
                f'<div class="st-scrub-control"><label for="{control_id}">{html.escape(name)}</label> '
                f'<input type="range" id="{control_id}" name="{html.escape(name)}" min="0" '
                f'max="{len(values) - 1}" step="1" value="{chosen}" '
                f'aria-valuetext="{html.escape(texts[chosen])}" '
                f'data-values="{html.escape(json.dumps(texts, ensure_ascii=False))}"> '
                f'<output for="{control_id}">{html.escape(texts[chosen])}</output></div>'
            )
        else:
            radios = "".join(
                f'<label><input type="radio" name="{control_id}" value="{html.escape(text)}"'
                f"{' checked' if n == chosen else ''}> {html.escape(text)}</label>"
                for n, text in enumerate(texts)
            )
            controls.append(
                f'<div class="st-scrub-control" role="radiogroup" aria-labelledby="{control_id}-label" '
                f'data-param="{html.escape(name)}"><span id="{control_id}-label">{html.escape(name)}</span> '
                f"{radios} <output>{html.escape(texts[chosen])}</output></div>"
            )
    return (
        f"{static_sentence(embed)}"
        f'<template class="st-scrub-template"><div class="st-scrub-controls">{"".join(controls)}</div>'
        f'</template><p class="st-scrub-live" aria-live="polite" data-alt="{html.escape(alt)}"></p>'
    )


def _values(cited: list[Citation], citer: Citer) -> dict[str, str]:
    """``"snippets/x.py:name|spec"`` -> the text that variant shows for that citation."""
    found: dict[str, str] = {}
    for citation in cited:
        outcome = resolve(citation, citer.sources)
        if not outcome.problem:
            found[f"{outcome.source}|{citation.spec}"] = outcome.text
    return found


def budget_problem(where: str, name: str, sizes: Mapping[str, int], budget_kb: int) -> str | None:
    """Why the variant files of one scrubbable figure are too large together, or None."""
    total = sum(sizes.values())
    if not budget_kb or total <= budget_kb * 1024:
        return None
    largest = max(sizes, key=lambda label: sizes[label])
    return (
        f"{where}: {name}: its {len(sizes)} other variants take {human(total)} together, over the "
        f"budget of {budget_kb} KiB for one scrubbable figure (`scrub_budget_kb`); the largest is "
        f"{largest} ({human(sizes[largest])}): vary fewer values, or make the figure lighter"
    )
