"""The text-only twin of a built post: the same page with every computed part taken out.

Usage: ``.venv/bin/python bench/lighthouse/twin.py PAGE.html TWIN.html`` (prints what it removed).

The twin is the yardstick of the Lighthouse bench (``bench/lighthouse/run.py``): a post should
score within 5 points of its twin. Its rules are FROZEN as of commit ae3ce40 (the "before" table,
``bench/results/lighthouse-before.md``): they name what marks a computed part *by meaning* (our
``st-`` class prefix, our assets folder, the snippet sources' box, the download links) rather than
by the exact markup of one version, so a later change of the pages' markup still leaves a twin with
no computed part. Do not loosen them to follow a markup change; the twin must stay the same page
a reader would get if the post had no computed part at all.

What is removed, in this order (each rule's count is reported):

1. ``computed``: every element one of whose classes starts with ``st-`` (``figure.st-figure`` with
   its SVG, caption, permalink, provenance ``details.st-provenance`` and scrub controls;
   ``div.st-stdout`` outputs; ``p.st-downloads``; anything new our renderer marks ``st-…``), every
   element with a ``data-st-…`` attribute, and every ``<figure>`` whose ``id`` starts with ``fig-``
   (our figures' anchors). Exception: inline values ``span.st-value`` (a number computed by a
   snippet inside a sentence) are *unwrapped*, not removed: their text stays, as plain prose.
2. ``source``: the collapsed "Source" boxes: every ``<details>`` whose ``<summary>`` text starts with
   "Source" (today ``details.example`` with ``Source: snippets/….py``) and every ``<details>``
   holding a ``span.filename`` that names a ``.py`` file.
3. ``downloads``: every ``<a download>`` and every link to a ``.ipynb`` or to ``/downloads/``; a
   paragraph left with only "Download:" and separators goes too.
4. ``styles``: every ``<style>`` in ``<body>`` (Material puts none there; ours hold the figures' ink
   variables) and every ``<style>`` anywhere whose text mentions ``--st-``, ``.st-`` or ``#fig-``.
5. ``assets``: every ``<link>``/``<script>``/``<img>``/``<source>``/``<object>``/``<iframe>`` whose
   ``href``/``src``/``data`` points into our assets folder (``site-tools/`` or ``site_tools/``)
   or at a figure file (``/figures/``, ``/variants/``): the CSS and JS that exist only for the
   computed parts (zoom, scrub, provenance) and any figure file, preload or prefetch.
6. ``empty wrappers``: an element of the article left empty (no text, no element that shows
   something: ``img``, ``svg``, ``video``, ``iframe``, ``input``, ``hr``, ``br``) by the rules above is
   removed too, up to the ``<article>``, so "whatever wraps them" goes with them.

Kept: the theme (header, navigation, search, footer, Material's CSS and JS, fonts, KaTeX) and
the prose (headings, paragraphs, lists, tags). Parsed and written with BeautifulSoup's
``html.parser`` (which keeps inline SVG icons and ``<template>`` intact); no regexes on HTML.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag

ST_PREFIX = "st-"
# Rule 1 as CSS selectors (soupsieve), besides the class-prefix and data-attribute checks below.
COMPUTED_SELECTORS = (
    "figure.st-figure",
    "figure[id^='fig-']",
    "[class^='st-']",
    "[class*=' st-']",
    ".st-stdout",
    ".st-downloads",
    ".st-provenance",
    ".st-scrub-view",
    ".st-scrub-template",
    ".st-scrub-controls",
    ".st-scrub-live",
)
UNWRAP_CLASSES = ("st-value",)
SOURCE_SELECTORS = ("details",)  # kept only if the summary/filename test below says "Source"
DOWNLOAD_SELECTORS = ("a[download]", "a[href$='.ipynb']", "a[href*='/downloads/']")
ASSET_TAGS = ("link", "script", "img", "source", "object", "iframe", "embed")
ASSET_MARKERS = ("site-tools/", "site_tools/", "/figures/", "/variants/")
STYLE_MARKERS = ("--st-", ".st-", "#fig-")
SHOWS_SOMETHING = ("img", "svg", "video", "audio", "iframe", "input", "hr", "br", "canvas", "object")
DOWNLOAD_LEFTOVER = re.compile(r"^[\s·|,;:\-–—]*(download[s]?)?[\s·|,;:\-–—]*$", re.IGNORECASE)


def _classes(tag: Tag) -> list[str]:
    value = tag.get("class") or []
    return value.split() if isinstance(value, str) else list(value)


def _is_computed(tag: Tag) -> bool:
    if any(name.startswith(ST_PREFIX) for name in _classes(tag)):
        return True
    if any(attr.startswith("data-st-") for attr in tag.attrs):
        return True
    return tag.name == "figure" and str(tag.get("id", "")).startswith("fig-")


def _is_source_box(tag: Tag) -> bool:
    summary = tag.find("summary")
    if summary is not None and summary.get_text(" ", strip=True).lower().startswith("source"):
        return True
    return any(span.get_text(strip=True).endswith(".py") for span in tag.select("span.filename"))


def _shows_something(tag: Tag) -> bool:
    if tag.get_text(strip=True):
        return True
    return tag.name in SHOWS_SOMETHING or tag.find(SHOWS_SOMETHING) is not None


def _alive(tag: Tag) -> bool:
    return tag.parent is not None


def make_twin(html: str) -> tuple[str, Counter]:
    """Return ``(twin_html, removed)``: the text-only twin and how many elements each rule took."""
    soup = BeautifulSoup(html, "html.parser")
    removed: Counter = Counter()
    parents: list[Tag] = []

    def drop(tag: Tag, rule: str) -> None:
        if not _alive(tag):
            return
        if tag.parent is not None:
            parents.append(tag.parent)
        tag.decompose()
        removed[rule] += 1

    # 1. computed parts (inline values unwrapped first, so their text survives as prose)
    for tag in soup.find_all(lambda t: bool(set(_classes(t)) & set(UNWRAP_CLASSES))):
        if _alive(tag):
            tag.replace_with(NavigableString(tag.get_text()))
            removed["values unwrapped"] += 1
    candidates = [t for sel in COMPUTED_SELECTORS for t in soup.select(sel)]
    candidates += soup.find_all(_is_computed)
    for tag in candidates:
        if _alive(tag) and _is_computed(tag):
            drop(tag, "computed")
    # 2. the snippet sources' boxes
    for sel in SOURCE_SELECTORS:
        for tag in soup.select(sel):
            if _alive(tag) and _is_source_box(tag):
                drop(tag, "source")
    # 3. download links, and a paragraph left with only "Download:"
    for sel in DOWNLOAD_SELECTORS:
        for tag in soup.select(sel):
            if not _alive(tag):
                continue
            parent = tag.parent
            drop(tag, "downloads")
            leftover = parent is not None and parent.name == "p" and _alive(parent)
            if leftover and DOWNLOAD_LEFTOVER.match(parent.get_text()) and not parent.find(SHOWS_SOMETHING):
                drop(parent, "downloads")
    # 4. the figures' styles
    for tag in soup.find_all("style"):
        text = tag.get_text()
        in_body = any(p.name == "body" for p in tag.parents)
        if in_body or any(marker in text for marker in STYLE_MARKERS):
            drop(tag, "styles")
    # 5. the assets that exist only for computed parts
    for tag in soup.find_all(ASSET_TAGS):
        refs = " ".join(str(tag.get(a, "")) for a in ("href", "src", "data", "srcset"))
        if _alive(tag) and any(marker in refs for marker in ASSET_MARKERS):
            drop(tag, "assets")
    # 6. wrappers left empty, up to the article
    while parents:
        tag = parents.pop()
        if not _alive(tag) or tag.name in ("article", "body", "html", "head", "[document]"):
            continue
        if not any(p.name == "article" for p in tag.parents):
            continue
        if not _shows_something(tag):
            drop(tag, "empty wrappers")
    return str(soup), removed


def check(twin_html: str) -> list[str]:
    """What computed part a twin still holds (empty when it is clean): a self-check."""
    soup = BeautifulSoup(twin_html, "html.parser")
    left = [f"{t.name}.{'.'.join(_classes(t))}" for t in soup.find_all(_is_computed)]
    left += [f"details:{t.find('summary')}" for t in soup.find_all("details") if _is_source_box(t)]
    left += [f"{t.name}:{t.get('href')}" for sel in DOWNLOAD_SELECTORS for t in soup.select(sel)]
    return left


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", type=Path, help="a built page (index.html)")
    parser.add_argument("twin", type=Path, help="where to write its text-only twin")
    args = parser.parse_args(argv)
    html = args.page.read_text(encoding="utf-8")
    twin, removed = make_twin(html)
    args.twin.parent.mkdir(parents=True, exist_ok=True)
    args.twin.write_text(twin, encoding="utf-8")
    counts = ", ".join(f"{rule} {n}" for rule, n in sorted(removed.items())) or "nothing"
    print(f"{args.page} -> {args.twin}: {len(html)} -> {len(twin)} bytes; removed {counts}")
    left = check(twin)
    if left:
        print(f"twin still holds computed parts: {left}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
