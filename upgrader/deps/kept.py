"""Which kept package breaks on a hop's target, and the notes for the rows of the others, for
``upgrader.deps.plan.plan_dependencies`` (plan and step alike).

From the baseline's recorded run and the stage environment's installed files
(``upgrader.deps.breaking``), or, before any stage environment exists (a fresh clone), from the
wheels of the releases the project runs (``upgrader.deps.removed_api.release_removed_imports``),
so the plan before any step says what step will. Only removed imports in modules Django or the
project loads count (``upgrader.deps.reachable``); one in a module nothing loads is a note on
its package's row.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from upgrader.deps.breaking import (
    BaselineRun,
    BreakingWarning,
    baseline_findings,
    breaking_warnings,
    module_owners,
)
from upgrader.deps.evidence import django_app_evidence, group_declared
from upgrader.deps.index import PackageIndexError, ReleaseFiles
from upgrader.deps.model import FileSource, MetadataSource
from upgrader.deps.reachable import ProjectRoots
from upgrader.deps.removed_api import release_removed_imports
from upgrader.deps.start import AUTO
from upgrader.detect.requirements import DeclaredRequirement
from upgrader.hops import Hop
from upgrader.verify.deprecations import DeprecationFinding

__all__ = ["kept_breaking"]


def kept_breaking(
    project_root: Path,
    declared: Sequence[DeclaredRequirement],
    hop: Hop,
    baseline_run: BaselineRun | str | None,
    index: MetadataSource,
    start: Mapping[str, str],
    apps: Sequence[str],
    roots: ProjectRoots,
    locked: frozenset[str],
) -> tuple[dict[str, BreakingWarning], dict[str, str]]:
    """The declared packages whose code warned, in the baseline's run, about an API the hop's
    target removes, or whose installed files import a name it removed, in a module Django or
    the project loads. A run on an earlier Django than the hop's source counts only for
    packages whose version in that run is known (the version kept since is then compared).
    Without a stage environment read (a fresh clone), the releases the project runs of its
    Django apps and packages requiring Django are read from their wheels instead
    (``_release_breaking``), so the plan before any step says what step will. Also, per package,
    a note for its row: a removed import in a module nothing loads, or why none was checked."""
    run = (
        baseline_findings(project_root, hop.source.name, hop.target.name)
        if baseline_run == AUTO
        else baseline_run
    )
    names = {d.name for d in declared if d.name}
    found: dict[str, BreakingWarning] = {}
    notes: dict[str, str] = {}
    if isinstance(run, BaselineRun):
        owners = module_owners(project_root, run.env)
        if run.findings:
            found = breaking_warnings(run.findings, hop.target.name, names, owners)
            if run.stage != hop.source.name:
                found = {name: b for name, b in found.items() if b.version is not None}
        unused = breaking_warnings(run.unloaded, hop.target.name, names, owners)
        notes = {name: _unloaded_note(name, b.version, b.finding) for name, b in unused.items()}
    if not isinstance(run, BaselineRun) or not run.static_read:
        read, read_notes = _release_breaking(declared, hop, index, start, apps, roots, locked)
        found = {**read, **found}
        notes = {**read_notes, **notes}
    return found, notes


def _unloaded_note(name: str, version: str | None, finding: DeprecationFinding) -> str:
    release = f"{name} {version}" if version else name
    return (
        f"{release}'s {finding.location} {finding.message}, removed in Django "
        f"{finding.removed_in}: the project does not load that module, so it is not a blocker"
    )


def _requires_django(index: MetadataSource, name: str, release: ReleaseFiles) -> bool:
    try:
        requires = index.metadata(name, release).requires_dist
    except PackageIndexError:
        return False
    for line in requires:
        with contextlib.suppress(InvalidRequirement):
            if canonicalize_name(Requirement(line).name) == "django":
                return True
    return False


def _release_breaking(
    declared: Sequence[DeclaredRequirement],
    hop: Hop,
    index: MetadataSource,
    start: Mapping[str, str],
    apps: Sequence[str],
    roots: ProjectRoots,
    locked: frozenset[str],
) -> tuple[dict[str, BreakingWarning], dict[str, str]]:
    """``_breaking`` read from the index: per Django app (``django_app_evidence``) or package
    whose release requires Django, the release the project runs (its pin or lock, else what its
    baseline resolved, ``start``) read from its wheel, else sdist
    (``removed_api.release_removed_imports``, cached): its first import, in a module loaded from
    ``roots``, of a name removed after the hop's source and at or before its target."""
    found: dict[str, BreakingWarning] = {}
    notes: dict[str, str] = {}
    if not isinstance(index, FileSource):
        return found, notes
    try:
        source = Version(hop.source.name)
    except InvalidVersion:
        return found, notes
    for name, package in sorted(group_declared(declared, locked).items()):
        if name == "django":
            continue
        floor = package.current
        if floor is None and start.get(name):
            with contextlib.suppress(InvalidVersion):
                floor = Version(start[name])
        if floor is None:
            continue
        try:
            release = index.releases(name).get(floor)
        except PackageIndexError as exc:
            if django_app_evidence(name, apps):
                notes[name] = f"removed imports not checked: {exc.message}"
            continue
        if release is None:
            continue
        if not django_app_evidence(name, apps) and not _requires_django(index, name, release):
            continue
        scan = release_removed_imports(index, release, hop.target.name, roots)
        if scan.problem:
            notes[name] = f"removed imports not checked: {scan.problem}"
            continue

        def after_source(finding: DeprecationFinding) -> bool:
            try:
                return finding.removed_in is not None and Version(finding.removed_in) > source
            except InvalidVersion:
                return False

        breaks = [f for f in scan.findings if after_source(f)]
        unused = [f for f in scan.unloaded if after_source(f)]
        if breaks:
            found[name] = BreakingWarning(name, breaks[0], str(floor))
        elif unused:
            notes[name] = _unloaded_note(name, str(floor), unused[0])
    return found, notes
