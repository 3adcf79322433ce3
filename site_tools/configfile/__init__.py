"""The site's config file, found and read the way each host does (no host imported).

``locate`` says which file (``mkdocs.yml``, ``properdocs.yml``, ``zensical.toml``, or the one named);
``yaml_format`` and ``toml_format`` read the two formats; ``reader.SiteConfig`` is the result every
adapter uses. Errors are ``ConfigFileError`` with a Problem naming the file, line and key.
"""

from site_tools.configfile.errors import AmbiguousConfigError, ConfigFileError
from site_tools.configfile.locate import CONFIG_ENV, HOSTS, SERVING_ENV, find_config
from site_tools.configfile.reader import (
    EXTENSION_NAME,
    PLUGIN_NAMES,
    SiteConfig,
    open_config,
    read_config,
)

__all__ = [
    "CONFIG_ENV",
    "EXTENSION_NAME",
    "HOSTS",
    "PLUGIN_NAMES",
    "SERVING_ENV",
    "AmbiguousConfigError",
    "ConfigFileError",
    "SiteConfig",
    "find_config",
    "open_config",
    "read_config",
]
