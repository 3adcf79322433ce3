"""Collapsed "Source" boxes that cost a reader nothing until one is opened.

A snippet's code is highlighted token by token, with an anchor per line: in a long post that is most
of the page's elements, all parsed, styled and laid out for readers who never open a box. So the
box's code goes into a ``<noscript>`` inside its ``<details>`` (``defer_code``, run on each page's HTML
on every host): with scripting on, a browser keeps a ``<noscript>``'s content as one text node, no
elements; with scripting off, the code is there as before and opening the box shows it. A small
script (``SCRIPT``, shipped through render/assets.py) puts the code into the box when a reader opens
it, when a link names one of its lines (``#__codelineno-0-12``: the box opens at that line), or when
the page is printed, and gives it the copy button Material gives code blocks.

Search, feeds and the page's bytes are as before: the code stays in the HTML, where the search
index, the page's text and JavaScript-free readers find it.
"""

from __future__ import annotations

import re

CLASS = "st-source"  # on the <details> of a collapsed source box (render/html.py: source_markdown)
HELD_CLASS = "st-source-code"  # the <noscript> that holds its code
SCRIPT_URI = "assets/site-tools/source.js"

# The box as pymdownx.details writes it. The code inside is escaped, so the first </details> ends it.
_BOX = re.compile(
    rf'(<details class="[^"]*\b{CLASS}\b[^"]*"[^>]*>\s*<summary>.*?</summary>)(.*?)(</details>)', re.S
)


def defer_code(html: str) -> str:
    """``html`` with each collapsed source box's content held in a ``<noscript>`` until it opens."""
    if CLASS not in html:
        return html

    def hold(match: re.Match[str]) -> str:
        if f'<noscript class="{HELD_CLASS}">' in match[2] or not match[2].strip():
            return match[0]
        return f'{match[1]}<noscript class="{HELD_CLASS}">{match[2].strip()}</noscript>{match[3]}'

    return _BOX.sub(hold, html)


SCRIPT = r"""// site-tools: "Source" boxes cost nothing until opened (site_tools/render/source_box.py).
// The build holds each box's highlighted code in a <noscript>, which a browser running scripts keeps
// as one text node. The code goes into its box when a reader opens it (or its summary is clicked),
// when the URL names an element in it (a line: #__codelineno-0-12; the box opens at that line), and
// before printing; it gets the copy button Material gives every code block (Material's clipboard
// handler listens on the whole document, so a button added later copies too).
(function () {
  "use strict";
  const BOX = "details.@CLASS@";
  const HELD = ":scope > noscript.@HELD_CLASS@";

  const config = (function () {
    const element = document.getElementById("__config");
    try {
      return element ? JSON.parse(element.textContent) : {};
    } catch (error) {
      return {};
    }
  })();
  const copies = (config.features || []).indexOf("content.code.copy") >= 0;
  const copyTitle = (config.translations || {})["clipboard.copy"] || "Copy to clipboard";

  let count = 0;

  function copyButton(pre) {
    const code = pre.querySelector(":scope > code");
    if (!copies || !code || pre.querySelector(".md-code__nav, .md-clipboard")) {
      return;
    }
    while (!pre.id || document.querySelectorAll("#" + CSS.escape(pre.id)).length > 1) {
      pre.id = "__code_st-" + count++; // Material names the code blocks it sees __code_0, __code_1, ...
    }
    const nav = document.createElement("nav");
    nav.className = "md-code__nav";
    const button = document.createElement("button");
    button.className = "md-code__button";
    button.title = copyTitle;
    button.setAttribute("data-clipboard-target", "#" + pre.id + " > code");
    button.setAttribute("data-md-type", "copy");
    nav.appendChild(button);
    pre.insertBefore(nav, code);
    code.tabIndex = 0;
  }

  function fill(box) {
    const held = box.querySelector(HELD);
    if (!held) {
      return;
    }
    held.insertAdjacentHTML("beforebegin", held.textContent);
    held.remove();
    for (const pre of box.querySelectorAll("pre")) {
      copyButton(pre);
    }
  }

  // A fragment naming an element that waits in a closed box: open the box there.
  function reveal() {
    let id = location.hash.slice(1);
    try {
      id = decodeURIComponent(id);
    } catch (error) {
      return;
    }
    if (!id || document.getElementById(id)) {
      return;
    }
    const escaped = id.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
    for (const box of document.querySelectorAll(BOX)) {
      const held = box.querySelector(HELD);
      if (held && held.textContent.indexOf('id="' + escaped + '"') >= 0) {
        fill(box);
        box.open = true;
        const target = document.getElementById(id);
        if (target) {
          // Navigate to the same fragment again: the line becomes :target (highlighted) and scrolls
          // into view, without a reload or a new history entry.
          location.replace(location.href);
          target.scrollIntoView();
        }
        return;
      }
    }
  }

  document.addEventListener(
    "click",
    function (event) {
      const summary = event.target instanceof Element && event.target.closest("summary");
      const box = summary && summary.parentElement;
      if (box && box.matches(BOX)) {
        fill(box); // before the box opens: no empty frame
      }
    },
    true
  );
  document.addEventListener(
    "toggle",
    function (event) {
      const box = event.target;
      if (box instanceof Element && box.matches(BOX) && box.open) {
        fill(box);
      }
    },
    true
  );
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll(BOX).forEach(fill);
  });
  window.addEventListener("hashchange", reveal);
  if (typeof document$ !== "undefined" && typeof document$.subscribe === "function") {
    document$.subscribe(reveal); // Material: on load and after each instant navigation
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", reveal);
  } else {
    reveal();
  }
})();
""".replace("@CLASS@", CLASS).replace("@HELD_CLASS@", HELD_CLASS)
