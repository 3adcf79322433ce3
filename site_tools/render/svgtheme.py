"""The figure theming, for the render layer's readers: it lives below the engine
(``site_tools/engine/figures/svgtheme.py``), since the worker measures themed figures against the
figure budget."""

from __future__ import annotations

from site_tools.engine.figures.svgtheme import *  # noqa: F403  (the names of its __all__)
from site_tools.engine.figures.svgtheme import __all__  # noqa: F401
