"""Figures served as files: the page holds one ``<picture>`` per figure, and the browser, without any
script, loads the drawing that fits the screen: the phone drawing (``engine/run/phone.py``) on a
narrow screen, the wide one elsewhere and in print. Turning a phone switches them.

Each file themes itself, as the inline figures did (``engine/figures/svgtheme.py``: the same colours
per palette). In an image no page style reaches in, so the file carries both palettes: the light one,
the dark one under ``@media (prefers-color-scheme: dark)`` (Material's own default follows it), and
either one forced by the URL's fragment: ``f.svg#dark`` or ``f.svg#light`` (``:root:has(#dark:target)``
in the file). ``SCRIPT`` sets that fragment from Material's palette switch, so a reader's choice there
wins; without scripts the system's preference rules.

Files are named by their content (``FIGURES_DIR``/sha256.svg) and linked relative to the page, so the
site works from ``file://`` and offline; each host publishes them where it publishes scrub variants.
Images below the fold load lazily, decoded off the main thread.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from site_tools.engine.figures.size import natural_size

FIGURES_DIR = "assets/site-tools/figures"
# A phone's screen, held upright (Material's own phone breakpoint is 44.9375em): print never matches.
PHONE_MEDIA = "screen and (max-width: 37.5em)"
SCRIPT_URI = "assets/site-tools/figure-palette.js"
_FILE_ID = "st"  # the prefix of every id inside a figure file (its only figure)
_RULE_RE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_PAGE_BG = re.compile(r"var\(--md-default-bg-color,(#[0-9a-fA-F]{6})\)")


@dataclass(frozen=True)
class Drawing:
    """One figure file: where it goes in the site, what it holds, and the size it is drawn at."""

    uri: str
    content: str
    width: float
    height: float


def drawing_file(svg: str) -> Drawing:
    """``svg`` as matplotlib wrote it, as a self-theming file named by its content. The page's
    ``<img>`` says what it shows (its alt), so one file serves every page that shows the figure."""
    from site_tools.engine.figures.svgtheme import render_inline_svg  # lxml: only for a new drawing

    themed = render_inline_svg(svg, figure_id=_FILE_ID, alt="figure")
    return drawing_of(_standalone(themed), svg)


def drawing_of(content: str, svg: str) -> Drawing:
    """The file ``content`` made from ``svg``, named by its content and sized as ``svg`` is drawn."""
    size = natural_size(svg) or (0.0, 0.0)
    digest = hashlib.sha256(content.encode()).hexdigest()[:20]
    return Drawing(f"{FIGURES_DIR}/{digest}.svg", content, *size)


def _standalone(themed: str) -> str:
    """The inline fragment's palette rules rewritten for a file shown as an image."""
    head, _, rest = themed.partition("<style>")
    css, _, body = rest.partition("</style>")
    root_scope = f"#{_FILE_ID}-svg"
    light, dark, other = [], [], []
    for selector, written in _RULE_RE.findall(css):
        declarations = _PAGE_BG.sub(r"\1", written)  # no page variable reaches an image
        if selector == root_scope and declarations.startswith("--st-"):
            light.append(declarations)
        elif selector.startswith('[data-md-color-scheme="slate"]'):
            dark.append(declarations)
        else:
            other.append(f"{selector}{{{declarations}}}")
    dark_rules = ";".join(dark)
    css = (
        f":root{{{';'.join(light)}}}"
        f"@media (prefers-color-scheme:dark){{:root:not(:has(#light:target)){{{dark_rules}}}}}"
        f":root:has(#dark:target){{{dark_rules}}}" + "".join(other)
    )
    for page_only in (' style="max-width:100%;height:auto"', ' role="img"', ' aria-label="figure"'):
        head = head.replace(page_only, "")
    head = head.replace("<title>figure</title>", "")
    targets = '<g id="light"/><g id="dark"/>'  # what the URL's fragment names
    return f'<?xml version="1.0" encoding="utf-8"?>\n{head}<style>{css}</style>{targets}{body}'


def drawing_palettes(content: str) -> dict[str, dict[str, str]]:
    """Each palette's value of each ``--st-*`` variable of a figure file: ``default`` as the file
    shows by itself, ``slate`` as ``#dark`` forces it (what a checker reads for each palette)."""
    css = content.partition("<style>")[2].partition("</style>")[0]
    rules = dict(_RULE_RE.findall(css))
    pairs = {"default": rules.get(":root", ""), "slate": rules.get(":root:has(#dark:target)", "")}
    return {
        palette: dict(part.split(":", 1) for part in body.split(";") if part.startswith("--st-"))
        for palette, body in pairs.items()
    }


