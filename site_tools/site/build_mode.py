"""Built or served: the one place that decides what a problem does, for every host.

A build stops on any problem an author must fix (a failed or mismatched snippet, a bad citation, bad
front matter, a figure or page over its budget) and names them all; serving shows each on its page
(or in the log), keeps the server going and serves the rest of the site. The MkDocs plugin, the
Markdown extension and ``site-tools build|serve --host zensical`` ask this class instead of deciding
for themselves, so the three hosts cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Sized
from dataclasses import dataclass, field
from typing import Any

from site_tools.settings import SiteToolsOptions


@dataclass(frozen=True)
class BuildMode:
    serving: bool
    options: SiteToolsOptions = field(default_factory=SiteToolsOptions)

    @property
    def show_problems(self) -> bool:
        """A failed embed is shown on its page (a build names it and stops instead)."""
        return self.serving

    @property
    def show_warnings(self) -> bool:
        """A snippet's own warnings and stderr under its figure: always while serving, else if asked."""
        return self.serving or self.options.show_warnings

    def renderer_options(self) -> dict[str, Any]:
        """What a page renderer (``site.page.PageRenderer``) is given, on every host."""
        return {
            "show_problems": self.show_problems,
            "show_warnings": self.show_warnings,
            "figure_budget_kb": self.options.figure_budget_kb,
            "scrub_budget_kb": self.options.scrub_budget_kb,
        }

    def stops(self, problems: Sized) -> bool:
        return bool(problems) and not self.serving

    def problem_line(self, problem: object) -> str:
        """How a problem is logged: an error that stops a build, or a note of what the page shows."""
        return f"{'error, shown on its page' if self.serving else 'ERROR'}: {problem}"

    def budget_line(self, problem: object) -> str:
        return f"{'warning: ' if self.serving else ''}{problem}"

    @staticmethod
    def stop_message(count: int, what: str = "problem(s) above") -> str:
        return f"site-tools found {count} {what}; the build stops here."

    @staticmethod
    def budget_stop_message(count: int) -> str:
        return BuildMode.stop_message(count, "figure(s) or page(s) over their size budget")
