"""What a snippet said besides stdout: its Python warnings and its stderr, for the author.

The build log lists them (once per snippet, with the embed's page line and the snippet's line);
under ``mkdocs serve`` the page shows them in a closed box under the output, and readers of the
built site see that box only when the ``show_warnings`` option is on.
"""

from __future__ import annotations

import html

from site_tools.engine.model import RunResult
from site_tools.render.terminal import as_terminal

STDERR_LINES = 20  # the log shows the end of a long stderr; the page shows it all


def author_notes(result: RunResult | None) -> list[str]:
    """The snippet's warnings, then its stderr as a terminal would show it (``\\r`` collapsed)."""
    if result is None:
        return []
    notes = list(result.warnings)
    stderr = as_terminal("".join(cell.stderr for cell in result.cells)).strip("\n")
    if stderr.strip():
        notes.append(f"stderr:\n{stderr}")
    return notes


def log_lines(where: str, name: str, result: RunResult | None) -> list[str]:
    """One log message per note: ``warning: post.md:16: snippets/x.py:12: UserWarning: ...``, then
    one per notice of what the run did by itself (``notice: post.md:16: snippets/x.py: figure 1 ...``)."""
    lines = []
    for note in author_notes(result):
        if note.startswith("stderr:\n"):
            text = note.split("\n")[1:]
            cut = text[-STDERR_LINES:]
            more = f"  [... {len(text) - len(cut)} earlier line(s)]\n" if len(text) > len(cut) else ""
            body = more + "\n".join(f"  {line}" for line in cut)
            lines.append(f"warning: {where}: {name} wrote to stderr:\n{body}")
        else:
            lines.append(f"warning: {where}: {note}")
    lines.extend(f"notice: {where}: {notice}" for notice in (result.notices if result else ()))
    return lines


def notes_html(result: RunResult | None) -> str:
    """A closed box holding the notes, escaped; empty when there are none."""
    notes = author_notes(result)
    if not notes:
        return ""
    text = html.escape("\n".join(notes))
    label = f"Warnings ({len(notes)})"
    return (
        f'<details class="warning st-warnings"><summary>{label}</summary>'
        f"<pre><code>{text}</code></pre></details>"
    )
