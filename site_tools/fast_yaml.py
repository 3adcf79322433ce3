"""YAML parsed by libyaml when PyYAML has it, with the pure-Python parser's errors.

libyaml parses about ten times faster than PyYAML's own parser, and a build parses YAML on every run:
the site's config, every snippet block's options, every post's front matter. Its error messages
are not the pure-Python parser's, which our messages quote with their lines, so a document libyaml
refuses is parsed again by the pure-Python loader, which raises the error (or, should it accept
what libyaml refused, returns its data). The constructors are the same, so the values are too.
"""

from __future__ import annotations

from typing import Any

import yaml

_LIBYAML = getattr(yaml, "CSafeLoader", None)


def on_libyaml(loader: type[yaml.SafeLoader]) -> type:
    """A loader with the constructors of ``loader`` on libyaml's parser (``loader`` itself when PyYAML
    has no libyaml). Make it after every constructor of ``loader`` is added: they are copied now."""
    if _LIBYAML is None:
        return loader
    copied = {
        "yaml_constructors": dict(loader.yaml_constructors),
        "yaml_multi_constructors": dict(loader.yaml_multi_constructors),
    }
    return type(f"LibYAML{loader.__name__}", (_LIBYAML,), copied)


_SAFE_ON_LIBYAML = on_libyaml(yaml.SafeLoader)


def load(text: str | bytes, loader: type[yaml.SafeLoader] = yaml.SafeLoader, fast: type | None = None) -> Any:
    """``yaml.load(text, Loader=loader)``, parsed first by ``fast`` (``loader`` on libyaml: made with
    ``on_libyaml``; the safe loader's by default)."""
    try:
        return yaml.load(text, Loader=fast or (_SAFE_ON_LIBYAML if loader is yaml.SafeLoader else loader))
    except yaml.YAMLError:
        pass  # the pure-Python parser below says what is wrong, with its line, as it always has
    return yaml.load(text, Loader=loader)
