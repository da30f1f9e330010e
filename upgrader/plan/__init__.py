"""The plan: the hop path with, per hop, its Python, dependency changes, automatic rewrites and
manual items. Read-only and static: the project's code is never imported or run.

Rewrites are counted by running the real rewrite stage on a temporary copy of the project's
files, hop after hop, so each hop's counts are what that hop will change after the hops before
it. Manual items are the findings still present in that copy after a hop's rewrites that the hop
must fix (removed in a release the hop reaches); their lines are where the developer will find
them at that point of the walk.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from upgrader import __version__, interpreters
from upgrader.detect.model import Evidence, Project
from upgrader.detect.test_env import (
    EnvVariable,
    Item,
    TestEnvironment,
    project_test_environment,
)
from upgrader.files import Skipped
from upgrader.hops import Hop, hop_path
from upgrader.interpreters import Interpreter
from upgrader.plan.model import (
    PLAN_SCHEMA,
    BlockedPackage,
    CurrentState,
    DependencyChange,
    EnvEntry,
    EnvVar,
    HopAnalysis,
    HopPlan,
    ManualItem,
    Plan,
    PlanOptions,
    PlanStages,
    ProgressCallback,
    RewriteCount,
    SkippedFile,
    TestEnvironmentPlan,
)
from upgrader.plan.scratch import scratch_copy
from upgrader.plan.summary import manual_items_sorted, road_blocks

__all__ = [
    "PLAN_SCHEMA",
    "BlockedPackage",
    "CurrentState",
    "DependencyChange",
    "EnvEntry",
    "EnvVar",
    "HopAnalysis",
    "HopPlan",
    "ManualItem",
    "Plan",
    "PlanOptions",
    "PlanStages",
    "ProgressCallback",
    "RewriteCount",
    "SkippedFile",
    "TestEnvironmentPlan",
    "build_plan",
    "environment_rows",
    "manual_items_sorted",
    "road_blocks",
    "scratch_copy",
]


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
        from upgrader.plan.stages import DefaultStages

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
