"""Figures a phone reader can read: enlarge any figure to the full screen and zoom into it.

A small script of our own (no framework, nothing fetched) adds an "Enlarge" button under each
``figure.st-figure`` (a tap on the figure does the same). It moves the figure's themed SVG into a
modal dialog at the size it was drawn (which a phone's column shrinks) or larger, where buttons, keys (+, -,
0, F, arrows, Esc) and scrolling zoom and pan, and puts it back on close. Both files ship through
render/assets.py.
"""

from __future__ import annotations

SCRIPT = "assets/site-tools/zoom.js"
STYLESHEET = "assets/site-tools/zoom.css"

JS = r"""// site-tools: enlarge a figure to the full screen and zoom into it (site_tools/render/zoom.py).
// Each figure.st-figure gets an "Enlarge" button under it (a tap on the figure does the same). It
// opens a modal <dialog> holding the figure's own SVG (moved, not copied, so its ids and its palette
// rules stay as they are), at the size the figure was drawn at (which a phone's column shrinks) or
// larger, to fill a wide screen. Buttons and keys zoom (+, -, 0 for the drawn size, F to fit the
// screen); the arrows and a finger pan; Esc or Close put the figure back where it was and give the
// focus back to its button. Nothing is fetched. Material's instant navigation swaps pages without a
// reload: binding follows its document$ when there is one.
(function () {
  "use strict";

  const STEP = 1.25;
  const MIN = 0.25;
  const MAX = 8;
  let dialog = null;
  let view = null;
  let open = null; // { svg, figure, next, style, button, natural, scale }

  function button(label, text, action) {
    const element = document.createElement("button");
    element.type = "button";
    element.className = "st-zoom-button";
    element.setAttribute("aria-label", label);
    element.title = label;
    element.textContent = text;
    element.addEventListener("click", action);
    return element;
  }

  function makeDialog() {
    dialog = document.createElement("dialog");
    dialog.className = "st-zoom";
    dialog.setAttribute("aria-label", "Enlarged figure");
    const bar = document.createElement("div");
    bar.className = "st-zoom-bar";
    bar.append(
      button("Zoom out (-)", "\u2212", function () { zoom(open.scale / STEP); }),
      button("Zoom in (+)", "+", function () { zoom(open.scale * STEP); }),
      button("Drawn size (0)", "1:1", function () { zoom(1); }),
      button("Fit the screen (F)", "Fit", function () { zoom(fit()); }),
      button("Close (Esc)", "\u2715", function () { dialog.close(); })
    );
    view = document.createElement("div");
    view.className = "st-zoom-view";
    view.tabIndex = 0; // arrows pan it
    dialog.append(bar, view);
    dialog.addEventListener("keydown", keys);
    dialog.addEventListener("close", restore);
    document.body.append(dialog);
  }

  function keys(event) {
    if (!open || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    const actions = {
      "+": function () { zoom(open.scale * STEP); },
      "=": function () { zoom(open.scale * STEP); },
      "-": function () { zoom(open.scale / STEP); },
      "0": function () { zoom(1); },
      f: function () { zoom(fit()); },
      F: function () { zoom(fit()); },
    };
    if (actions[event.key]) {
      event.preventDefault();
      actions[event.key]();
    }
  }

  function fit() {
    const width = view.clientWidth / open.natural.width;
    const height = view.clientHeight / open.natural.height;
    return Math.min(width, height);
  }

  function zoom(scale) {
    // Keep the point at the middle of the view where it is, as far as the edges allow.
    const middleX = (view.scrollLeft + view.clientWidth / 2) / open.scale;
    const middleY = (view.scrollTop + view.clientHeight / 2) / open.scale;
    open.scale = Math.min(MAX, Math.max(MIN, scale));
    open.svg.style.width = open.natural.width * open.scale + "px";
    open.svg.style.height = open.natural.height * open.scale + "px";
    view.scrollLeft = middleX * open.scale - view.clientWidth / 2;
    view.scrollTop = middleY * open.scale - view.clientHeight / 2;
  }

  function size(svg) {
    // The size the figure was drawn at: an image's own (the drawing its <picture> chose), or its
    // width and height attributes, else its view box.
    if (svg.naturalWidth) {
      return { width: svg.naturalWidth, height: svg.naturalHeight };
    }
    const box = svg.viewBox && svg.viewBox.baseVal;
    const width = parseFloat(svg.getAttribute("width")) || (box && box.width) || svg.clientWidth;
    const height = parseFloat(svg.getAttribute("height")) || (box && box.height) || svg.clientHeight;
    return { width: width, height: height };
  }

  // The figure's drawing in its box (in a scrubbable figure, the variant its view shows now): an
  // inline SVG, or the <picture> of its files (site_tools/render/figure_files.py).
  function figureSvg(figure) {
    return figure.querySelector(".st-fig-box > svg, .st-fig-box > picture");
  }

  // What is sized: the SVG, or the picture's image.
  function drawn(element) {
    return element.querySelector("img") || element;
  }

  function enlarge(figure, trigger) {
    const moved = figureSvg(figure);
    if (!moved || !dialog || open) {
      return;
    }
    const svg = drawn(moved);
    open = {
      svg: svg,
      moved: moved,
      figure: figure,
      parent: moved.parentNode,
      next: moved.nextSibling,
      style: svg.getAttribute("style"),
      button: trigger,
      natural: size(svg),
      scale: 1,
    };
    svg.setAttribute("style", "max-width:none;display:block;margin:auto");
    view.append(moved);
    dialog.showModal();
    zoom(Math.max(1, fit())); // a phone: the drawn size, to pan; a wide screen: fill it
    view.focus();
  }

  function restore() {
    if (!open) {
      return;
    }
    if (open.style === null) {
      open.svg.removeAttribute("style");
    } else {
      open.svg.setAttribute("style", open.style);
    }
    open.parent.insertBefore(open.moved, open.next);
    const trigger = open.button;
    open = null;
    trigger.focus();
  }

  function bind(root) {
    if (typeof HTMLDialogElement === "undefined") {
      return; // a browser without <dialog>: the figure stays as it is
    }
    if (!dialog || !document.body.contains(dialog)) {
      makeDialog();
    }
    for (const figure of root.querySelectorAll("figure.st-figure")) {
      if (figure.querySelector(":scope > .st-zoom-open") || !figureSvg(figure)) {
        continue;
      }
      const trigger = button("Enlarge the figure", "", function () { enlarge(figure, trigger); });
      trigger.classList.add("st-zoom-open"); // its icon is drawn by the stylesheet
      // under the drawing, before the caption (which stays the figure's last child)
      figure.insertBefore(trigger, figure.querySelector(":scope > figcaption"));
      figure.addEventListener("click", function (event) {
        const svg = figureSvg(figure); // looked up at each tap: a scrubbable figure swaps its SVG
        if (svg && svg.contains(event.target)) {
          enlarge(figure, trigger); // a tap on the figure itself, too (ignored once it is enlarged)
        }
      });
    }
  }

  if (typeof document$ !== "undefined" && typeof document$.subscribe === "function") {
    document$.subscribe(function () {
      bind(document);
    });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      bind(document);
    });
  } else {
    bind(document);
  }
})();
"""

