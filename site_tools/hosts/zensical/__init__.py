"""Zensical (and any host that runs Python-Markdown extensions but no MkDocs plugin): the extension,
the config written for it, and ``site-tools build|serve --host zensical``."""
