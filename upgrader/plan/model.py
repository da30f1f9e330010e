"""The plan's data: frozen dataclasses of plain values (and the stages' protocol), converted by
:mod:`upgrader.serialize`. The report reuses :class:`DependencyChange`, :class:`BlockedPackage`,
:class:`RewriteCount`, :class:`ManualItem` and :class:`SkippedFile`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from upgrader.detect.model import Project
from upgrader.files import Skipped
from upgrader.hops import Hop

PLAN_SCHEMA = 1


@dataclass(frozen=True)
class RewriteCount:
    """How many changes one rule makes in one hop, over how many files."""

    rule: str
    changes: int
    files: tuple[str, ...]
    docs: str = ""


@dataclass(frozen=True)
class ManualItem:
    """Something a developer must change by hand, with where and how."""

    id: str
    file: str
    line: int
    summary: str
    suggestion: str
    docs: str
    removed_in: str = ""


@dataclass(frozen=True)
class DependencyChange:
    """One package of a hop's dependency set: current -> chosen, and why."""

    name: str
    current: str | None
    chosen: str | None
    reason: str


@dataclass(frozen=True)
class BlockedPackage:
    name: str
    reason: str
    newest: str | None = None
    requires: str | None = None


@dataclass(frozen=True)
class HopPlan:
    source: str = field(metadata={"json": "from"})
    target: str = field(metadata={"json": "to"})
    python: str
    python_from: str | None
    interpreter: str | None  # path of the interpreter on this machine, None when missing
    lts: bool
    min_django_patch: str | None
    end_of_support: str
    release_notes: str
    rewrites: tuple[RewriteCount, ...] = ()
    manual: tuple[ManualItem, ...] = ()
    dependencies: tuple[DependencyChange, ...] = ()
    blocked: tuple[BlockedPackage, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def automatic_changes(self) -> int:
        return sum(r.changes for r in self.rewrites)


@dataclass(frozen=True)
class CurrentState:
    django: str
    python: str | None
    django_sources: tuple[str, ...]
    python_sources: tuple[str, ...]
    settings: str | None
    test_command: tuple[str, ...]
    test_runner: str
    python_reason: str = ""  # why ``python``: the file, the entry and the rule
    settings_evidence: str = ""  # where the settings are named, or configured in code


@dataclass(frozen=True)
class EnvEntry:
    """One value of the test environment and where it was found (``evidence``: file:line)."""

    value: str
    evidence: str
    detail: str = ""


@dataclass(frozen=True)
class EnvVar:
    """A variable of the test environment; ``value`` None: passed through from the caller."""

    name: str
    value: str | None
    evidence: str
    detail: str = ""


@dataclass(frozen=True)
class TestEnvironmentPlan:
    """The environment every stage's tests run in, as ``detect.test_env`` found it."""

    __test__ = False  # not a pytest test class, despite the name

    env: tuple[EnvVar, ...] = ()
    pass_env: tuple[EnvVar, ...] = ()
    pre_test: tuple[EnvEntry, ...] = ()
    requirements: tuple[EnvEntry, ...] = ()
    extras: tuple[EnvEntry, ...] = ()
    settings: EnvEntry | None = None
    notes: tuple[EnvEntry, ...] = ()

    @property
    def empty(self) -> bool:
        return not (
            self.env
            or self.pass_env
            or self.pre_test
            or self.requirements
            or self.extras
            or self.settings
            or self.notes
        )


@dataclass(frozen=True)
class SkippedFile:
    file: str
    reason: str


@dataclass(frozen=True)
class Plan:
    schema: int
    tool: str
    project: str
    current: CurrentState
    target: str
    via: str
    hops: tuple[HopPlan, ...]
    skipped: tuple[SkippedFile, ...] = ()
    notes: tuple[str, ...] = ()
    test_environment: TestEnvironmentPlan = field(default_factory=TestEnvironmentPlan)


@dataclass(frozen=True)
class PlanOptions:
    to: str = "lts"
    via: str = "lts"
    rewrites: bool = True
    dependencies: bool = True
    strategy: str = "minimal"
    offline: bool = False


@dataclass(frozen=True)
class HopAnalysis:
    """What the stages tell the plan about one hop, before it is turned into a HopPlan."""

    rewrites: tuple[RewriteCount, ...] = ()
    manual: tuple[ManualItem, ...] = ()
    dependencies: tuple[DependencyChange, ...] = ()
    blocked: tuple[BlockedPackage, ...] = ()
    notes: tuple[str, ...] = ()
    skipped: tuple[Skipped, ...] = ()


class PlanStages(Protocol):
    """The stages the plan consults, one hop at a time, on a scratch copy of the project."""

    def analyse(self, project: Project, hop: Hop, options: PlanOptions) -> HopAnalysis: ...


ProgressCallback = Callable[[str], None]
