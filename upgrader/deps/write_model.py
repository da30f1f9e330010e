"""What writing the chosen versions back does: the edits and regenerations ``write.plan_writes``
plans (``WritePlan``), what ``write_apply.apply_writes`` did (``WriteResult``), and the plan as a
unified diff."""

from __future__ import annotations

import difflib
import os
import shlex
from dataclasses import dataclass
from pathlib import Path

from upgrader.files import SourceText


@dataclass(frozen=True)
class LineChange:
    """One edited line: where, what it was, what it became, and why."""

    file: str
    line: int
    before: str
    after: str
    package: str  # the package as declared
    version: str  # the version written
    renamed_to: str | None = None

    @property
    def written_name(self) -> str:
        return self.renamed_to or self.package


@dataclass(frozen=True)
class Addition:
    """A requirement to add beside the declaration of ``beside`` (a canonical name)."""

    name: str
    version: str
    beside: str
    reason: str = ""


@dataclass(frozen=True)
class FileEdit:
    path: Path
    source: SourceText
    new_text: str
    changes: tuple[LineChange, ...]


@dataclass(frozen=True)
class Regeneration:
    """A command that regenerates a compiled or lock file with the project's own tool."""

    argv: tuple[str, ...]  # as the user would type it ("pip-compile ...", "poetry lock")
    cwd: Path
    header: str | None = None  # pip-compile: the command its header keeps showing
    lock: Path | None = None  # the lock file it regenerates (None: a pip-compiled file)

    @property
    def shown(self) -> str:
        return shlex.join(self.argv)


@dataclass(frozen=True)
class WritePlan:
    """What writing the chosen versions back would do; ``apply_writes`` carries it out."""

    edits: tuple[FileEdit, ...]
    commands: tuple[Regeneration, ...]  # lock/compile regenerations, in order
    notes: tuple[str, ...]


def unified_diff(plan: WritePlan, root: Path) -> str:
    """The edits as one unified diff, paths relative to ``root`` (for --dry-run and reports)."""
    chunks: list[str] = []
    for edit in plan.edits:
        # ``../requirements.txt`` for a project in a subfolder of its repository.
        rel = Path(os.path.relpath(edit.path, root)).as_posix()
        chunks.extend(
            difflib.unified_diff(
                edit.source.text.splitlines(keepends=True),
                edit.new_text.splitlines(keepends=True),
                f"a/{rel}",
                f"b/{rel}",
            )
        )
    return "".join(chunks)


@dataclass(frozen=True)
class WriteResult:
    changed: tuple[Path, ...]
    ran: tuple[str, ...]  # commands run
    to_run: tuple[str, ...]  # commands the user must run (tool not installed or failed)
    notes: tuple[str, ...]
    constraints: Path | None = None  # the stage's constraints file, when one was written
    stale_locks: tuple[Path, ...] = ()  # lock files left behind the declarations (see to_run)
