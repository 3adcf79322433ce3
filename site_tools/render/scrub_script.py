"""The script of scrubbable figures (site_tools/render/scrub.py), shipped with every page through
``render/assets.py`` with its stylesheet (``scrub_style.py``): our own few lines, no framework,
nothing from another host.

The script binds the page's ``figure[data-st-scrub]`` together: a parameter's name links every
figure that varies it (render/scrub.py checks they agree), so one choice of the reader moves them
all, their captions, alt texts and the values the page cites from their snippets. It copies each
figure's controls out of their ``<template>`` (and keeps them in sync), fetches a variant's JSON
file the first time it is needed and checks it, and the drawing file it shows, against the digests
in their names, swaps every changed figure at once when all are there (meanwhile they keep their
drawing, marked busy), and reads the change out (``aria-live``). The choice lives in the URL
fragment (``#fig-lr:lr=0.1,activation=relu``: the figure moved and every parameter): a drag replaces
the history entry, a settled choice adds one, and back, forward, a reload or a shared link show it.
After the reader's first move it fetches the variants one step away ahead. Opened from ``file://``
it shows the defaults, with the sentence that says what could vary. It binds again after Material's
instant navigation (``document$``).
"""

from __future__ import annotations

from site_tools.render import sha256_js

SCRIPT_URI = "assets/site-tools/scrub.js"

