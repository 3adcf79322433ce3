"""The stylesheet of scrubbable figures (site_tools/render/scrub.py): their controls, the loading
mark on a figure whose variant is on its way, the refusal line and the aria-live line. Shipped with
every page through ``render/assets.py``, beside the script (``scrub_script.py``)."""

STYLESHEET_URI = "assets/site-tools/scrub.css"

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
.md-typeset .st-scrub-view { position: relative; }
/* A variant on its way: the previous drawing stays, dimmed and marked, with its own caption. */
.md-typeset figure[aria-busy="true"] .st-scrub-view > * { opacity: 0.45; transition: opacity 0.2s 0.15s; }
.md-typeset figure[aria-busy="true"] .st-scrub-view::after {
  content: "loading…"; position: absolute; top: 0.3em; left: 0.3em; padding: 0 0.4em;
  font-size: 0.7rem; color: var(--md-default-fg-color); background: var(--md-default-bg-color);
  opacity: 0; animation: st-scrub-wait 0s 0.15s forwards;
}
@keyframes st-scrub-wait { to { opacity: 1; } }
.md-typeset .st-scrub-error { flex-basis: 100%; margin: 0; color: var(--md-typeset-color); font-weight: 700; }
.md-typeset .st-scrub-static { font-size: 0.7rem; margin: 0.4em 0 0.2em; }
.md-typeset .st-scrub-live {
  position: absolute; width: 1px; height: 1px; margin: 0; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap;
}
"""
