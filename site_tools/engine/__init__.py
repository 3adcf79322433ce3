"""The execution engine: find snippets, key them, run them in isolated workers, cache the results.

It imports nothing from MkDocs (a test checks), so any host (MkDocs, pytest, a CLI, another site
generator) can drive it.
"""

from __future__ import annotations

from site_tools.engine.collect.inventory import Inventory, build_inventory
from site_tools.engine.config import EngineConfig
from site_tools.engine.model import CellOutput, CodeCell, Embed, Figure, Options, RunResult, Snippet
from site_tools.engine.run_report import RunReport
from site_tools.engine.session import Engine

__all__ = [
    "CellOutput",
    "CodeCell",
    "Embed",
    "Engine",
    "EngineConfig",
    "Figure",
    "Inventory",
    "Options",
    "RunReport",
    "RunResult",
    "Snippet",
    "build_inventory",
]
