"""Where a hop's unpinned packages start: what the project runs today for each package it does
not pin (``starting_versions``): the source stage's constraints file (the set the previous
``step`` verified), else the baseline resolved as of the baseline's cut-off
(``upgrader.deps.era``), by a resolver run with ``--exclude-newer`` where one is available, else
from the index's metadata (``upgrader.deps.baseline``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

from packaging.version import InvalidVersion, Version

from upgrader.deps.baseline import baseline_versions
from upgrader.deps.era import baseline_cutoff
from upgrader.deps.index import IndexConfig, PackageIndexError
from upgrader.deps.model import MetadataSource, Target
from upgrader.deps.resolve import (
    DependencyConflict,
    Resolver,
    filtered_by_date,
    read_pins,
    resolve_dependencies,
    rfc3339,
    stage_build_constraints,
)
from upgrader.detect.requirements import DIRECT_KINDS, DeclaredRequirement
from upgrader.errors import ResolutionError
from upgrader.hops import Hop
from upgrader.verify.toxconfig import constraints_path

AUTO = "auto"  # as_of: the cut-off ``upgrader.deps.era.baseline_cutoff`` finds


def is_pin(specifier: str) -> bool:
    return specifier.startswith(("==", "===")) and "," not in specifier and "*" not in specifier


def unpinned_declarations(
    declared: Sequence[DeclaredRequirement], locked: frozenset[str]
) -> list[DeclaredRequirement]:
    """Declarations (not locks, not URLs) of packages with no exact pin anywhere."""
    pinned = {d.name for d in declared if d.name and is_pin(d.specifier)}
    return [
        d
        for d in declared
        if d.name
        and d.name != "django"
        and d.name not in pinned
        and d.kind not in DIRECT_KINDS
        and not d.is_lock
        and d.evidence.file not in locked
    ]


def _django_pin(declared: Sequence[DeclaredRequirement], hop: Hop) -> Version:
    for decl in declared:
        if decl.name == "django" and is_pin(decl.specifier):
            try:
                return Version(decl.specifier.lstrip("="))
            except InvalidVersion:
                break
    return Version(hop.source.name)


def starting_versions(
    project_root: Path,
    declared: Sequence[DeclaredRequirement],
    hop: Hop,
    index: MetadataSource,
    config: IndexConfig,
    *,
    as_of: datetime | str | None,
    locked: frozenset[str],
    resolve: bool,
    resolver: Resolver | None,
    cache_dir: Path | None,
    offline: bool,
) -> tuple[dict[str, str], str, list[str]]:
    """Where unpinned packages start: what the project runs today for each, and a note."""
    unpinned = {d.name for d in unpinned_declarations(declared, locked)}
    if not unpinned:
        return {}, "the baseline resolved", []
    stage_file = constraints_path(project_root, hop.source)
    if stage_file.is_file():
        found = {n: v for n, v in read_pins(stage_file).items() if n in unpinned}
        if found:
            rel = stage_file.relative_to(project_root).as_posix()
            return found, f"the Django {hop.source.name} stage ({rel}) installed", []
    django = _django_pin(declared, hop)
    cutoff = baseline_cutoff(project_root, django, index=index) if as_of == AUTO else as_of
    moment = cutoff if isinstance(cutoff, datetime) else None
    source = Target(hop.source.name, hop.python_from or hop.python)
    notes: list[str] = []
    try:
        found = baseline_versions(declared, source, index, as_of=moment, locked_files=locked)
    except PackageIndexError as exc:
        found = {}
        notes.append(f"the baseline's versions could not be read ({exc.message})")
    how = "metadata"
    if resolve and moment is not None and not offline:
        lines = [_line(d) for d in declared if d.kind not in DIRECT_KINDS and d.name]
        lines = [ln for ln in dict.fromkeys(lines) if not ln.startswith("django")]
        lines.append(f"django=={django}")
        # Everything as of the cut-off, as pip saw the index then. A package whose releases
        # were all re-uploaded since (atomicwrites, 2022) is taken as it is today, by name.
        undated: dict[str, datetime] = {}
        for _attempt in range(4):
            try:
                resolution = resolve_dependencies(
                    (),
                    source,
                    index=config,
                    resolver=resolver,
                    extra=lines,
                    cache_dir=cache_dir,
                    exclude_newer=moment,
                    exclude_newer_package=undated,
                    build_constraints=build_constraints(project_root, source.python),
                )
            except DependencyConflict as exc:
                more = [n for n in filtered_by_date(exc.output) if n not in undated]
                if more:
                    undated.update(dict.fromkeys(more, datetime.now(timezone.utc)))
                    continue
                notes.append(
                    f"the baseline did not resolve as of {rfc3339(moment)} ({exc.message}): "
                    "unpinned packages start from the index's metadata instead"
                )
            except ResolutionError as exc:
                notes.append(
                    f"the baseline did not resolve as of {rfc3339(moment)} ({exc.message}): "
                    "unpinned packages start from the index's metadata instead"
                )
            else:
                found.update({n: v for n, v in resolution.pins if n in unpinned})
                how = f"{resolution.tool} --exclude-newer"
                if undated:
                    how += (
                        f"; {', '.join(sorted(undated))} taken as today "
                        "(no release uploaded by the cut-off fits: re-uploaded since)"
                    )
            break
    if moment is not None:
        notes.append(
            f"unpinned requirements start from what they resolved to as of {rfc3339(moment)} "
            f"for Django {django} on Python {source.python} ({how}; the cut-off is the last "
            "commit touching a dependency file, never before that Django's upload): "
            + (", ".join(f"{n} {found[n]}" for n in sorted(found)) or "none found")
        )
    else:
        notes.append(
            "no git history to date the baseline: unpinned requirements start from the newest "
            f"release that works with Django {django} on Python {source.python}"
        )
    if moment is None:
        return found, "the baseline resolves to today (no git history to date it)", notes
    return found, "the baseline resolved", notes


def build_constraints(project_root: Path, python: str) -> tuple[str, ...]:
    """The stage's build caps: ``[tool.upgrader] build-constraints`` and the era's (a config
    that does not parse is reported by detection, not here)."""
    from upgrader.detect.config import read_config
    from upgrader.detect.sources import ProjectReader
    from upgrader.errors import UpgraderError

    try:
        declared = read_config(ProjectReader(project_root)).build_constraints
    except UpgraderError:
        declared = ()
    return stage_build_constraints(declared, python)


def _line(decl: DeclaredRequirement) -> str:
    extras = f"[{','.join(decl.extras)}]" if decl.extras else ""
    marker = f"; {decl.marker}" if decl.marker else ""
    return f"{decl.name}{extras}{decl.specifier}{marker}"
