"""The stylesheets and scripts every page of a site-tools site needs, in one list for every host.

A feature that styles or scripts its HTML adds its file here; each adapter ships the whole list its
own way (the MkDocs plugin: generated files plus ``extra_css`` / ``extra_javascript``), so no host
forgets one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from site_tools.render import (
    figure_box,
    figure_files,
    provenance,
    readability,
    report,
    scrub_script,
    scrub_style,
    source_box,
    zoom,
)


@dataclass(frozen=True)
class Asset:
    uri: str  # where the file lives in the built site, relative to its root
    content: str
    kind: Literal["css", "js"]


def site_assets() -> tuple[Asset, ...]:
    """Every file the rendered pages link to, in the order pages load them."""
    return (
        Asset(provenance.STYLESHEET, provenance.CSS, "css"),
        Asset(readability.STYLESHEET, readability.CSS + report.CSS + figure_box.CSS, "css"),
        Asset(zoom.STYLESHEET, zoom.CSS, "css"),
        Asset(zoom.SCRIPT, zoom.JS, "js"),
        Asset(scrub_style.STYLESHEET_URI, scrub_style.CSS, "css"),
        Asset(scrub_script.SCRIPT_URI, scrub_script.SCRIPT, "js"),
        Asset(source_box.SCRIPT_URI, source_box.SCRIPT, "js"),
        Asset(figure_files.SCRIPT_URI, figure_files.SCRIPT, "js"),
    )
