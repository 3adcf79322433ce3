"""site_tools: runs the PyTorch snippets of the blog and hands back their results as data.

The engine (``site_tools.engine``) imports nothing from MkDocs; ``site_tools.hosts.mkdocs``,
``site_tools.hosts.pytest_plugin`` and ``site_tools.hosts.cli`` are thin adapters over it.
"""
