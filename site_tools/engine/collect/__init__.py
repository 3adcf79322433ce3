"""Where a snippet is found: embeds and inline blocks in pages, snippet files, jupytext notebooks,
their imports (helpers) and their options. Nothing here runs code or touches the cache.
"""
