"""The plan: the hop path with, per hop, its Python, dependency changes, automatic rewrites and
manual items. Read-only and static: the project's code is never imported or run.

Rewrites are counted by running the real rewrite stage on a temporary copy of the project's
files, hop after hop, so each hop's counts are what that hop will change after the hops before
it. Manual items are the findings still present in that copy after a hop's rewrites that the hop
must fix (removed in a release the hop reaches); their lines are where the developer will find
them at that point of the walk.
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

from upgrader import __version__, interpreters
from upgrader.detect.test_env import (
    EnvVariable,
    Item,
    TestEnvironment,
    project_test_environment,
)
from upgrader.files import Skipped, project_files
from upgrader.hops import Hop, hop_path
from upgrader.interpreters import Interpreter
from upgrader.project import Evidence, Project

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


def _relocate(project: Project, root: Path) -> Project:
    """The same project seen at another root (a scratch copy)."""

    def move(path: Path | None) -> Path | None:
        if path is None:
            return None
        try:
            return root / path.relative_to(project.root)
        except ValueError:
            return path

    changes: dict[str, object] = {
        "root": root,
        "manage_py": move(project.manage_py),
        "settings_file": move(project.settings_file),
        "template_dirs": tuple(p for p in (move(d) for d in project.template_dirs) if p),
    }
    names = {f.name for f in dataclasses.fields(project)}
    if "settings_files" in names:
        files = getattr(project, "settings_files", ())
        changes["settings_files"] = tuple(p for p in (move(f) for f in files) if p)
    return dataclasses.replace(project, **changes)  # type: ignore[arg-type]


@contextmanager
def scratch_copy(project: Project, skipped: list[Skipped] | None = None) -> Iterator[Project]:
    """A throw-away copy of the project's files (not .git, venvs or caches) to rewrite freely.

    The files left out (links leaving the project, symlink loops) go to ``skipped`` when given.
    """
    skipped = [] if skipped is None else skipped
    files = project_files(project.root, exclude=project.config.exclude, skipped=skipped)
    with tempfile.TemporaryDirectory(prefix="upgrader-plan-") as tmp:
        root = Path(tmp) / project.root.name
        for path in files:
            dest = root / path.relative_to(project.root)
            dest.parent.mkdir(parents=True, exist_ok=True)
            try:
                shutil.copy2(path, dest, follow_symlinks=True)
            except OSError:
                continue  # unreadable files are reported by the stages that read them
        yield _relocate(project, root)


def _current_state(project: Project) -> CurrentState:
    return CurrentState(
        django=str(project.django_version),
        python=project.python_version,
        django_sources=tuple(
            f"{r.evidence} ({r.kind}: {r.specifier or 'any'})" for r in project.django_requirements
        ),
        python_sources=tuple(
            f"{d.evidence} ({d.kind}: {d.version})" for d in project.python_declarations
        ),
        settings=project.settings_module,
        test_command=project.test_runner.command,
        test_runner=project.test_runner.kind,
        python_reason=project.python_reason,
        settings_evidence=str(project.settings_evidence) if project.settings_evidence else "",
    )


def _entry(value: str, evidence: Evidence) -> EnvEntry:
    return EnvEntry(value, str(evidence), evidence.detail)


def environment_rows(environment: TestEnvironment) -> TestEnvironmentPlan:
    """``detect.test_env``'s findings as the plan's rows, each with its file:line and detail."""

    def var(v: EnvVariable) -> EnvVar:
        return EnvVar(v.name, v.value, str(v.evidence), v.evidence.detail)

    def entries(items: Sequence[Item]) -> tuple[EnvEntry, ...]:
        return tuple(_entry(i.value, i.evidence) for i in items)

    settings = environment.settings
    return TestEnvironmentPlan(
        env=tuple(var(v) for v in environment.env),
        pass_env=tuple(var(v) for v in environment.pass_env),
        pre_test=entries(environment.pre_test),
        requirements=entries(environment.requirements),
        extras=entries(environment.extras),
        settings=_entry(settings.value, settings.evidence) if settings else None,
        notes=entries(environment.notes),
    )


def _hop_notes(hop: Hop) -> list[str]:
    notes = []
    if hop.python_reason:
        # The reason names what decided (the declaration kept, the support range, the machine).
        change = f"{hop.python_from} -> {hop.python}" if hop.python_changes else hop.python
        reason = hop.python_reason
        # "Python 3.8 kept: ..." already names the Python: not "Python 3.8: Python 3.8 kept".
        said = reason if reason.startswith(f"Python {change} ") else f"Python {change}: {reason}"
        notes.append(f"{said}.")
    elif hop.python_changes:
        notes.append(
            f"Python {hop.python_from} -> {hop.python}: Django {hop.target.name} supports "
            f"{hop.target.min_python}-{hop.target.max_python}."
        )
    if hop.min_django_patch:
        notes.append(f"Python {hop.python} needs Django {hop.min_django_patch} or later.")
    if hop.interpreter is None:
        notes.append(
            f"No Python {hop.python} on this machine. {interpreters.install_hint(hop.python)}"
        )
    if hop.target.status != "released":
        notes.append(f"Django {hop.target.name} is not released yet.")
    return notes


def _baseline_cutoff(project: Project, options: PlanOptions) -> datetime | None:
    """The date the baseline's dependencies resolve as of, from the project's own git history
    (the scratch copy has none); None without history, or when dependencies are not planned."""
    if not options.dependencies:
        return None
    from upgrader.deps.era import baseline_cutoff
    from upgrader.deps.index import IndexConfig, PackageIndex

    index = PackageIndex(IndexConfig(), offline=True) if options.offline else None
    return baseline_cutoff(project.root, project.django_version, index=index)


def _relative(project: Project, path: Path) -> str:
    try:
        return path.relative_to(project.root).as_posix()
    except ValueError:
        return str(path)


def build_plan(
    project: Project,
    options: PlanOptions | None = None,
    *,
    stages: PlanStages | None = None,
    find_interpreter: Callable[[str], Interpreter | None] = interpreters.find,
    progress: ProgressCallback | None = None,
) -> Plan:
    """The plan for ``project``; ``stages`` defaults to the real detect/rewrite/dependency stages."""
    options = options or PlanOptions()
    hops = hop_path(
        project.django_version,
        project.python_version,
        to=options.to,
        via=options.via,
        find_interpreter=find_interpreter,
    )
    if stages is None:
        from upgrader.plan_stages import DefaultStages

        default = DefaultStages(as_of=_baseline_cutoff(project, options))
        default.origin = project.root  # its hop state and stage environments (not the copy's)
        stages = default
    skipped: dict[str, SkippedFile] = {
        _relative(project, s.path): SkippedFile(_relative(project, s.path), s.reason)
        for s in project.skipped
    }
    hop_plans: list[HopPlan] = []
    notes: list[str] = []
    if not hops:
        notes.append(
            f"Already on Django {project.django_version}: nothing to do for --to {options.to}."
        )
    left_out: list[Skipped] = []
    with scratch_copy(project, left_out) as scratch:
        for s in left_out:
            rel = _relative(project, s.path)
            skipped.setdefault(rel, SkippedFile(rel, s.reason))
        for hop in hops:
            if progress:
                progress(f"Planning Django {hop.name}")
            analysis = stages.analyse(scratch, hop, options)
            for s in analysis.skipped:
                rel = _relative(scratch, s.path)
                skipped.setdefault(rel, SkippedFile(rel, s.reason))
            hop_plans.append(
                HopPlan(
                    source=hop.source.name,
                    target=hop.target.name,
                    python=hop.python,
                    python_from=hop.python_from,
                    interpreter=str(hop.interpreter.path) if hop.interpreter else None,
                    lts=hop.target.lts,
                    min_django_patch=hop.min_django_patch,
                    end_of_support=hop.target.end_of_support,
                    release_notes=hop.target.release_notes,
                    rewrites=analysis.rewrites,
                    manual=analysis.manual,
                    dependencies=analysis.dependencies,
                    blocked=analysis.blocked,
                    notes=tuple(_hop_notes(hop)) + analysis.notes,
                )
            )
    return Plan(
        schema=PLAN_SCHEMA,
        tool=__version__,
        project=str(project.root),
        current=_current_state(project),
        target=hops[-1].target.name if hops else str(project.django_version),
        via=options.via,
        hops=tuple(hop_plans),
        skipped=tuple(sorted(skipped.values(), key=lambda s: s.file)),
        notes=tuple(notes),
        test_environment=environment_rows(project_test_environment(project)),
    )


def road_blocks(plan: Plan) -> list[str]:
    """One sentence per hop that cannot be made as planned: the packages that block it and why.

    A package missing from the index is a blocked package too (the index lists no release).
    ``upgrader plan`` exits 1 when this is not empty.
    """
    return [
        f"Django {hop.target} is blocked by "
        + "; ".join(f"{b.name or 'the dependency set'} ({b.reason})" for b in hop.blocked)
        for hop in plan.hops
        if hop.blocked
    ]


def manual_items_sorted(items: Sequence[ManualItem]) -> list[ManualItem]:
    return sorted(items, key=lambda m: (m.file, m.line, m.id))
