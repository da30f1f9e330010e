"""The real stages behind ``upgrader plan``: dependency choice, rewrite preview, manual items.

``build_plan`` hands :class:`DefaultStages` a scratch copy of the project and the hops in order;
this class runs, per hop, the dependency stage (choices carried from the previous hop), the
rewrite stage on the copy (so the next hop starts from rewritten code), then the scanner on the
rewritten copy for what the hop still breaks: those are the manual items.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from upgrader.deps.breaking import BaselineRun, hop_run
from upgrader.deps.plan import AUTO, DependencyPlan, plan_dependencies
from upgrader.deps.upgrade_steps import StepItem, open_step_items
from upgrader.detect.model import Project
from upgrader.detect.requirements import DeclaredSet, read_declared
from upgrader.files import Skipped
from upgrader.findings.model import Finding, ScanResult
from upgrader.findings.scan import scan_project
from upgrader.findings.selection import KEPT_WHILE_INSTALLED, HopFindings, relevant
from upgrader.hops import Hop
from upgrader.plan.model import (
    BlockedPackage,
    DependencyChange,
    HopAnalysis,
    ManualItem,
    PlanOptions,
    RewriteCount,
)
from upgrader.reviewed import split_reviewed
from upgrader.rewrite import rewrite_project
from upgrader.rewrite.model import RewriteResult
from upgrader.settings_modules import settings_modules

DJANGO_UPGRADE_DOCS = "https://github.com/adamchainz/django-upgrade#fixers"
PYUPGRADE_DOCS = "https://github.com/asottile/pyupgrade#readme"


def rule_docs(rule: str) -> str:
    """Where a rule id found in rewrite attribution is documented."""
    if rule.startswith("django-upgrade"):
        return DJANGO_UPGRADE_DOCS
    if rule.startswith("pyupgrade"):
        return PYUPGRADE_DOCS
    from codemods import get_rule

    try:
        return get_rule(rule).docs
    except KeyError:
        return ""


def rewrite_counts(project: Project, result: RewriteResult) -> tuple[RewriteCount, ...]:
    """Per rule: changed lines over all files, and the files (relative) it touched."""
    lines: dict[str, int] = defaultdict(int)
    files: dict[str, set[str]] = defaultdict(set)
    for change in result.changes:
        try:
            rel = change.path.relative_to(project.root).as_posix()
        except ValueError:
            rel = str(change.path)
        for hit in change.rules:
            lines[hit.rule] += max(1, len(hit.lines))
            files[hit.rule].add(rel)
    return tuple(
        RewriteCount(rule, lines[rule], tuple(sorted(files[rule])), rule_docs(rule))
        for rule in sorted(lines)
    )


def manual_items(findings: Iterable[Finding]) -> tuple[ManualItem, ...]:
    """Findings as the manual items of a plan or report, with the catalogue's suggestion."""
    return tuple(
        ManualItem(
            id=f.id,
            file=f.file,
            line=f.line,
            summary=f.deprecation.summary,
            suggestion=f.deprecation.suggestion,
            docs=f.deprecation.docs,
            removed_in=f"{f.deprecation.subject} {f.deprecation.removed_in}",
        )
        for f in findings
    )


def hop_findings(
    project: Project,
    hop: Hop,
    packages: Mapping[str, Version] | None = None,
    *,
    origin: Path | None = None,
) -> tuple[HopFindings, ScanResult]:
    """What the project's code, as it is now, still breaks or deprecates for ``hop``.

    The one judgement behind the plan's manual items (on the rewritten scratch copy), the
    rewrite command's and the step's: scan, then keep what the hop's Django, Python and
    ``packages`` (canonical name -> chosen version) make breaking or deprecated. ``origin``: the
    project's own root when ``project`` is the plan's scratch copy (its stage envs are there).
    """
    scan = scan_project(project, origin=origin)
    found = relevant(scan.findings, hop.source.version, hop.target.version, hop.python, packages)
    return found, scan


def upgrade_step_items(items: Iterable[StepItem]) -> tuple[ManualItem, ...]:
    """The third-party upgrade steps' items (``deps.upgrade_steps.StepItem``: ManualItem's
    fields) as the hop's manual items, for plan and step alike."""
    return tuple(ManualItem(**dataclasses.asdict(item)) for item in items)


def dependency_rows(
    plan: DependencyPlan,
) -> tuple[tuple[DependencyChange, ...], tuple[BlockedPackage, ...], tuple[str, ...]]:
    """A hop's dependency plan as the rows of the plan's JSON: changes, blocked, notes."""
    data = plan.to_json()
    changes = tuple(
        DependencyChange(str(d["name"]), d["current"], d["chosen"], str(d["reason"]))
        for d in data["dependencies"]
        if isinstance(d, dict)
    )
    blocked = tuple(
        BlockedPackage(str(b["name"]), str(b["reason"]), b["newest"], b["requires"])
        for b in data["blocked"]
        if isinstance(b, dict)
    )
    return changes, blocked, tuple(str(n) for n in data["notes"])


def chosen_versions(plan: DependencyPlan) -> dict[str, Version]:
    """Canonical package name -> chosen version, for the rules and findings keyed to packages."""
    return as_versions(plan.packages)


