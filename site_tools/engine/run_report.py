"""What one run of the site's snippets did, in the counts the build's last log line gives."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RunReport:
    total: int
    executed: int
    cached: int
    failed: int
    not_run: int
    seconds: float
    notices: tuple[str, ...] = ()  # what the run recovered from by itself (a damaged entry run again)
    remote: int | None = None  # hits from the remote cache; None when none is configured

    def summary(self) -> str:
        """The build's last log line, after the adapter's ``site_tools:`` prefix; tools read these words."""
        text = (
            f"{self.total} snippets, {self.executed} executed, {self.cached} cached, "
            f"{self.failed} failed in {self.seconds:.1f} s"
        )
        if self.remote is not None:
            text += f" ({self.remote} from the remote cache)"
        if self.notices:
            count = len(self.notices)
            text += f"; {count} notice{'s' if count != 1 else ''}, see the execution report"
        return text
