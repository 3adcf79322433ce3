"""The adapters: each host's glue in a folder of its own, and nothing else.

``mkdocs/`` is the MkDocs plugin (ProperDocs runs it unchanged); ``zensical/`` the Python-Markdown
extension (``site_tools.markdown``), the config written for Zensical and ``site-tools build|serve
--host zensical``; ``pytest_plugin`` makes every snippet a test; ``cli/`` is the ``site-tools``
command. Every decision that is not glue (what stops a build, budgets, generated files, which config
and options) is made below them, in ``site_tools.site``, ``site_tools.configfile`` and
``site_tools.settings``.
"""
