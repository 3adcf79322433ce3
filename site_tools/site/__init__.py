"""The site layer: what a build of the site knows and decides, for every host.

``engine/`` runs snippets and ``render/`` turns results into HTML; this package holds the rules in
between that belong to no host: which embed shows an error (a failed run, figures its captions miss,
nothing to show), the build's error messages (post:line), cited values, downloads, the execution
report, size budgets and the themed figures. The MkDocs plugin, the Python-Markdown extension
(``site_tools.markdown``), the Zensical pre-step and ``site-tools check`` all call it; none of it
imports a host.
"""
