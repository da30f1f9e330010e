"""The dependency part of one hop's plan: per package, current -> chosen and why, what blocks
the hop, what the curated table replaces; optionally resolved into the stage's constraints.

``plan_dependencies`` is the entry point the plan and step commands call once per hop, passing
the previous hop's plan so each hop starts from the versions the one before chose.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from packaging.utils import canonicalize_name

from upgrader.deps.choose import (
    Blocked,
    Choice,
    MetadataSource,
    ReplacementChoice,
    Target,
    choose_versions,
)
from upgrader.deps.index import IndexConfig, PackageIndex, PackageIndexError, index_config
from upgrader.deps.resolve import (
    DependencyConflict,
    Resolution,
    Resolver,
    Runner,
    pip_compile_python,
    resolve_dependencies,
    subprocess_runner,
    write_constraints,
)
from upgrader.deps.write import WriteResult, apply_writes, compile_command, plan_writes
from upgrader.detect.requirements import DeclaredRequirement, DeclaredSet
from upgrader.errors import ResolutionError
from upgrader.files import SourceText, read_text
from upgrader.hops import Hop

CONSTRAINTS_DIR = Path(".upgrader") / "constraints"


@dataclass(frozen=True)
class DependencyPlan:
    """What the dependency stage decided for one hop."""

    target: Target
    choices: tuple[Choice, ...]
    blocked: tuple[Blocked, ...] = ()
    replacements: tuple[ReplacementChoice, ...] = ()
    notes: tuple[str, ...] = ()
    resolution: Resolution | None = None

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
    """The declarations as the previous hop leaves them: its chosen pins, its renames."""
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
        elif decl.name in chosen:
            result.append(dataclasses.replace(decl, specifier=f"=={chosen[decl.name]}"))
        else:
            result.append(decl)
    return result


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
) -> DependencyPlan:
    """Choose (and with ``resolve``, lock) the dependency set of ``hop``; writes nothing.

    - ``declared``: ``upgrader.detect.requirements.read_declared(project_root)``;
    - ``previous``: the plan of the hop before, so this hop starts from its choices;
    - ``strategy``: "minimal" (smallest change that works) or "latest";
    - ``offline``: index metadata from upgrader's cache only (uv resolves from its cache);
    - ``index``/``config``: the metadata source and index configuration (default: pip's, read
      once per call with ``index_config``; pass them to share one across hops);
    - ``resolve``: also resolve the whole set (uv, else pip-compile) into ``resolution``;
      a failure becomes ``blocked`` entries and a note, never an exception.
    """
    target = Target(hop.target.name, hop.python)
    files = [p if p.is_absolute() else project_root / p for p in requirement_files(declared)]
    config = config or index_config(files)
    index = index or PackageIndex(config, offline=offline)
    current = carry_forward(declared.requirements, previous)
    try:
        chosen = choose_versions(
            current,
            target,
            index,
            strategy=strategy,
            locked_files=compiled_files(project_root, declared),
        )
    except PackageIndexError as exc:
        return DependencyPlan(target, (), (Blocked("django", None, "", exc.message),))
    notes = [*config.notes, *chosen.notes]
    blocked = list(chosen.blocked)
    resolution: Resolution | None = None
    if resolve and not blocked:
        extra = [f"{r.replacement}=={r.chosen}" for r in chosen.replacements if r.chosen]
        try:
            resolution = resolve_dependencies(
                chosen.choices,
                target,
                index=config,
                resolver=resolver,
                extra=extra,
                cache_dir=cache_dir,
                offline=offline,
            )
            notes += resolution.notes
        except DependencyConflict as exc:
            blocked += [_with_newest(b, index) for b in exc.blocked]
            notes.append(exc.message)
        except ResolutionError as exc:
            notes.append(f"{exc.message} ({exc.hint})" if exc.hint else exc.message)
    return DependencyPlan(
        target, chosen.choices, tuple(blocked), chosen.replacements, tuple(notes), resolution
    )


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
    writes = plan_writes(project_root, declared.requirements, plan.choices, plan.replacements)
    python = None
    if regenerate and any(c.argv[0] == "pip-compile" for c in writes.commands):
        python, note = pip_compile_python(plan.target.python, runner=runner)
        if note:
            writes = dataclasses.replace(writes, notes=(*writes.notes, note))
    result = apply_writes(writes, regenerate=regenerate, runner=runner, pip_compile_python=python)
    if plan.resolution is not None:
        path = write_constraints(plan.resolution, project_root / CONSTRAINTS_DIR)
        result = dataclasses.replace(result, constraints=path)
    return result
