"""The one error family the CLI turns into a message and an exit code.

Every error says what failed and what to do next; the CLI prints ``message`` and, when
present, ``hint`` (as build prints ERROR and TIP), never a traceback.
"""

from __future__ import annotations

from pathlib import Path


class UpgraderError(Exception):
    """A failure the user can act on."""

    exit_code = 2

    def __init__(self, message: str, *, hint: str | None = None, path: Path | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.path = path

    def __str__(self) -> str:
        return self.message


class UsageError(UpgraderError):
    """The command line asks for something impossible (e.g. a target older than the current)."""


class NotADjangoProjectError(UpgraderError):
    """No manage.py, settings module or Django requirement could be found."""


class DetectionError(UpgraderError):
    """The project was found but a fact the plan needs (e.g. the Django version) was not."""


class InterpreterNotFoundError(UpgraderError):
    """No working Python interpreter on this machine fits a stage's supported range."""


class ResolutionError(UpgraderError):
    """No dependency set satisfies a hop's target."""


class VerifyError(UpgraderError):
    """A stage's test environment could not be built or its tests could not be run."""


class StateError(UpgraderError):
    """The .upgrader/ state is missing, corrupt, locked, or the tree is not safe to change."""
