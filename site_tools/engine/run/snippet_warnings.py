"""A snippet's Python warnings, recorded with the snippet line that caused them, for the author.

Inside the worker: ``python``'s default warning filters (a warning shows once per place), and each
warning recorded as ``snippets/x.py:12: UserWarning: ...`` rather than printed. A warning raised in
a library is put on the innermost line of the snippet (or of one of its helpers) that called it.

Missing glyphs get one warning per figure naming the characters. That figure is saved again with
its text kept as SVG text (``svg.fonttype: none``), so the reader's browser draws those characters
with its own fonts (CJK, emoji) instead of the empty boxes matplotlib's font would give.
"""

from __future__ import annotations

import re
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from site_tools.engine.run.sanitize import sanitize_paths

MISSING_GLYPH = re.compile(r"Glyph (\d+) \(.*?\) missing from font\(s\) (.+?)\.?$")
# The filters `python` starts with (see the warnings module's documentation).
_PYTHON_DEFAULTS = (
    ("default", DeprecationWarning, "__main__"),
    ("ignore", DeprecationWarning, ""),
    ("ignore", PendingDeprecationWarning, ""),
    ("ignore", ImportWarning, ""),
    ("ignore", ResourceWarning, ""),
)


@dataclass
class WarningRecorder:
    snippet_path: str  # as the snippet's code objects name it (repository-relative)
    snippets_dir: str
    root: str
    texts: list[str] = field(default_factory=list)

    def install(self) -> None:
        warnings.resetwarnings()
        for action, category, module in _PYTHON_DEFAULTS:
            warnings.filterwarnings(action, category=category, module=module, append=True)
        warnings.showwarning = self._show

    def _show(self, message, category, filename, lineno, file=None, line=None) -> None:  # noqa: PLR0917
        where = self._where(filename, lineno)
        self.add(f"{where}: {category.__name__}: {message}")

    def add(self, text: str) -> None:
        text = sanitize_paths(text, self.root)
        if text not in self.texts:
            self.texts.append(text)

    def _own(self, filename: str) -> bool:
        return filename == self.snippet_path or filename.startswith(self.snippets_dir.rstrip("/") + "/")

    def _where(self, filename: str, lineno: int) -> str:
        if self._own(filename):
            return f"{filename}:{lineno}"
        frame = sys._getframe(1)
        while frame is not None:
            if self._own(frame.f_code.co_filename):
                return f"{frame.f_code.co_filename}:{frame.f_lineno}"
            frame = frame.f_back
        return self.snippet_path  # raised after the snippet's code ran (while saving its figures)


def save_figure(figure, path: Path, number: int, recorder: WarningRecorder) -> None:
    """Save ``figure`` as SVG; text its font cannot draw stays text, with one warning naming it."""
    import matplotlib

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figure.savefig(path, format="svg", metadata={"Date": None})
    missing: dict[str, None] = {}
    fonts: set[str] = set()
    for warning in caught:
        found = MISSING_GLYPH.match(str(warning.message))
        if found:
            missing[chr(int(found[1]))] = None
            fonts.add(found[2])
        else:
            recorder._show(warning.message, warning.category, warning.filename, warning.lineno)
    if not missing:
        return
    with warnings.catch_warnings(), matplotlib.rc_context({"svg.fonttype": "none"}):
        warnings.simplefilter("ignore")
        figure.savefig(path, format="svg", metadata={"Date": None})
    chars = ", ".join(f"'{char}' (U+{ord(char):04X})" for char in missing)
    recorder.add(
        f"{recorder.snippet_path}: figure {number}: missing glyphs: the font {' / '.join(sorted(fonts))} "
        f"has no {chars}; that figure keeps its text as text, so readers' browsers draw it with "
        "their own fonts (install a font that covers them to draw it in the figure's font)"
    )
