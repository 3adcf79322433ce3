"""Read the parameters of a scrubbable figure: the point of its grid this run computes.

    import vary
    p = vary.params(lr=0.01, activation="relu")
    ... p.lr ... p.activation ...

The keywords are the parameters and their defaults. When the site runs a point of the embed's
``vary:`` grid, ``SITE_TOOLS_PARAMS`` holds that point (JSON, the engine's contract) and its values
replace the defaults; run any other way (``python snippets/x.py``, a download) the defaults apply.
"""

from __future__ import annotations

import json
import os
from types import SimpleNamespace


def params(**defaults: int | float | str) -> SimpleNamespace:
    """The parameters of this run: ``defaults``, with the values of the grid point when there is one."""
    chosen = json.loads(os.environ.get("SITE_TOOLS_PARAMS") or "{}")
    unknown = sorted(set(chosen) - set(defaults))
    if unknown:
        raise TypeError(
            f"the embed varies {', '.join(unknown)}, but vary.params() takes only "
            f"{', '.join(sorted(defaults)) or 'no parameters'}: add it as a keyword with its default"
        )
    return SimpleNamespace(**{**defaults, **chosen})
