"""Build a hop's :class:`~upgrader.report.StepReport` from its saved state, and write it.

Everything comes from ``.upgrader/state.json`` (the hop's :class:`~upgrader.step.model.HopState`) and
git, never from memory, so ``upgrader report`` renders the same report after the fact.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name

from upgrader import __version__
from upgrader.git import Git
from upgrader.plan.model import DependencyChange
from upgrader.releases import get_release
from upgrader.report import (
    DONE,
    MANUAL_OPEN,
    NEEDS_ATTENTION,
    PhaseCommit,
    StepReport,
    TestSummary,
    report_dir,
    system_check_items,
    test_summary,
    warning_items,
    write_reports,
)
from upgrader.state import now
from upgrader.step.commits import TOOL_COMMIT
from upgrader.step.model import HopState
from upgrader.verify.run import TestRun


def _run(data: dict[str, Any] | None) -> TestRun | None:
    if not data or "stage" not in data:
        return None
    return TestRun.from_json(data)


def _accepted(data: dict[str, Any] | None) -> tuple[str, ...]:
    """The failing test ids a saved run was accepted with (``step.phases.run_accepted``)."""
    ids = (data or {}).get("accepted")
    return tuple(sorted(t for t in ids if isinstance(t, str))) if isinstance(ids, list) else ()


def _summary(data: dict[str, Any] | None, root: Path) -> TestSummary | None:
    run = _run(data)
    if run is None:
        return None
    return dataclasses.replace(test_summary(run, root=root), accepted=_accepted(data))


USER_COMMIT = "your commit"  # PhaseCommit.phase of a commit upgrader did not make


def _commits(hop: HopState, git: Git | None) -> tuple[PhaseCommit, ...]:
    """Every commit on the hop's branch since its base, oldest first: the phases', the fixes
    ``--continue`` committed, and the developer's own (phase :data:`USER_COMMIT`)."""
    if git is not None and hop.base_commit and hop.branch:
        tip = hop.branch if git.branch_exists(hop.branch) else "HEAD"
        found = []
        for sha, subject, body in reversed(git.commits(hop.base_commit, tip)):
            made = TOOL_COMMIT.search(body)
            found.append(PhaseCommit(made.group(1) if made else USER_COMMIT, sha, subject))
        return tuple(found)
    commits = []
    for phase in hop.phases:
        if not phase.commit:
            continue
        subject = phase.summary
        if git is not None:
            subject = (
                git.run("log", "-1", "--format=%s", phase.commit, check=False).strip() or subject
            )
        commits.append(PhaseCommit(phase.name, phase.commit, subject))
    return tuple(commits)


def _verified(hop: HopState) -> tuple[DependencyChange, ...]:
    """The dependency table as verified: each package's version is what the stage's environment
    had installed when the tests ran (a fix made after the dependency phase included); a package
    the environment did not have keeps the phase's choice, and its reason says it was not
    installed (a marker, an extra the stage does not install), so no row claims a tested
    version the tests never ran with."""
    if not hop.installed:
        return hop.dependencies
    rows = []
    for change in hop.dependencies:
        installed = hop.installed.get(canonicalize_name(change.name))
        if installed is None and change.chosen is not None:
            reason = f"{change.reason}; not installed in the stage's environment (not verified)"
            rows.append(dataclasses.replace(change, reason=reason.lstrip("; ")))
            continue
        if installed is None or installed == change.chosen:
            rows.append(change)
            continue
        reason = f"installed {installed} (the dependency phase chose {change.chosen or '-'})"
        rows.append(dataclasses.replace(change, chosen=installed, reason=reason))
    return tuple(rows)


def build_step_report(root: Path, hop: HopState, git: Git | None) -> StepReport:
    release = get_release(hop.target)
    after = _run(hop.tests_after)
    notes = list(hop.notes)
    if hop.migrations_check:
        notes.append(f"Not done: {hop.migrations_check}.")
    if hop.migrations:
        notes.append("New migrations to review: " + ", ".join(hop.migrations))
    if hop.commands_to_run:
        notes.append("Run to refresh lock files: " + "; ".join(hop.commands_to_run))
    if hop.tests_after and hop.tests_after.get("error"):
        notes.append(f"The tests could not run: {hop.tests_after['error']}")
    return StepReport(
        tool=__version__,
        project=str(root),
        source=hop.source,
        target=hop.target,
        python_from=hop.python_from,
        python=hop.python,
        branch=hop.branch,
        base_commit=hop.base_commit,
        commits=_commits(hop, git),
        started=hop.started,
        finished=hop.finished or now(),
        # Green tests with manual items open are not "done" (the report says how to finish).
        status=NEEDS_ATTENTION
        if hop.status == NEEDS_ATTENTION
        else (MANUAL_OPEN if hop.manual else DONE),
        release_notes=release.release_notes if release else "",
        dependencies=_verified(hop),
        blocked=hop.blocked,
        dependency_files=hop.dependency_files,
        rewrites=hop.rewrites,
        files=hop.files,
        skipped=hop.skipped,
        tests_before=_summary(hop.tests_before, root),
        tests_after=_summary(hop.tests_after, root),
        warnings=warning_items(after) if after else (),
        system_checks=system_check_items(after, _run(hop.tests_before)) if after else None,
        manual=hop.manual,
        reviewed=hop.reviewed,
        notes=tuple(notes),
    )


def write_step_report(root: Path, hop: HopState, git: Git | None) -> Path:
    """Write the hop's report.md/.html/.json into ``.upgrader/reports/django-X.Y/``."""
    directory = report_dir(root, hop.target)
    write_reports(build_step_report(root, hop, git), directory)
    return directory
