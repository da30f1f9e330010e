"""The dependency part of one hop's plan: per package, current -> chosen and why, what blocks
the hop, what the curated table replaces; optionally resolved into the stage's constraints.

``plan_dependencies`` is the entry point the plan and step commands call once per hop, passing
the previous hop's plan so each hop starts from the versions the one before chose.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from packaging.utils import canonicalize_name

from upgrader.deps.apps import SettingsValues, settings_files, settings_values
from upgrader.deps.breaking import (
    BaselineRun,
)
from upgrader.deps.choose import choose_versions
from upgrader.deps.evidence import PLATFORM
from upgrader.deps.index import (
    IndexConfig,
    PackageIndex,
    PackageIndexError,
    index_config,
)
from upgrader.deps.installable import (
    SourceBuild,
    binary_packages,
    source_builds,
    uv_source_builds,
)
from upgrader.deps.kept import kept_breaking
from upgrader.deps.model import (
    Blocked,
    Choice,
    Choices,
    Constraint,
    MetadataSource,
    ReplacementChoice,
    Target,
)
from upgrader.deps.reachable import project_roots
from upgrader.deps.resolve import (
    BUILD_FAILED,
    BuildFailure,
    DependencyConflict,
    Resolution,
    Resolver,
    Runner,
    find_resolver,
    pip_compile_python,
    read_pins,
    resolve_dependencies,
    subprocess_runner,
    write_constraints,
)
from upgrader.deps.start import (
    AUTO as AUTO,  # re-exported: plan.stages passes it
)
from upgrader.deps.start import (
    build_constraints,
    is_pin,
    starting_versions,
    unpinned_declarations,
)
from upgrader.deps.upgrade_steps import (
    StepItem,
    UpgradeStep,
    companion_additions,
    companion_declarations,
    companion_requirements,
    mark_companions,
    step_context,
    step_items,
    step_notes,
    upgrade_steps,
)
from upgrader.deps.write import WriteResult, apply_writes, compile_command, plan_writes
from upgrader.detect.requirements import DeclaredRequirement, DeclaredSet
from upgrader.errors import ResolutionError
from upgrader.files import SourceText, read_text
from upgrader.hops import Hop
from upgrader.verify.toxconfig import CONSTRAINTS_DIR, UPGRADER_DIR


@dataclass(frozen=True)
class DependencyPlan:
    """What the dependency stage decided for one hop."""

    target: Target
    choices: tuple[Choice, ...]
    blocked: tuple[Blocked, ...] = ()
    replacements: tuple[ReplacementChoice, ...] = ()
    notes: tuple[str, ...] = ()
    resolution: Resolution | None = None
    # Packages the project does not pin: the version each started this hop from.
    baseline: tuple[tuple[str, str], ...] = ()
    # Packages of the resolved set with no wheel for the stage (each also says so in ``notes``).
    source_builds: tuple[SourceBuild, ...] = ()
    # What the packages' releases crossed by this hop ask of the project (``upgrade_steps``);
    # each is also a note. ``companions``: the packages steps added to the set (this hop's or
    # an earlier hop's of the same plan) that the project does not declare.
    upgrade_steps: tuple[UpgradeStep, ...] = ()
    companions: tuple[str, ...] = ()
    # The steps as the hop's items, at the settings line each concerns (``step_items``).
    step_items: tuple[StepItem, ...] = ()

    @property
    def changes(self) -> tuple[Choice, ...]:
        return tuple(c for c in self.choices if c.changed)

    @property
    def packages(self) -> dict[str, str]:
        """Canonical name -> version of the set after the hop: choices plus renamed-in packages.

        With a resolution, its pins (transitive ones included) win.
        """
        found = {c.name: c.chosen for c in self.choices}
        for r in self.replacements:
            if r.action == "rename" and r.replacement and r.chosen:
                found.pop(r.name, None)
                found[canonicalize_name(r.replacement)] = r.chosen
        if self.resolution is not None:
            found.update(dict(self.resolution.pins))
        return found

    def to_json(self) -> dict[str, list[dict[str, str | None]] | list[str]]:
        """The plan's JSON for this hop: ``dependencies``, ``blocked`` (plan schema 1), ``notes``."""
        dependencies: list[dict[str, str | None]] = [
            {"name": c.name, "current": c.current, "chosen": c.chosen, "reason": c.reason}
            for c in self.choices
        ]
        for r in self.replacements:
            if r.action == "rename" and r.replacement:
                dependencies.append(
                    {
                        "name": r.name,
                        "current": r.current,
                        "chosen": None,
                        "reason": f"replaced by {r.replacement}: {r.reason} ({r.source})",
                    }
                )
                dependencies.append(
                    {
                        "name": r.replacement,
                        "current": None,
                        "chosen": r.chosen,
                        "reason": f"replaces {r.name} ({r.source})",
                    }
                )
        blocked: list[dict[str, str | None]] = [
            {
                "name": b.name,
                "reason": b.reason,
                "newest": b.newest_available,
                "requires": b.what_it_requires or None,
            }
            for b in self.blocked
        ]
        notes = list(self.notes)
        notes += [
            f"{r.name}: {r.reason} ({r.source})" for r in self.replacements if r.action != "rename"
        ]
        return {"dependencies": dependencies, "blocked": blocked, "notes": notes}