SCRIPT = """\
// site-tools: scrubbable figures, linked by their parameters' names (site_tools/render/scrub.py,
// scrub_script.py).
(function () {
  "use strict";
  const fetched = new Map(); // variant file URL -> Promise of its checked JSON, kept for the page's life
  // Variant files are named from the site's root, which is where this script is served from less its
  // own path: right on every host and at every page URL (a host rewrites links, not data attributes).
  const SITE_ROOT = (function () {
    const src = ((document.currentScript && document.currentScript.src) || "").split("?")[0];
    const own = "@SCRIPT_URI@";
    return src.endsWith(own) ? src.slice(0, -own.length) : new URL(".", location.href).href;
  })();
  let current = null; // the page now shown: its figures, the reader's choice, its history

@SHA256@
  // A variant file, and each drawing file it shows, is named by the digest of its content: one that
  // does not hash to its name is truncated or left from another build, and the variant is refused.
  function checked(url, what) {
    const digest = (url.match(/([0-9a-f]{16,64})\\.(?:json|svg)$/) || [])[1];
    return fetch(url).then(function (response) {
      if (!response.ok) { throw new Error(what + ": HTTP " + response.status); }
      return response.arrayBuffer();
    }).then(function (buffer) {
      const bytes = new Uint8Array(buffer);
      if (!digest || sha256Hex(bytes).indexOf(digest) !== 0) {
        throw new Error(what + " does not match its digest (cut short, or left from another build)");
      }
      return bytes;
    });
  }
  // The drawing files a variant's picture shows at this screen's width: the phone drawing where its
  // media query matches, else the wide one (fetched here, the image then comes from the HTTP cache).
  function drawingsOf(pictureHtml) {
    const parsed = document.createElement("template"); // inert: nothing in it loads
    parsed.innerHTML = pictureHtml;
    return Array.from(parsed.content.querySelectorAll("picture")).map(function (picture) {
      const source = Array.from(picture.querySelectorAll("source[data-st-srcset]")).find(function (s) {
        return !s.media || window.matchMedia(s.media).matches;
      });
      const img = picture.querySelector("img[data-st-src]");
      return source ? source.dataset.stSrcset : img ? img.dataset.stSrc : null;
    }).filter(Boolean);
  }
  function load(url) {
    if (!fetched.has(url)) {
      fetched.set(url, checked(url, "its file").then(function (bytes) {
        const state = JSON.parse(new TextDecoder().decode(bytes));
        return Promise.all(drawingsOf(state.svg).map(function (uri) {
          return checked(new URL(uri, SITE_ROOT).href, "its drawing " + uri.split("/").pop());
        })).then(function () { return state; });
      }));
      fetched.get(url).catch(function () { fetched.delete(url); });
    }
    return fetched.get(url);
  }

  // The one place that reads and puts a figure's drawing: a variant's `svg` replaces what the
  // drawing's box (or, without one, the view) holds; the box keeps its size.
  function drawingBox(figure) {
    return figure.querySelector(".st-scrub-view .st-fig-box") || figure.querySelector(".st-scrub-view");
  }
  function currentDrawing(figure) { return { svg: drawingBox(figure).innerHTML }; }
  function applyDrawing(figure, state) { drawingBox(figure).innerHTML = state.svg; }

  function valueKey(element) { return element.dataset.source + "|" + (element.dataset.format || ""); }

  function controlsOf(figure) { return Array.from(figure.el.querySelectorAll(".st-scrub-control")); }
  function paramOf(control) {
    const range = control.querySelector("input[type=range]");
    return range ? range.name : control.dataset.param;
  }
  function valuesOf(control) {
    const range = control.querySelector("input[type=range]");
    if (range) { return JSON.parse(range.dataset.values); }
    return Array.from(control.querySelectorAll("input[type=radio]")).map(function (r) { return r.value; });
  }

  function labelOf(figure, choice) {
    return figure.params.map(function (name) { return name + "=" + choice[name]; }).join(",");
  }
  function parseLabel(label) {
    const found = {};
    for (const part of label.split(",")) {
      const at = part.indexOf("=");
      if (at > 0) { found[part.slice(0, at)] = part.slice(at + 1); }
    }
    return found;
  }

  function bind(el, page) {
    el.dataset.stBound = "1";
    const template = el.querySelector("template.st-scrub-template");
    if (!template || !drawingBox(el)) { return null; }
    const data = JSON.parse(el.dataset.stScrub);
    const controls = template.content.firstElementChild.cloneNode(true);
    template.after(controls);
    const still = el.querySelector(".st-scrub-static");
    if (still) { still.remove(); } // the sentence for readers without the controls
    const caption = el.querySelector("figcaption");
    const live = el.querySelector(".st-scrub-live");
    const figure = { el: el, data: data, controls: controls, caption: caption, live: live,
                     shown: data["default"], params: [] };
    const cited = Array.from(document.querySelectorAll(".st-value[data-source]")).filter(function (v) {
      return !el.contains(v) && v.dataset.source.indexOf(data.source + ":") === 0;
    });
    figure.initial = Object.assign(currentDrawing(el), {
      caption: caption ? caption.innerHTML : "", alt: live ? live.dataset.alt : "", values: {},
      altHtml: el.dataset.stAlt || "" });
    figure.shownAlt = figure.initial.alt;
    figure.state = figure.initial;
    for (const v of cited) { figure.initial.values[valueKey(v)] = v.textContent; }
    const defaults = parseLabel(data["default"]);
    for (const control of controlsOf(figure)) {
      const name = paramOf(control);
      figure.params.push(name);
      if (!(name in page.values)) {
        page.values[name] = valuesOf(control);
        page.defaults[name] = defaults[name];
      }
    }
    controls.addEventListener("input", function (event) { page.onInput(figure, event.target); });
    controls.addEventListener("change", function () { page.settled = true; });
    return figure;
  }

  function newPage(elements) {
    const page = { figures: [], values: {}, defaults: {}, choice: {}, shownChoice: {},
                   ticket: 0, settled: true, interacted: false };
    for (const el of elements) {
      const figure = bind(el, page);
      if (figure) { page.figures.push(figure); }
    }
    page.choice = Object.assign({}, page.defaults);
    page.shownChoice = Object.assign({}, page.defaults);

    page.sync = function () { // every control shows the page's choice, in every figure
      for (const figure of page.figures) {
        for (const control of controlsOf(figure)) {
          const name = paramOf(control), text = page.choice[name];
          const range = control.querySelector("input[type=range]");
          if (range) {
            range.value = String(page.values[name].indexOf(text));
            range.setAttribute("aria-valuetext", text);
          } else {
            for (const radio of control.querySelectorAll("input[type=radio]")) {
              radio.checked = radio.value === text;
            }
          }
          control.querySelector("output").textContent = text;
        }
      }
    };

    page.fragment = function (figure) {
      const names = Object.keys(page.values);
      return "#" + figure.el.id + ":" + names.map(function (name) {
        return name + "=" + encodeURIComponent(page.choice[name]);
      }).join(",");
    };

    page.onInput = function (figure, input) {
      const control = input.closest(".st-scrub-control");
      const name = paramOf(control);
      const text = input.type === "range" ? page.values[name][Number(input.value)] : input.value;
      if (page.choice[name] === text) { return; }
      page.choice[name] = text;
      page.interacted = true;
      page.sync();
      // A drag replaces the history entry as it goes; a settled choice (`change`) ends the entry,
      // so the next move adds one: back and forward move between choices.
      const url = page.fragment(figure);
      if (page.settled) {
        history.pushState(history.state, "", url);
      } else {
        history.replaceState(history.state, "", url);
      }
      page.settled = false;
      page.show(figure, name);
    };

    // Show page.choice in every figure it changes: all at once, once every variant is there (the
    // others keep their drawing, marked busy, meanwhile); a refused variant restores the last choice.
    page.show = function (origin, changed) {
      const ticket = ++page.ticket;
      const wanted = page.figures.filter(function (f) { return labelOf(f, page.choice) !== f.shown; });
      for (const figure of wanted) { figure.el.setAttribute("aria-busy", "true"); }
      const states = wanted.map(function (figure) {
        const label = labelOf(figure, page.choice);
        if (label === figure.data["default"]) { return Promise.resolve(figure.initial); }
        const file = figure.data.variants[label];
        if (!file) { return Promise.reject(new Error(label + " is not one of its variants")); }
        return load(new URL(file, SITE_ROOT).href);
      });
      return Promise.all(states).then(function (loaded) {
        if (ticket !== page.ticket) { return; }
        wanted.forEach(function (figure, i) { put(figure, loaded[i], labelOf(figure, page.choice)); });
        citeAll(page);
        page.shownChoice = Object.assign({}, page.choice);
        if (origin) { page.announce(origin, changed, wanted); }
        if (page.interacted) { page.prefetch(); }
      }, function (error) {
        if (ticket !== page.ticket) { return; }
        const refused = changed + "=" + page.choice[changed];
        page.choice = Object.assign({}, page.shownChoice);
        page.sync();
        if (origin) { history.replaceState(history.state, "", page.fragment(origin)); }
        page.tell(origin || page.figures[0], "Could not show " + refused + ": " + error.message
          + ". The figures still show " + changed + "=" + page.choice[changed] + ".");
      }).finally(function () {
        if (ticket !== page.ticket) { return; }
        for (const figure of page.figures) { figure.el.removeAttribute("aria-busy"); }
      });
    };

    page.announce = function (origin, changed, figures) {
      page.tell(origin, "");
      if (!origin.live) { return; }
      const alts = figures.map(function (f) { return f.shownAlt; }).filter(Boolean);
      origin.live.textContent = changed + " " + page.choice[changed] + ": " + alts.join(" ");
    };

    page.tell = function (figure, message) { // a refusal, visible, and read out
      let line = figure.controls.querySelector(".st-scrub-error");
      if (!message) { if (line) { line.remove(); } return; }
      if (!line) {
        line = document.createElement("p");
        line.className = "st-scrub-error";
        figure.controls.append(line);
      }
      line.textContent = message;
      if (figure.live) { figure.live.textContent = message; }
    };

    // After the reader's first move: the variants one step away from the choice, fetched ahead.
    page.prefetch = function () {
      const later = window.requestIdleCallback || function (fn) { return setTimeout(fn, 50); };
      later(function () {
        for (const figure of page.figures) {
          for (const name of figure.params) {
            const values = page.values[name], at = values.indexOf(page.choice[name]);
            for (const step of [-1, 1]) {
              if (at + step < 0 || at + step >= values.length) { continue; }
              const near = Object.assign({}, page.choice);
              near[name] = values[at + step];
              const file = figure.data.variants[labelOf(figure, near)];
              if (file) { load(new URL(file, SITE_ROOT).href).catch(function () {}); }
            }
          }
        }
      });
    };

    // The URL's choice: `#fig-x:lr=0.1,depth=2`, the figure to scroll to and the values (any figure's
    // names; those left out keep their default). An empty fragment is the defaults; any other is not
    // a choice and changes nothing.
    page.fromUrl = function () {
      let hash = "";
      try { hash = decodeURIComponent(location.hash.slice(1)); } catch (error) { return null; }
      const at = hash.indexOf(":");
      const target = hash ? page.figures.find(function (f) { return f.el.id === hash.slice(0, at); }) : null;
      if (hash && !target) { return null; }
      const wanted = Object.assign({}, page.defaults);
      if (target) {
        const given = parseLabel(hash.slice(at + 1));
        for (const name in given) {
          if (!(name in page.values) || page.values[name].indexOf(given[name]) < 0) { return null; }
          wanted[name] = given[name];
        }
      }
      page.choice = wanted;
      page.settled = true;
      page.sync();
      page.show(null, Object.keys(page.values)[0]);
      return target;
    };
    return page;
  }

  function put(figure, state, label) {
    applyDrawing(figure.el, state);
    if (figure.caption) { figure.caption.innerHTML = state.caption; }
    figure.state = state;
    figure.shownAlt = state.alt;
    figure.el.dataset.stVariant = label;
    figure.shown = label;
  }

  // Every value the page cites from a figure's snippet shows that figure's variant: in prose, tables
  // and admonitions, and in another figure's caption (looked up anew: a swapped caption is new HTML,
  // written with the cited snippet's default). A figure's own caption came with its variant.
  function citeAll(page) {
    for (const element of document.querySelectorAll(".st-value[data-source]")) {
      const holder = page.figures.find(function (f) { return f.el.contains(element); });
      const text = shownValue(page, element, holder);
      if (text !== undefined && element.textContent !== text) { element.textContent = text; }
    }
    followAlts(page);
  }

  // The text a cited value (`element`) has in the variant its snippet's figure shows; undefined for
  // a value of `except`'s own snippet, which came with that figure's variant.
  function shownValue(page, element, except) {
    for (const figure of page.figures) {
      if (figure !== except && element.dataset.source.indexOf(figure.data.source + ":") === 0) {
        return figure.state.values[valueKey(element)];
      }
    }
    return undefined;
  }

  // An alt text that cites another figure's snippet comes as HTML (`data-st-alt` on the figure,
  // `altHtml` in a variant), its values as elements: it is written anew from what each figure shows.
  function followAlts(page) {
    for (const el of document.querySelectorAll("figure[data-st-alt]")) {
      const own = page.figures.find(function (f) { return f.el === el; });
      const written = document.createElement("template"); // inert: parsed, never shown
      written.innerHTML = (own && own.state.altHtml) || el.dataset.stAlt;
      for (const element of written.content.querySelectorAll(".st-value[data-source]")) {
        const text = shownValue(page, element, own);
        if (text !== undefined) { element.textContent = text; }
      }
      const img = el.querySelector("picture img");
      if (img) { img.alt = written.content.textContent; }
      if (own) { own.shownAlt = written.content.textContent; }
    }
  }

  function bindAll() {
    const elements = Array.from(document.querySelectorAll("figure[data-st-scrub]")).filter(function (el) {
      return !el.dataset.stBound;
    });
    if (!elements.length || location.protocol === "file:" || typeof fetch !== "function") {
      return; // nothing here, or the variants cannot be fetched: the defaults stay, without controls
    }
    current = newPage(elements);
    const target = current.fromUrl();
    if (target) { target.el.scrollIntoView(); }
  }

  function fromHistory() { if (current && current.figures[0].el.isConnected) { current.fromUrl(); } }
  window.addEventListener("popstate", fromHistory);
  window.addEventListener("hashchange", fromHistory);
  if (typeof document$ !== "undefined" && typeof document$.subscribe === "function") {
    document$.subscribe(bindAll); // Material's instant navigation swaps the page without a reload
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", bindAll);
  } else {
    bindAll();
  }
})();
""".replace("@SCRIPT_URI@", SCRIPT_URI).replace("@SHA256@", sha256_js.FUNCTION)
