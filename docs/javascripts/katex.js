// Typesets the math that pymdownx.arithmatex (generic mode) leaves in `.arithmatex` elements as
// \( ... \) and \[ ... \], using the KaTeX copy vendored in assets/katex so no CDN is needed.
// Material swaps page content without a reload (instant navigation) and announces each new page
// on its `document$` observable, so typesetting subscribes to it when it exists.
(function () {
  "use strict";

  const delimiters = [
    { left: "\\(", right: "\\)", display: false },
    { left: "\\[", right: "\\]", display: true },
  ];

  function typeset(root) {
    if (typeof renderMathInElement !== "function") {
      return;
    }
    for (const element of root.querySelectorAll(".arithmatex")) {
      renderMathInElement(element, { delimiters: delimiters, throwOnError: false });
    }
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