def picture_html(
    wide: Drawing, phone: Drawing | None, *, alt: str, url: Callable[[str], str] | None, first: bool = False
) -> str:
    """The ``<picture>`` for a figure: its phone drawing's ``<source>`` where it has one, the wide
    drawing's ``<img>``. ``url(uri)`` links a site file from the page; without it (a scrub variant,
    put in by a script into whichever page) the files are named from the site's root in
    ``data-st-srcset``/``data-st-src``, which ``SCRIPT`` resolves. The page's ``first`` figure may
    be on the first screen, often as its largest paint: it loads at once (found by the browser's
    preload scanner); the others load as the reader nears them."""

    def link(attribute: str, uri: str) -> str:
        if url is None:
            return f'data-st-{attribute}="{html.escape(uri)}"'
        return f'{attribute}="{html.escape(url(uri))}"'

    source = ""
    if phone is not None:
        source = (
            f'<source media="{PHONE_MEDIA}" {link("srcset", phone.uri)} '
            f'width="{round(phone.width)}" height="{round(phone.height)}">'
        )
    lazy = "" if first else 'loading="lazy" '
    return (
        f'<picture class="st-drawing">{source}<img {link("src", wide.uri)} '
        f'width="{round(wide.width)}" height="{round(wide.height)}" alt="{html.escape(alt)}" '
        f'{lazy}decoding="async"></picture>'
    )


def embedded_img(drawing: Drawing, *, alt: str) -> str:
    """``drawing`` inside an ``<img>`` of its own (a ``data:`` URI), for a notebook read offline. An
    image, not inline SVG nor an ``image/svg+xml`` output: JupyterLab hides those in a notebook it does
    not trust (jupyterlab#10464, #9650). The file themes itself by the system's preference."""
    data = base64.b64encode(drawing.content.encode()).decode("ascii")
    return (
        f'<img src="data:image/svg+xml;base64,{data}" width="{round(drawing.width)}" '
        f'height="{round(drawing.height)}" alt="{html.escape(alt)}" style="max-width:100%;height:auto">'
    )


SCRIPT = r"""// site-tools: figures follow Material's palette switch (site_tools/render/figure_files.py).
// A figure file themes itself for the system's preference; its URL's fragment (#light, #dark)
// forces a palette. This sets the fragment of every figure's image from body[data-md-color-scheme]
// and keeps it so when the reader switches, or a page or a scrubbed variant brings new figures.
(function () {
  "use strict";

  // Files named from the site's root (a scrub variant's): this script is at assets/site-tools/.
  const script = document.currentScript;
  const SITE_ROOT = new URL("../../", script ? script.src : document.baseURI);

  // The fragment that makes the figures match the page's palette: none while the page follows the
  // system's preference (the files do too), so a first view changes no image's URL and loads each
  // once; #dark or #light only when the reader switched away from it.
  const systemDark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  function palette() {
    const scheme = document.body && document.body.getAttribute("data-md-color-scheme");
    if (!scheme) { return ""; }
    const dark = scheme === "slate";
    return dark === Boolean(systemDark && systemDark.matches) ? "" : dark ? "#dark" : "#light";
  }

  function withFragment(url, fragment) {
    return url.split("#")[0] + fragment;
  }

  function follow(root) {
    const fragment = palette();
    const pictures = root.matches && root.matches("picture.st-drawing") ? [root] : [];
    pictures.concat(Array.from(root.querySelectorAll("picture.st-drawing"))).forEach(function (picture) {
      picture.querySelectorAll("[data-st-srcset]").forEach(function (source) {
        source.setAttribute("srcset", new URL(source.dataset.stSrcset, SITE_ROOT).href);
        source.removeAttribute("data-st-srcset");
      });
      picture.querySelectorAll("img[data-st-src]").forEach(function (img) {
        img.setAttribute("src", new URL(img.dataset.stSrc, SITE_ROOT).href);
        img.removeAttribute("data-st-src");
      });
      picture.querySelectorAll("source").forEach(function (source) {
        const next = withFragment(source.getAttribute("srcset"), fragment);
        if (next !== source.getAttribute("srcset")) {
          source.setAttribute("srcset", next);
        }
      });
      const img = picture.querySelector("img");
      if (img && img.getAttribute("src")) {
        const next = withFragment(img.getAttribute("src"), fragment);
        if (next !== img.getAttribute("src")) {
          img.setAttribute("src", next);
        }
      }
    });
  }

  function start() {
    follow(document);
    new MutationObserver(function (changes) {
      if (changes.some(function (c) { return c.type === "attributes"; })) {
        follow(document);
        return;
      }
      changes.forEach(function (change) {
        change.addedNodes.forEach(function (node) {
          if (node.nodeType === 1) {
            follow(node.parentNode || node);
          }
        });
      });
    }).observe(document.body, {
      attributes: true, attributeFilter: ["data-md-color-scheme"], childList: true, subtree: true,
    });
  }

  if (document.body) {
    start();
  } else {
    document.addEventListener("DOMContentLoaded", start);
  }
})();
"""
