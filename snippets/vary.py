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
import sys
from types import SimpleNamespace


def params(**defaults: int | float | str) -> SimpleNamespace:
    """The parameters of this run: ``defaults``, with the values of the grid point when there is one.

    Run alone, it says (on stderr) which values it uses and how to choose others."""
    given = os.environ.get("SITE_TOOLS_PARAMS")
    if not given:
        example = json.dumps({name: value for name, value in list(defaults.items())[:1]})
        print(
            f"vary: running the default ({', '.join(f'{k}={v}' for k, v in defaults.items())}); "
            f"to choose another, set SITE_TOOLS_PARAMS, such as SITE_TOOLS_PARAMS='{example}'",
            file=sys.stderr,
        )
    chosen = json.loads(given or "{}")
    unknown = sorted(set(chosen) - set(defaults))
    if unknown:
        raise TypeError(
            f"the embed varies {', '.join(unknown)}, but vary.params() takes only "
            f"{', '.join(sorted(defaults)) or 'no parameters'}: add it as a keyword with its default"
        )
    return SimpleNamespace(**{**defaults, **chosen})
