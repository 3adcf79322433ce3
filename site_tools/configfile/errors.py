"""The one error every config reader raises: a Problem naming the file, line and key to fix."""

from __future__ import annotations

from site_tools.problems import Problem


class ConfigFileError(Exception):
    """A site config cannot be found or used; ``problem`` says where and why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class AmbiguousConfigError(ConfigFileError):
    """Several config files and nothing saying which one: never guessed, even by a command that could
    otherwise go on without a config."""