def carry_forward(
    declared: Sequence[DeclaredRequirement], previous: DependencyPlan | None
) -> list[DeclaredRequirement]:
    """The declarations as the previous hop leaves them: its chosen pins, its renames.

    A package the project does not pin keeps its declaration (the previous hop's choice is
    where the next hop starts: ``previous_versions``), so the plan keeps saying it is unpinned.
    """
    if previous is None:
        return list(declared)
    chosen = {c.name: c.chosen for c in previous.choices}
    renamed = {r.name: r for r in previous.replacements if r.action == "rename" and r.chosen}
    result: list[DeclaredRequirement] = []
    for decl in declared:
        if decl.is_lock:
            continue  # superseded by the previous hop's choices
        if decl.name in renamed:
            row = renamed[decl.name]
            result.append(
                dataclasses.replace(
                    decl, name=str(row.replacement), specifier=f"=={row.chosen}", extras=()
                )
            )
        elif decl.name in chosen and is_pin(decl.specifier):
            result.append(dataclasses.replace(decl, specifier=f"=={chosen[decl.name]}"))
        else:
            result.append(decl)
    return result


def previous_versions(previous: DependencyPlan) -> dict[str, str]:
    """What the previous hop chose, as where the next one starts for packages not pinned."""
    return {c.name: c.chosen for c in previous.choices}


def installed_underneath(
    project_root: Path, hop: Hop, previous: DependencyPlan | None
) -> dict[str, str]:
    """What the hop starts from for every package, declared or not (``choose_versions``'
    ``transitive``: the declared ones are left out there): the previous hop's resolved set in
    a plan, else the locked set of the source stage (.upgrader/constraints/django-2.2.txt,
    written by the step that verified it), else nothing (the lock files' pins still count)."""
    if previous is not None:
        return dict(previous.resolution.pins) if previous.resolution is not None else {}
    return read_pins(
        project_root / UPGRADER_DIR / CONSTRAINTS_DIR / f"django-{hop.source.name}.txt"
    )


def held_lines(moves: Mapping[str, Sequence[Constraint]], chosen: Collection[str]) -> list[str]:
    """The resolver's lines for ``moves`` on distributions the set does not choose (the import
    check holding urllib3 below 2 under vcrpy, FINDINGS F91): ``urllib3<2``."""
    return [
        f"{name}{constraint.spec}"
        for name, constraints in sorted(moves.items())
        if name not in chosen
        for constraint in constraints
    ]


def requirement_files(declared: DeclaredSet) -> list[Path]:
    return [p for p in declared.files if p.suffix in (".txt", ".in")]


def compiled_files(project_root: Path, declared: DeclaredSet) -> frozenset[str]:
    """Project-relative paths of pip-compile / uv pip compile outputs (locks, not declarations)."""
    found = set()
    for rel in {d.evidence.file for d in declared.requirements}:
        if not rel.endswith(".txt"):
            continue
        source = read_text(project_root / rel)
        if isinstance(source, SourceText) and compile_command(source.text) is not None:
            found.add(rel)
    return frozenset(found)