def as_versions(packages: Mapping[str, str]) -> dict[str, Version]:
    """Package name -> version text as canonical name -> Version (unparsable ones left out)."""
    found: dict[str, Version] = {}
    for name, text in packages.items():
        version = _version(text)
        if version is not None:
            found[canonicalize_name(name)] = version
    return found


def _version(text: str | None) -> Version | None:
    try:
        return Version(text) if text else None
    except InvalidVersion:
        return None


def kept_breaks(root: Path, project: Project, hop: Hop) -> BaselineRun | None:
    """What says which kept package breaks on ``hop``'s target, read from ``root`` (the
    project's own root): ``upgrader.deps.breaking.hop_run``, less the packages the project
    replaces in its stage environments. One answer for plan and step."""
    replaced = [name for name, _ in project.config.replace_requirements]
    return hop_run(root, hop.source.name, hop.target.name, replaced)


class DefaultStages:
    """Runs the real stages; keeps the previous hop's dependency choices to start the next.

    ``as_of``: the date the baseline's unpinned dependencies resolve as of. The stages work on a
    scratch copy without ``.git``, so "auto" there finds no history: ``build_plan`` passes the
    cut-off read from the project itself (``upgrader.deps.era.baseline_cutoff``); None: today.
    """

    def __init__(self, *, as_of: datetime | str | None = AUTO, origin: Path | None = None) -> None:
        self.as_of = as_of
        self.origin = origin  # the project's own root: its hop state and stage environments
        self._declared: DeclaredSet | None = None
        self._previous: DependencyPlan | None = None

    def _dependencies(
        self, project: Project, hop: Hop, options: PlanOptions
    ) -> tuple[DependencyPlan | None, list[Skipped]]:
        if self._declared is None:
            self._declared = read_declared(project.root)
        plan = plan_dependencies(
            project.root,
            self._declared,
            hop,
            strategy=options.strategy,
            offline=options.offline,
            previous=self._previous,
            as_of=self.as_of,
            baseline_run=kept_breaks(self.origin or project.root, project, hop),
        )
        self._previous = plan
        return plan, list(self._declared.skipped)

    def analyse(self, project: Project, hop: Hop, options: PlanOptions) -> HopAnalysis:
        notes: list[str] = []
        skipped: list[Skipped] = []
        packages: dict[str, Version] = {}
        dependencies: tuple[DependencyChange, ...] = ()
        blocked: tuple[BlockedPackage, ...] = ()
        dep_plan: DependencyPlan | None = None
        if options.dependencies:
            dep_plan, dep_skipped = self._dependencies(project, hop, options)
            skipped += dep_skipped
            if dep_plan is not None:
                dependencies, blocked, dep_notes = dependency_rows(dep_plan)
                notes += dep_notes
                packages = chosen_versions(dep_plan)
        rewrites: tuple[RewriteCount, ...] = ()
        if options.rewrites:
            result = rewrite_project(
                project, hop, write=True, packages=packages, origin=self.origin
            )
            rewrites = rewrite_counts(project, result)
            notes += result.notes
            skipped += result.failures
        found, scan = hop_findings(project, hop, packages, origin=self.origin)
        skipped += scan.skipped
        manual = manual_items(found.breaking)
        if dep_plan is not None and options.rewrites:
            # read again after the scratch copy's rewrite: a step a settings codemod made
            # (allauth's middleware, the crispy pack's app) is a rewrite above, not an item
            manual += upgrade_step_items(
                open_step_items(project.root, dep_plan.choices, settings_modules(project))
            )
        elif dep_plan is not None:
            manual += upgrade_step_items(dep_plan.step_items)
        manual, reviewed = split_reviewed(manual, project.config.reviewed)
        if reviewed:
            notes.append(
                "Manual items reviewed as not applying ([tool.upgrader] reviewed): "
                + ", ".join(f"{item.id} at {item.file}:{item.line}" for item in reviewed)
            )
        kept = [f for f in found.deprecated if f.id in KEPT_WHILE_INSTALLED]
        deprecated = [f for f in found.deprecated if f.id not in KEPT_WHILE_INSTALLED]
        for package in sorted({KEPT_WHILE_INSTALLED[f.id] for f in kept}):
            uses = [f for f in kept if KEPT_WHILE_INSTALLED[f.id] == package]
            where = ", ".join(f.location for f in uses[:5]) + (", ..." if len(uses) > 5 else "")
            version = packages.get(package) if packages else None
            notes.append(
                f"{package} stays your dependency ({package} {version} in the hop's set): the "
                f"project's {len(uses)} use(s) of it ({where}) keep working on Django "
                f"{hop.target.name}, which no longer uses {package} itself; move them "
                f"off {package} when convenient ({uses[0].deprecation.suggestion})"
            )
        if deprecated:
            notes.append(
                f"{len(deprecated)} use(s) of APIs deprecated in Django "
                f"{hop.target.name} will warn but still work; a later hop removes them."
            )
        return HopAnalysis(
            rewrites=rewrites,
            manual=manual,
            dependencies=dependencies,
            blocked=blocked,
            notes=tuple(notes),
            skipped=tuple(skipped),
        )
