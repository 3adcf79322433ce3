"""The plugin's MkDocs config class: empty, since its options are validated by ``site_tools.settings``.

The MkDocs plugin, pytest and the CLI share that one schema; ``SiteToolsPlugin.load_config`` hands the
plugin's entry in mkdocs.yml to it.
"""

from __future__ import annotations

from mkdocs.config.base import Config


class SiteToolsConfig(Config):
    pass