CSS = """\
/* site-tools: enlarge and zoom figures (site_tools/render/zoom.py) */
.md-typeset figure.st-figure .st-fig-box > :is(svg, picture) { cursor: zoom-in; }
.md-typeset figure.st-figure > .st-zoom-open {
  display: inline-flex; vertical-align: middle; min-width: 0; min-height: 0; padding: 0.45rem;
  border-radius: 0.2rem; color: var(--md-default-fg-color--light); background: none; cursor: zoom-in;
}
/* The icon: four corners, drawn in the text colour (no image to fetch, no glyph a font may lack). */
.md-typeset figure.st-figure > .st-zoom-open::before {
  content: ""; display: block; width: 0.8rem; height: 0.8rem;
  --c: linear-gradient(currentColor, currentColor);
  background:
    var(--c) top left / 35% 2px, var(--c) top left / 2px 35%,
    var(--c) top right / 35% 2px, var(--c) top right / 2px 35%,
    var(--c) bottom left / 35% 2px, var(--c) bottom left / 2px 35%,
    var(--c) bottom right / 35% 2px, var(--c) bottom right / 2px 35%;
  background-repeat: no-repeat;
}
.md-typeset figure.st-figure > .st-zoom-open:is(:hover, :focus-visible) { color: var(--md-accent-fg-color); }
dialog.st-zoom svg { cursor: auto; }
dialog.st-zoom {
  width: 100vw; height: 100vh; height: 100dvh; max-width: none; max-height: none; margin: 0; padding: 0;
  border: none; display: none; flex-direction: column;
  color: var(--md-default-fg-color); background: var(--md-default-bg-color);
}
dialog.st-zoom[open] { display: flex; }
dialog.st-zoom::backdrop { background: var(--md-default-bg-color); }
.st-zoom-bar {
  display: flex; gap: 0.4rem; justify-content: flex-end; padding: 0.4rem;
  border-bottom: 1px solid var(--md-default-fg-color--lightest);
}
.st-zoom-button {
  min-width: 2.75rem; min-height: 2.75rem; padding: 0 0.6rem; border-radius: 0.2rem; font: inherit;
  font-size: 0.8rem; color: inherit; background: var(--md-default-fg-color--lightest); cursor: pointer;
}
.st-zoom-button:focus-visible { outline: 2px solid var(--md-accent-fg-color); }
.st-zoom-view { flex: 1; overflow: auto; touch-action: pan-x pan-y pinch-zoom; }
.st-zoom-view:focus-visible { outline: 2px solid var(--md-accent-fg-color); outline-offset: -2px; }
"""
