"""The real stages one hop of ``upgrader step`` composes: dependencies, rewrite, verify, scan."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from upgrader.deps.plan import plan_dependencies
from upgrader.deps.resolve import write_constraints
from upgrader.deps.write import apply_writes, plan_writes
from upgrader.detect.requirements import read_declared
from upgrader.findings.scan import scan_project
from upgrader.findings.selection import relevant
from upgrader.hops import Hop
from upgrader.interpreters import find
from upgrader.plan import ManualItem
from upgrader.plan_stages import dependency_rows, manual_items, rewrite_counts
from upgrader.project import Project
from upgrader.releases import get_release
from upgrader.report import file_diffs, skipped_files
from upgrader.rewrite import rewrite_project
from upgrader.step import DependencyOutcome, RewriteOutcome, StepOptions
from upgrader.verify.run import verify_stage
from upgrader.verify.toxconfig import CONSTRAINTS_DIR, UPGRADER_DIR


def _relative(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _versions(packages: dict[str, str]) -> dict[str, Version]:
    result: dict[str, Version] = {}
    for name, text in packages.items():
        try:
            result[canonicalize_name(name)] = Version(text)
        except InvalidVersion:
            continue
    return result


class DefaultHopStages:
    def dependencies(self, project: Project, hop: Hop, options: StepOptions) -> DependencyOutcome:
        root = project.root
        declared = read_declared(root)
        plan = plan_dependencies(
            root,
            declared,
            hop,
            strategy=options.strategy,
            offline=options.offline,
            resolve=True,
        )
        changes, blocked, notes = dependency_rows(plan)
        packages = {c.name: c.chosen for c in plan.choices if c.chosen}
        if blocked:
            return DependencyOutcome(changes, blocked, packages, None, (), (), notes)
        writes = plan_writes(root, declared.requirements, plan.choices, plan.replacements)
        result = apply_writes(writes)
        constraints = None
        if plan.resolution is not None:
            path = write_constraints(plan.resolution, root / UPGRADER_DIR / CONSTRAINTS_DIR)
            constraints = _relative(root, path)
        return DependencyOutcome(
            changes=changes,
            blocked=(),
            packages=packages,
            constraints=constraints,
            files=tuple(_relative(root, p) for p in result.changed),
            commands_to_run=result.to_run,
            notes=(*notes, *result.notes),
        )

    def rewrite(self, project: Project, hop: Hop, packages: dict[str, str]) -> RewriteOutcome:
        result = rewrite_project(project, hop, write=True, packages=_versions(packages))
        return RewriteOutcome(
            rewrite_counts(project, result),
            file_diffs(result, project.root),
            skipped_files(result.failures, project.root),
            result.notes,
        )

    def verify(
        self,
        project: Project,
        stage: str,
        python: str,
        constraints: str | None,
        options: StepOptions,
    ) -> dict[str, Any]:
        release = get_release(stage)
        assert release is not None
        interpreter = find(python)
        requirements = project.root / constraints if constraints else None
        run = verify_stage(
            project, release, python=interpreter, requirements=requirements, timeout=options.timeout
        )
        return run.to_json()

    def manual(
        self, project: Project, hop: Hop, packages: dict[str, str]
    ) -> tuple[ManualItem, ...]:
        scan = scan_project(project)
        found = relevant(
            scan.findings, hop.source.version, hop.target.version, hop.python, _versions(packages)
        )
        return manual_items(found.breaking)