def plan_dependencies(
    project_root: Path,
    declared: DeclaredSet,
    hop: Hop,
    *,
    strategy: str = "minimal",
    offline: bool = False,
    index: MetadataSource | None = None,
    config: IndexConfig | None = None,
    previous: DependencyPlan | None = None,
    resolve: bool = False,
    resolver: Resolver | None = None,
    cache_dir: Path | None = None,
    as_of: datetime | str | None = AUTO,
    baseline: Mapping[str, str] | None = None,
    installed_apps: Sequence[str] | None = None,
    baseline_run: BaselineRun | str | None = AUTO,
    settings: SettingsValues | None = None,
    moves: Mapping[str, Sequence[Constraint]] | None = None,
) -> DependencyPlan:
    """Choose (and with ``resolve``, lock) the dependency set of ``hop``; writes nothing.

    - ``declared``: ``upgrader.detect.requirements.read_declared(project_root)``;
    - ``previous``: the plan of the hop before, so this hop starts from its choices;
    - ``strategy``: "minimal" (smallest change that works) or "latest";
    - ``offline``: index metadata from upgrader's cache only (uv resolves from its cache);
    - ``index``/``config``: the metadata source and index configuration (default: pip's, read
      once per call with ``index_config``; pass them to share one across hops);
    - ``resolve``: also resolve the whole set (uv, else pip-compile) into ``resolution``;
      a failure becomes ``blocked`` entries and a note, never an exception;
    - where unpinned packages start (first hop, no ``previous``): ``baseline`` (name ->
      version) when given; else the pins of the source stage's constraints file (the set the
      previous ``step`` verified); else the baseline resolved as of ``as_of``
      (``upgrader.deps.era.baseline_cutoff`` of ``project_root`` when "auto"; None: today);
    - ``installed_apps``: the project's ``INSTALLED_APPS`` (default: read from
      ``project_root``'s settings files), to tell which packages are Django apps;
    - ``settings``: the project's settings (default: read from ``project_root``'s settings
      files), which the third-party upgrade steps the hop crosses are judged against
      (``upgrader.deps.upgrade_steps``): their companion packages join the set chosen and
      resolved, and each step is a note;
    - ``baseline_run``: the test run whose deprecation warnings tell which third-party app
      breaks on the target (``upgrader.deps.breaking``); "auto": the one the hop state in
      ``project_root`` recorded; None: none;
    - ``moves``: canonical name -> constraints found by trying the set in the stage env
      (``upgrader.deps.importable``), which that package's choice must meet.
    """
    target = Target(hop.target.name, hop.python)
    files = [p if p.is_absolute() else project_root / p for p in requirement_files(declared)]
    config = config or index_config(files)
    index = index or PackageIndex(config, offline=offline)
    current = carry_forward(declared.requirements, previous)
    locked = compiled_files(project_root, declared)
    paths = settings_files(project_root)  # read once: the apps and the upgrade steps' settings
    settings = settings if settings is not None else settings_values(paths)
    apps = installed_apps if installed_apps is not None else settings.installed_apps
    start_notes: list[str] = []
    baseline_from = "the baseline resolved"
    if previous is not None:
        start = previous_versions(previous)
        baseline_from = "the previous hop chose"
    elif baseline is not None:
        start = dict(baseline)
    else:
        start, baseline_from, start_notes = starting_versions(
            project_root,
            current,
            hop,
            index,
            config,
            as_of=as_of,
            locked=locked,
            resolve=resolve,
            resolver=resolver,
            cache_dir=cache_dir,
            offline=offline,
        )
    underneath = installed_underneath(project_root, hop, previous)
    roots = project_roots(project_root, apps)
    breaking, row_notes = kept_breaking(
        project_root, current, hop, baseline_run, index, start, apps, roots, locked
    )

    def choose(decls: Sequence[DeclaredRequirement]) -> Choices:
        return choose_versions(
            decls,
            target,
            index,
            strategy=strategy,
            locked_files=locked,
            baseline=start,
            baseline_from=baseline_from,
            installed_apps=apps,
            breaking=breaking,
            roots=roots,
            row_notes=row_notes,
            python_from=hop.python_from,
            moves=moves,
            transitive=underneath,
        )

    try:
        chosen = choose(current)
        seen = step_context(project_root, paths, settings)  # the rows' view of the project
        steps = upgrade_steps(chosen.choices, seen)
        carried = previous.companions if previous is not None else ()
        added = companion_declarations([*carried, *companion_requirements(steps)], current)
        if added:  # chosen with the rest, so their requirements on each other are honoured
            chosen = mark_companions(choose([*current, *added]), steps)
            steps = upgrade_steps(chosen.choices, seen)
    except PackageIndexError as exc:
        return DependencyPlan(target, (), (Blocked("django", None, "", exc.message),))
    versions = {c.name: c.chosen for c in chosen.choices}
    notes = [*config.notes, *start_notes, *chosen.notes, *step_notes(steps, versions)]
    blocked = list(chosen.blocked)
    resolution: Resolution | None = None
    builds: tuple[SourceBuild, ...] = ()
    if resolve and not blocked:
        extra = [f"{r.replacement}=={r.chosen}" for r in chosen.replacements if r.chosen]
        extra += held_lines(moves or {}, {c.name for c in chosen.choices})
        try:
            resolution = resolve_dependencies(
                chosen.choices,
                target,
                index=config,
                resolver=resolver,
                extra=extra,
                cache_dir=cache_dir,
                offline=offline,
                build_constraints=build_constraints(project_root, target.python),
            )
            notes += resolution.notes
            builds = _source_builds(
                resolution,
                chosen.choices,
                target,
                index,
                config,
                resolver,
                cache_dir=cache_dir,
                offline=offline,
            )
            notes += [b.note for b in builds]
        except BuildFailure as exc:
            # Not "no set works": the package named did not build; the reason says the fix.
            name = canonicalize_name(exc.package.split("==")[0].split(" @ ")[0].strip() or "")
            blocked.append(
                Blocked(
                    name, None, "", f"{exc.message}. Fix: {exc.hint}" if exc.hint else exc.message
                )
            )
            notes.append(exc.message)
        except DependencyConflict as exc:
            blocked += [_with_newest(b, index) for b in exc.blocked]
            notes.append(exc.message)
        except ResolutionError as exc:
            notes.append(f"{exc.message} ({exc.hint})" if exc.hint else exc.message)
    unpinned = {p.name for p in unpinned_declarations(current, locked)}
    used = tuple(sorted((n, v) for n, v in start.items() if n in unpinned))
    return DependencyPlan(
        target,
        chosen.choices,
        tuple(blocked),
        chosen.replacements,
        tuple(notes),
        resolution,
        used,
        builds,
        steps,
        tuple(d.name for d in added),
        step_items(steps, project_root, paths),
    )


