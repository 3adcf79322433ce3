"""The site's stylesheet for what every reader must be able to read (WCAG 2.1 AA, judged by axe-core in
tests/readers): links told apart from the text around them, and the theme's few colours that fall
short of 4.5:1 made darker or lighter. Shipped with every page through ``render/assets.py``.

The header's colours are the palette's (mkdocs.yml, ``theme.palette``): its primary colour is chosen
so that the tabs, drawn in white at 70 % opacity, keep 4.5:1 on it.
"""

from __future__ import annotations

STYLESHEET = "assets/site-tools/site.css"
CSS = """\
/* site-tools: readable links and colours (site_tools/render/readability.py) */
/* A link inside running text is underlined: its colour alone is not 3:1 against the text around it. */
.md-typeset :is(p, li, td, th, dd, dt, blockquote, figcaption) a:not(.headerlink, .md-button, .md-tag) {
  text-decoration: underline; text-decoration-thickness: 0.06em; text-underline-offset: 0.15em;
}
/* The theme's footer line and a few code colours, 4.47:1 and less: made 4.5:1 or more. */
.md-copyright { color: var(--md-footer-fg-color--light); }
[data-md-color-scheme="default"] {
  --md-code-hl-comment-color: #666666;
  --md-code-hl-variable-color: #666666;
  --md-code-hl-operator-color: #666666;
}
[data-md-color-scheme="slate"] {
  --md-code-hl-number-color: #ee8074;
  --md-code-hl-constant-color: #a193e8;
}
/* The empty anchor of each code line (pymdownx.highlight's anchor_linenums) is a link without a name:
   hidden as Material for MkDocs hides it, on every host (Zensical's theme does not). */
.md-typeset .highlight code a[id] { position: absolute; visibility: hidden; }
/* Tables fit a phone's column rather than scrolling in a box that no keyboard can reach (the theme
   gives each cell 5rem at least: four columns are wider than a phone). */
@media screen and (max-width: 44.9375em) {
  .md-typeset table:not([class]) :is(td, th) { min-width: 0; padding: 0.75em 0.8em; overflow-wrap: anywhere; }
}
"""
