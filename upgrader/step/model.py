"""The data of a hop: its saved state, what its stages return, its options and result.

Frozen dataclasses and protocols only, and the constants that name phases and statuses: what
the stages, the report and ``upgrader.deps`` import, never the code that runs a hop.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from upgrader.defaults import DIAGNOSE_BUDGET as DIAGNOSE_BUDGET  # --diagnose-budget's default
from upgrader.detect.model import Project
from upgrader.hops import Hop
from upgrader.plan.model import (
    BlockedPackage,
    DependencyChange,
    ManualItem,
    RewriteCount,
    SkippedFile,
)
from upgrader.report.model import MANUAL_OPEN as MANUAL_OPEN  # tests green, manual items open
from upgrader.report.model import FileDiff

BRANCH_PREFIX = "upgrade/django-"
PHASES = ("dependencies", "rewrite", "migrations", "verify", "report")
PENDING, DONE = "pending", "done"
IN_PROGRESS, NEEDS_ATTENTION, COMPLETE = "in-progress", "needs-attention", "done"
# The id of the manual items ``upgrader diagnose --revert-breaking`` adds: a rewrite it put back.
REVERTED_REWRITE = "reverted-rewrite"


@dataclass(frozen=True)
class PhaseRecord:
    name: str
    status: str = PENDING
    commit: str | None = None
    summary: str = ""
    finished: str | None = None


@dataclass(frozen=True)
class HopState:
    """One hop, as saved in ``.upgrader/state.json``; everything the report needs is here."""

    source: str = field(metadata={"json": "from"})
    target: str = field(metadata={"json": "to"})
    python_from: str | None
    python: str
    git: bool
    branch: str | None
    base_commit: str | None
    base_branch: str | None
    started: str
    status: str = IN_PROGRESS
    phases: tuple[PhaseRecord, ...] = ()
    finished: str | None = None
    packages: dict[str, str] = field(default_factory=dict)
    constraints: str | None = None
    dependencies: tuple[DependencyChange, ...] = ()
    blocked: tuple[BlockedPackage, ...] = ()
    dependency_files: tuple[str, ...] = ()
    commands_to_run: tuple[str, ...] = ()
    rewrites: tuple[RewriteCount, ...] = ()
    files: tuple[FileDiff, ...] = ()
    skipped: tuple[SkippedFile, ...] = ()
    tests_before: dict[str, Any] | None = None  # TestRun.to_json()
    tests_after: dict[str, Any] | None = None
    manual: tuple[ManualItem, ...] = ()
    # Manual items [tool.upgrader] reviewed names as not applying: listed, never open.
    reviewed: tuple[ManualItem, ...] = ()
    migrations: tuple[str, ...] = ()
    # Why ``makemigrations --check`` is not clean on the target (None: clean, or not run yet).
    migrations_check: str | None = None
    notes: tuple[str, ...] = ()
    report_dir: str | None = None
    # Untracked files the hop does not own, relative to the repository's top: the user's, there
    # before the hop, and what its runs left and its phases did not commit (db.sqlite3).
    untracked_before: tuple[str, ...] = ()
    side_effects: tuple[str, ...] = ()
    # What the stage's environment had installed when the hop's tests last ran (canonical name
    # -> version): the set that was verified, which the report's dependency table shows.
    installed: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"{self.source} -> {self.target}"

    @property
    def left_alone(self) -> tuple[str, ...]:
        """Untracked files never committed or stashed by the hop (see the two fields)."""
        return (*self.untracked_before, *self.side_effects)

    @property
    def manual_open(self) -> int:
        """Manual items the hop's last check found open (0 for a hop whose tests are red too)."""
        return len(self.manual)

    def phase(self, name: str) -> PhaseRecord:
        return next(p for p in self.phases if p.name == name)

    def next_phase(self) -> str | None:
        return next((p.name for p in self.phases if p.status != DONE), None)

    def last_commit(self) -> str | None:
        commits = [p.commit for p in self.phases if p.commit]
        return commits[-1] if commits else self.base_commit


