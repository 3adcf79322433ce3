"""Keep a snippet's file writes inside its working folder, and name the line that tried otherwise.

Why an audit hook (PEP 578) rather than comparing folders before and after: it sees the write as it
happens, so it can refuse it (nothing in the project is changed, nothing is lost) and name the
snippet line that made it, even when several snippets run at once or the author edits files while
the build runs. It sees every write made through Python: ``open`` for writing, ``os.open``,
``pathlib``, ``shutil``, numpy and matplotlib savers, removes, renames and new folders. It does not
see C code that opens files itself (``torch.save`` given a path) or programs a snippet starts.
"""

from __future__ import annotations

import errno
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
# Audit events that change the file system, with the positions of their path arguments.
_PATH_EVENTS = {
    "os.remove": (0,),
    "os.rename": (0, 1),
    "os.rmdir": (0,),
    "os.truncate": (0,),
    "os.symlink": (1,),
    "os.link": (1,),
    "shutil.rmtree": (0,),
}


@dataclass
class WriteGuard:
    """Allows writes under ``allowed`` folders; records (path, snippet location) of refused ones."""

    allowed: tuple[str, ...]
    snippet_path: str
    snippets_dir: str
    refused: list[tuple[str, str | None]] = field(default_factory=list)

    def install(self) -> None:
        sys.addaudithook(self._hook)

    def _hook(self, event: str, args: tuple) -> None:
        if event == "open":
            path, mode, flags = args
            if not (isinstance(mode, str) and any(c in mode for c in "wax+")) and not (
                isinstance(flags, int) and flags & _WRITE_FLAGS
            ):
                return
            targets = [(path, None)]
        elif event == "os.mkdir":
            targets = [(args[0], args[2])]
        elif event in _PATH_EVENTS:
            dir_fd = args[-1] if event in ("os.remove", "os.rmdir", "shutil.rmtree") else None
            targets = [(args[i], dir_fd) for i in _PATH_EVENTS[event]]
        else:
            return
        for target, dir_fd in targets:
            full = _resolve(target, dir_fd)
            if full is None or self._inside(full):
                continue
            if event == "os.mkdir" and Path(full).is_dir():
                continue  # os.makedirs(..., exist_ok=True) on a folder that exists changes nothing
            self.refused.append((full, self._location()))
            raise PermissionError(
                errno.EACCES,
                "site_tools: a snippet may write only inside its working folder (the current one)",
                full,
            )

    def _inside(self, path: str) -> bool:
        return any(path == root or path.startswith(root.rstrip("/") + "/") for root in self.allowed)

    def _location(self) -> str | None:
        """``file:line`` of the innermost frame of the snippet or one of its helper modules."""
        frame = sys._getframe(2)
        prefix = self.snippets_dir.rstrip("/") + "/"
        while frame is not None:
            name = frame.f_code.co_filename
            if name == self.snippet_path or name.startswith(prefix):
                return f"{name}:{frame.f_lineno}"
            frame = frame.f_back
        return None


def _resolve(target: object, dir_fd: object) -> str | None:
    """The absolute, symlink-free path ``target`` names, or None for a file descriptor."""
    if isinstance(target, int) or target is None:
        return None
    path = Path(os.fsdecode(os.fspath(target)))  # type: ignore[arg-type]
    if isinstance(dir_fd, int) and dir_fd >= 0 and not path.is_absolute():  # -1: no dir_fd given
        path = Path(f"/proc/self/fd/{dir_fd}").readlink() / path
    return os.path.realpath(path)
