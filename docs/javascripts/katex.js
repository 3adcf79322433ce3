// Typesets the math that pymdownx.arithmatex (generic mode) leaves in `.arithmatex` elements as
// \( ... \) and \[ ... \], using the KaTeX copy vendored in assets/katex so no CDN is needed.
// KaTeX's scripts (about 280 kB) load only on a page that has math: this file is all that every
// page loads. They are named from this script's own URL, so they load from any page, from a server
// or from file://. Material swaps page content without a reload (instant navigation) and announces
// each new page on its `document$` observable, so typesetting subscribes to it when it exists.
(function () {
  "use strict";

  const delimiters = [
    { left: "\\(", right: "\\)", display: false },
    { left: "\\[", right: "\\]", display: true },
  ];
  const own = document.currentScript && document.currentScript.src;
  const base = new URL("../assets/katex/", own || location.href).href;
  let loading = null;

  function load(src) {
    return new Promise(function (resolve, reject) {
      const script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function katex() {
    if (loading === null) {
      loading = load(base + "katex.min.js").then(function () {
        return load(base + "contrib/auto-render.min.js");
      });
    }
    return loading;
  }

  function typeset(root) {
    const elements = root.querySelectorAll(".arithmatex");
    if (elements.length === 0) {
      return;
    }
    katex().then(
      function () {
        for (const element of elements) {
          renderMathInElement(element, { delimiters: delimiters, throwOnError: false });
        }
      },
      function () {
        loading = null; // the TeX stays as written; the next page tries again
      }
    );
  }

  if (typeof document$ !== "undefined" && typeof document$.subscribe === "function") {
    document$.subscribe(function () {
      typeset(document);
    });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      typeset(document);
    });
  } else {
    typeset(document);
  }
})();