@dataclass(frozen=True)
class ProjectState:
    current: HopState | None = None
    history: tuple[HopState, ...] = ()


class StepReporter(Protocol):
    """Where progress goes: rich on a terminal, plain lines in CI logs (see cli.py)."""

    def phase(self, name: str, message: str) -> None: ...

    def info(self, message: str) -> None: ...


# --- the stages a hop composes (swappable in unit tests) -----------------------------------


@dataclass(frozen=True)
class DependencyOutcome:
    changes: tuple[DependencyChange, ...]
    blocked: tuple[BlockedPackage, ...]
    packages: dict[str, str]
    constraints: str | None
    files: tuple[str, ...]
    commands_to_run: tuple[str, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class RewriteOutcome:
    rewrites: tuple[RewriteCount, ...]
    files: tuple[FileDiff, ...]
    skipped: tuple[SkippedFile, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class MigrationsOutcome:
    created: tuple[str, ...]  # new migration files, relative to the root
    notes: tuple[str, ...]
    failed: str | None = None  # makemigrations could not run (why, and its log)
    # Why makemigrations was not run at all (no manage.py: a reusable app); never a failure.
    not_checked: str | None = None
    # Migrations the hop edited (index_together entries added then removed, folded away).
    edited: tuple[str, ...] = ()


class HopStages(Protocol):
    def dependencies(
        self, project: Project, hop: Hop, options: StepOptions
    ) -> DependencyOutcome: ...

    def rewrite(self, project: Project, hop: Hop, packages: dict[str, str]) -> RewriteOutcome: ...

    def verify(
        self,
        project: Project,
        stage: str,
        python: str,
        constraints: str | None,
        options: StepOptions,
    ) -> dict[str, Any]: ...

    def manual(
        self,
        project: Project,
        hop: Hop,
        packages: dict[str, str],
        dependencies: tuple[DependencyChange, ...],
    ) -> tuple[ManualItem, ...]:
        """The hop's manual items: the findings the project still has, and the upgrade steps
        of ``dependencies`` (the hop's recorded changes) its settings still need."""
        ...

    def migrations(
        self,
        project: Project,
        stage: str,
        python: str,
        constraints: str | None,
        options: StepOptions,
    ) -> MigrationsOutcome: ...

    def check_migrations(
        self,
        project: Project,
        stage: str,
        python: str,
        constraints: str | None,
        options: StepOptions,
    ) -> str | None:
        """``makemigrations --check`` on the stage: None when clean, else what is wrong."""
        ...

    def installed(
        self,
        project: Project,
        stage: str,
        python: str,
        constraints: str | None,
        options: StepOptions,
    ) -> dict[str, str]:
        """What the stage's environment has installed (canonical name -> version)."""
        ...


class DiagnoseHop(Protocol):
    """Diagnoses the hop of ``root`` that needs attention and returns the diagnosis as text.

    The entry point passes ``upgrader.diagnose`` (``diagnose_hop`` + ``render.render_text``):
    ``upgrader.diagnose`` imports ``upgrader.step``, so importing it from here would make a circle.
    """

    def __call__(
        self, root: Path, *, budget: float, timeout: float, progress: Callable[[str], None]
    ) -> str: ...


@dataclass(frozen=True)
class StepOptions:
    to: str = "lts"
    via: str = "lts"
    git: bool = True
    strategy: str = "minimal"
    offline: bool = False
    timeout: float = 1800.0
    accept_failing: bool = False
    resume: bool = False  # --continue: after fixing a hop that needs attention
    django_from: str | None = None
    diagnose: bool = True  # on red: which of the hop's changes broke which test
    diagnose_budget: float = DIAGNOSE_BUDGET


@dataclass(frozen=True)
class StepResult:
    """What ``upgrader step`` did: the hop, its state, where the report is."""

    hop: HopState | None
    message: str
    exit_code: int = 0
    manual_open: int = 0  # manual items still open after the hop (exit 1 when any)
