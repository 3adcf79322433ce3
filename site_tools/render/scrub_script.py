"""The script and stylesheet of scrubbable figures (site_tools/render/scrub.py), shipped with every
page through ``render/assets.py``: our own few lines, no framework, nothing from another host.

The script binds each ``figure[data-st-scrub]``: it copies the controls out of their ``<template>``,
fetches a variant's JSON file the first time a reader picks it (and keeps it), swaps the SVG, the
caption, the alt text (read out by an ``aria-live`` line) and the page's cited values of that
snippet, and writes the choice into the URL fragment (``#fig-lr:lr=0.1,activation=relu``), which it
also reads when the page opens. Opened from ``file://``, or when a fetch fails, it shows the default
and no controls. It binds again after Material's instant navigation (``document$``).
"""

from __future__ import annotations

SCRIPT_URI = "assets/site-tools/scrub.js"
STYLESHEET_URI = "assets/site-tools/scrub.css"

SCRIPT = """\
// site-tools: scrubbable figures (site_tools/render/scrub.py, scrub_script.py).
(function () {
  "use strict";
  const fetched = new Map(); // variant file URL -> Promise of its JSON, kept for the page's life
  // Variant files are named from the site's root, which is where this script is served from less its
  // own path: right on every host and at every page URL (a host rewrites links, not data attributes).
  const SITE_ROOT = (function () {
    const src = ((document.currentScript && document.currentScript.src) || "").split("?")[0];
    const own = "@SCRIPT_URI@";
    return src.endsWith(own) ? src.slice(0, -own.length) : new URL(".", location.href).href;
  })();

  function load(url) {
    if (!fetched.has(url)) {
      fetched.set(url, fetch(url).then(function (response) {
        if (!response.ok) { throw new Error(url + ": HTTP " + response.status); }
        return response.json();
      }));
    }
    return fetched.get(url).catch(function (error) { fetched.delete(url); throw error; });
  }

  function valueKey(element) {
    return element.dataset.source + "|" + (element.dataset.format || "");
  }

  function bind(figure) {
    figure.dataset.stBound = "1";
    const template = figure.querySelector("template.st-scrub-template");
    const view = figure.querySelector(".st-scrub-view");
    if (!template || !view || location.protocol === "file:" || typeof fetch !== "function") {
      return; // the variants cannot be fetched here: the default stays, without controls
    }
    const data = JSON.parse(figure.dataset.stScrub);
    const live = figure.querySelector(".st-scrub-live");
    const caption = figure.querySelector("figcaption");
    const cited = Array.from(document.querySelectorAll(".st-value[data-source]")).filter(function (el) {
      return !figure.contains(el) && el.dataset.source.indexOf(data.source + ":") === 0;
    });
    const initial = { svg: view.innerHTML, caption: caption ? caption.innerHTML : "",
                      alt: live ? live.dataset.alt : "", values: {} };
    for (const element of cited) { initial.values[valueKey(element)] = element.textContent; }
    const controls = template.content.firstElementChild.cloneNode(true);
    template.after(controls);
    let shown = data["default"];
    let asked = 0;

    function chosen() {
      return Array.from(controls.querySelectorAll(".st-scrub-control")).map(function (control) {
        const range = control.querySelector("input[type=range]");
        if (range) { return range.name + "=" + JSON.parse(range.dataset.values)[range.value]; }
        return control.dataset.param + "=" + control.querySelector("input:checked").value;
      }).join(",");
    }

    function setControls(label) {
      const wanted = {};
      for (const part of label.split(",")) {
        const at = part.indexOf("=");
        wanted[part.slice(0, at)] = part.slice(at + 1);
      }
      for (const control of controls.querySelectorAll(".st-scrub-control")) {
        const range = control.querySelector("input[type=range]");
        const name = range ? range.name : control.dataset.param;
        if (range) {
          const index = JSON.parse(range.dataset.values).indexOf(wanted[name]);
          if (index >= 0) { range.value = String(index); }
        } else {
          for (const radio of control.querySelectorAll("input[type=radio]")) {
            radio.checked = radio.value === wanted[name];
          }
        }
      }
      showValues();
    }

    function showValues() {
      for (const control of controls.querySelectorAll(".st-scrub-control")) {
        const range = control.querySelector("input[type=range]");
        const text = range ? JSON.parse(range.dataset.values)[range.value]
          : control.querySelector("input:checked").value;
        if (range) { range.setAttribute("aria-valuetext", text); }
        control.querySelector("output").textContent = text;
      }
    }

    function show(state, label, announce) {
      view.innerHTML = state.svg;
      if (caption) { caption.innerHTML = state.caption; }
      for (const element of cited) {
        const text = state.values[valueKey(element)];
        if (text !== undefined) { element.textContent = text; }
      }
      if (live && announce) { live.textContent = state.alt; }
      figure.dataset.stVariant = label;
      shown = label;
    }

    function giveUp() {
      controls.remove();
      show(initial, data["default"], false);
    }

    function choose(label, announce) {
      showValues();
      const ticket = ++asked;
      if (label === data["default"]) { show(initial, label, announce); return Promise.resolve(); }
      if (!data.variants[label]) { return Promise.resolve(); }
      const url = new URL(data.variants[label], SITE_ROOT).href;
      figure.setAttribute("aria-busy", "true");
      return load(url).then(function (state) {
        if (ticket === asked) { show(state, label, announce); }
      }, giveUp).finally(function () { figure.removeAttribute("aria-busy"); });
    }

    controls.addEventListener("input", function () {
      const label = chosen();
      if (label === shown) { return; }
      history.replaceState(history.state, "", "#" + figure.id + ":" + label);
      choose(label, true);
    });

    function fromFragment() {
      const prefix = "#" + figure.id + ":";
      if (location.hash.indexOf(prefix) !== 0) { return false; }
      const label = decodeURIComponent(location.hash.slice(prefix.length));
      if (label !== data["default"] && !(label in data.variants)) { return false; }
      setControls(label);
      choose(label, false);
      return true;
    }

    figure.stFromFragment = fromFragment;
    if (fromFragment()) { figure.scrollIntoView(); }
  }

  function bindAll() {
    for (const figure of document.querySelectorAll("figure[data-st-scrub]")) {
      if (!figure.dataset.stBound) { bind(figure); }
    }
  }

  window.addEventListener("hashchange", function () {
    for (const figure of document.querySelectorAll("figure[data-st-scrub]")) {
      if (figure.stFromFragment) { figure.stFromFragment(); }
    }
  });
  if (typeof document$ !== "undefined" && typeof document$.subscribe === "function") {
    document$.subscribe(bindAll); // Material's instant navigation swaps the page without a reload
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", bindAll);
  } else {
    bindAll();
  }
})();
""".replace("@SCRIPT_URI@", SCRIPT_URI)

CSS = """\
/* site-tools: scrubbable figures (site_tools/render/scrub.py) */
.md-typeset .st-scrub-controls {
  display: flex; flex-wrap: wrap; gap: 0.3em 1.2em; align-items: center;
  margin: 0.4em 0 0.2em; font-size: 0.7rem;
}
.md-typeset .st-scrub-control { display: flex; flex-wrap: wrap; align-items: center; gap: 0.4em; }
.md-typeset .st-scrub-control > label, .md-typeset .st-scrub-control > span { font-weight: 700; }
.md-typeset .st-scrub-control input[type="range"] {
  width: 9em; max-width: 45vw; accent-color: var(--md-accent-fg-color);
}
.md-typeset .st-scrub-control[role="radiogroup"] label {
  display: inline-flex; align-items: center; gap: 0.2em;
}
.md-typeset .st-scrub-control output { min-width: 3.5em; font-variant-numeric: tabular-nums; }
.md-typeset .st-scrub-view > svg { display: block; }
.md-typeset .st-scrub-live {
  position: absolute; width: 1px; height: 1px; margin: 0; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap;
}
"""