def _source_builds(
    resolution: Resolution,
    choices: Sequence[Choice],
    target: Target,
    index: MetadataSource,
    config: IndexConfig,
    resolver: Resolver | None,
    *,
    cache_dir: Path | None,
    offline: bool,
) -> tuple[SourceBuild, ...]:
    """The resolved set's packages that would build from source on the stage (transitive ones
    included), checked before anything is written: from the index's wheel tags, and, with uv,
    by a dry run with ``--only-binary`` (uv's answer wins: it is what installs the stage). A
    choice whose reason already says it (``choose``: "only an sdist fits") is not said twice."""
    said = {c.name for c in choices if "builds from source" in c.reason}
    pins = [(name, version) for name, version in resolution.pins if name not in said]
    found = {b.name: b for b in source_builds(pins, target.python, index)}
    if resolution.tool != "uv":
        return tuple(found.values())
    try:
        uv = resolver or find_resolver(target, prefer="uv")
    except ResolutionError:
        return tuple(found.values())
    binary = binary_packages([name for name, _ in pins], index)
    answer = uv_source_builds(
        pins, binary, target, config, uv, cache_dir=cache_dir, offline=offline
    )
    if answer is None:
        return tuple(found.values())
    return tuple(
        found.get(name) or SourceBuild(name, version, target.python, PLATFORM, None)
        for name, version in answer
    )


class _HasReason(Protocol):
    @property
    def reason(self) -> str: ...


def is_build_failure(blocked: _HasReason) -> bool:
    """Whether ``blocked`` (a ``Blocked``, or the plan's ``BlockedPackage`` made from one) is a
    package that did not build while resolving (``BuildFailure``), not one that fits no set: its
    reason names the fix; "no dependency set works" is wrong."""
    return BUILD_FAILED in blocked.reason


def _with_newest(blocked: Blocked, index: MetadataSource) -> Blocked:
    """``blocked`` with the newest release the index has, when the resolver did not say."""
    if blocked.newest_available or not blocked.name:
        return blocked
    try:
        releases = index.releases(blocked.name).releases
    except PackageIndexError:
        return blocked
    usable = [r for r in releases if not r.yanked and not r.version.is_prerelease]
    if not usable:
        return blocked
    return dataclasses.replace(blocked, newest_available=str(usable[-1].version))


def write_dependencies(
    project_root: Path,
    declared: DeclaredSet,
    plan: DependencyPlan,
    *,
    regenerate: bool = True,
    runner: Runner = subprocess_runner,
) -> WriteResult:
    """Write ``plan`` into the project: pins (diff-minimal), regenerated locks, constraints file.

    A plan with blocked packages changes no file: it raises ``ResolutionError`` naming them.
    """
    if plan.blocked:
        names = ", ".join(b.name or "the dependency set" for b in plan.blocked)
        raise ResolutionError(
            f"Django {plan.target.django} on Python {plan.target.python} is blocked by {names}: "
            "no file was changed",
            hint="See each package's reason in the plan; upgrade or replace it, "
            "or stop at an earlier Django with --to.",
        )
    versions = {c.name: c.chosen for c in plan.choices}
    additions = [
        a
        for a in companion_additions(plan.upgrade_steps, versions)
        if canonicalize_name(a.name) in plan.companions
    ]
    writes = plan_writes(
        project_root, declared.requirements, plan.choices, plan.replacements, additions
    )
    python = None
    if regenerate and any(c.argv[0] == "pip-compile" for c in writes.commands):
        python, note = pip_compile_python(plan.target.python, runner=runner)
        if note:
            writes = dataclasses.replace(writes, notes=(*writes.notes, note))
    result = apply_writes(
        writes,
        regenerate=regenerate,
        runner=runner,
        pip_compile_python=python,
        lock_python=plan.target.python,
    )
    if plan.resolution is not None:
        path = write_constraints(plan.resolution, project_root / UPGRADER_DIR / CONSTRAINTS_DIR)
        result = dataclasses.replace(result, constraints=path)
    return result
