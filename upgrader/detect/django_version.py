"""The Django a project runs today, from its dependency declarations.

Rules, strongest first:

1. ``--from X.Y`` (``django_from``) overrides everything; the declarations are kept as evidence.
2. A lock file (``uv.lock``, then ``poetry.lock``, then ``Pipfile.lock``) says what is installed,
   unless it is stale: the declaration it locks (``Pipfile`` for ``Pipfile.lock``,
   ``pyproject.toml`` for ``poetry.lock`` and ``uv.lock``, in the lock's folder) excludes the
   version it pins (``Pipfile`` says ``==3.2.25``, ``Pipfile.lock`` pins 2.2.6: the lock was not
   regenerated). A stale lock does not decide; ``stale_locks`` says which, and the command that
   refreshes it.
3. An exact pin (``==2.2.28``): constraints files first (they bind every install), then
   requirements files, Pipfile, ``[project]``, Poetry, setup.cfg, setup.py, dependency groups;
   the first in file order within a kind.
4. Otherwise every range is intersected (``Django>=2.0`` in setup.py and ``Django>=2.1,<2.3`` in
   requirements.txt allow ``>=2.1,<2.3``) and the project is taken to run the highest *known*
   feature release the intersection allows (2.2 here), from ``upgrader.releases``.

Declarations whose environment marker excludes the project's Python do not decide. A
declaration that disagrees with the chosen one stays in the evidence. No declaration, only
unbounded ones (``Django``, ``Django>=2.0``), or ranges that exclude each other are a
``DetectionError`` asking for ``--from``.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from packaging.markers import InvalidMarker, Marker
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from upgrader.detect.model import DjangoRequirement
from upgrader.detect.requirements import DIRECT_KINDS, DeclaredRequirement, DeclaredSet
from upgrader.errors import DetectionError
from upgrader.releases import Release, parse_version, released

LOCK_ORDER = ("uv.lock", "poetry.lock", "pipfile.lock")
# The command that regenerates each kind of lock file, as its user types it.
LOCK_COMMANDS: Mapping[str, tuple[str, ...]] = {
    "poetry.lock": ("poetry", "lock"),
    "pipfile.lock": ("pipenv", "lock"),
    "uv.lock": ("uv", "lock"),
}
# What each lock locks: the declaration kinds of the file beside it.
_LOCKED_BY: Mapping[str, tuple[str, frozenset[str]]] = {
    "pipfile.lock": ("Pipfile", frozenset({"pipfile"})),
    "poetry.lock": ("pyproject.toml", frozenset({"poetry", "pep621"})),
    "uv.lock": ("pyproject.toml", frozenset({"pep621", "pep735"})),
}
PIN_ORDER = (
    "constraints",
    "requirements",
    "pipfile",
    "pep621",
    "poetry",
    "setup.cfg",
    "setup.py",
    "pep735",
)
_UPPER_BOUNDING = frozenset({"<", "<=", "==", "===", "~="})
_PATCHES_TRIED = 100  # patch levels tried when asking whether a range allows a feature release


@dataclass(frozen=True)
class DjangoFinding:
    """The current Django, every declaration of it, and the one that decided (None: ``--from``
    or several ranges together)."""

    version: Version
    requirements: tuple[DjangoRequirement, ...]
    source: DjangoRequirement | None
    stale: tuple[StaleLock, ...] = ()  # lock files that did not decide: see ``stale_locks``


@dataclass(frozen=True)
class StaleLock:
    """A lock file whose Django pin the declaration it locks excludes (it was not regenerated)."""

    lock: DjangoRequirement
    declaration: DjangoRequirement

    @property
    def command(self) -> str:
        return " ".join(LOCK_COMMANDS[self.lock.kind])

    @property
    def message(self) -> str:
        return (
            f"{self.lock.evidence.file} is stale (pins {self.lock.version}, "
            f"{self.declaration.evidence.file} says {self.declaration.specifier}): "
            f"run `{self.command}`"
        )


def _excludes(specifier: str, version: Version) -> bool:
    try:
        spec = SpecifierSet(specifier)
    except InvalidSpecifier:
        return False
    return bool(specifier) and not spec.contains(version, prereleases=True)


def _locked_declaration(kind: str, lock_file: str) -> tuple[str, frozenset[str]] | None:
    """The file a lock of ``kind`` at ``lock_file`` locks, and the declaration kinds in it."""
    locked_by = _LOCKED_BY.get(kind)
    if locked_by is None:
        return None
    filename, kinds = locked_by
    folder = posixpath.dirname(lock_file)
    return (posixpath.join(folder, filename) if folder else filename), kinds


def stale_locks(requirements: Sequence[DjangoRequirement]) -> tuple[StaleLock, ...]:
    """The lock files among ``requirements`` whose Django pin their own declaration excludes.

    ``Pipfile`` ``django = "==3.2.25"`` with ``Pipfile.lock`` at 2.2.6: the lock is stale (a hop
    moved the declaration, the lock tool was not run). Only the file a lock locks counts (a
    requirements.txt pin elsewhere is another install, not this lock's declaration).
    """
    found = []
    for lock in requirements:
        locked = _locked_declaration(lock.kind, lock.evidence.file)
        if locked is None or lock.version is None:
            continue
        expected, kinds = locked
        for declaration in requirements:
            if (
                declaration.kind in kinds
                and declaration.evidence.file == expected
                and _excludes(declaration.specifier, lock.version)
            ):
                found.append(StaleLock(lock, declaration))
                break
    return tuple(found)


def stale_lock_files(declared: Sequence[DeclaredRequirement]) -> frozenset[str]:
    """The lock files (as in ``Evidence.file``) that pin any package outside what the
    declaration they lock allows: their pins are not what the project runs, for any package
    (the dependency stage and the stage environments should not start from them)."""
    stale: set[str] = set()
    direct: dict[tuple[str, str], list[DeclaredRequirement]] = {}
    for decl in declared:
        direct.setdefault((decl.evidence.file, decl.name), []).append(decl)
    for lock in declared:
        locked = _locked_declaration(lock.kind, lock.evidence.file)
        pinned = exact_pin(lock.specifier) if locked else None
        if locked is None or pinned is None or lock.evidence.file in stale:
            continue
        expected, kinds = locked
        if any(
            d.kind in kinds and _excludes(d.specifier, pinned)
            for d in direct.get((expected, lock.name), [])
        ):
            stale.add(lock.evidence.file)
    return frozenset(stale)


def exact_pin(specifier: str) -> Version | None:
    """The version an exact pin (``==2.2.28``, ``===2.2.28``) names; None for anything else."""
    try:
        spec = SpecifierSet(specifier)
    except InvalidSpecifier:
        return None
    for item in spec:
        if item.operator in ("==", "===") and not item.version.endswith("*"):
            try:
                return Version(item.version)
            except InvalidVersion:
                return None
    return None


def _allows(spec: SpecifierSet, release: Release) -> bool:
    base = release.name
    candidates = [base, *(f"{base}.{patch}" for patch in range(_PATCHES_TRIED))]
    return any(spec.contains(c, prereleases=False) for c in candidates)


def has_upper_bound(specifier: str) -> bool:
    try:
        return any(item.operator in _UPPER_BOUNDING for item in SpecifierSet(specifier))
    except InvalidSpecifier:
        return False


def highest_known_release(specifier: str) -> Release | None:
    """The newest released feature release a bounded specifier allows (None when unbounded)."""
    if not has_upper_bound(specifier):
        return None
    spec = SpecifierSet(specifier)
    return next((r for r in reversed(released()) if _allows(spec, r)), None)


def highest_allowed(specifier: str) -> Version | None:
    """What a declaration says the project runs: the pinned version, or for a bounded range the
    highest known feature release it allows (``>=2.1,<2.3`` -> 2.2); None when unbounded."""
    pinned = exact_pin(specifier)
    if pinned is not None:
        return pinned
    release = highest_known_release(specifier)
    return release.version if release else None


def to_django_requirement(declared: DeclaredRequirement) -> DjangoRequirement:
    direct = declared.kind in DIRECT_KINDS
    return DjangoRequirement(
        evidence=declared.evidence,
        kind=declared.kind,
        specifier=declared.raw if direct else (declared.specifier or "*"),
        version=None if direct else highest_allowed(declared.specifier),
    )


def _listing(requirements: tuple[DjangoRequirement, ...]) -> str:
    return "; ".join(f"{r.specifier} ({r.evidence})" for r in requirements)


_FROM_HINT = "Pass the version the project runs today with --from X.Y (e.g. --from 2.2)"


def applies_to(declared: DeclaredRequirement, python: str | None) -> bool:
    """Whether a declaration's marker holds on Python ``python`` (always, when unknown)."""
    if declared.marker is None or python is None:
        return True
    try:
        marker = Marker(declared.marker)
    except InvalidMarker:
        return True
    return marker.evaluate({"python_version": python, "python_full_version": f"{python}.0"})


def _unread(declared: DeclaredSet) -> str:
    """The declaration files (or lines) that could not be used, and why, for an error's message:
    the pin may sit in one of them ("" when every file was read)."""
    if not declared.skipped:
        return ""
    shown = []
    for entry in declared.skipped:
        path = entry.path
        if declared.root is not None:
            path = Path(os.path.relpath(path, declared.root))
        shown.append(f"{path.as_posix()} ({entry.reason})")
    return f"; declaration files upgrader could not use: {'; '.join(shown)}"


def _hint(declared: DeclaredSet, rest: str) -> str:
    if declared.skipped:
        return (
            "Fix the declaration files named above so upgrader can read them, or pass the version "
            "the project runs today with --from X.Y (e.g. --from 2.2)."
        )
    return f"{_FROM_HINT}, {rest}."


def find_django_version(
    declared: DeclaredSet, *, django_from: str | None = None, python: str | None = None
) -> DjangoFinding:
    """The Django the project runs today (see the module docstring for the rules).

    ``python``: the project's Python; declarations whose marker excludes it
    (``Django==1.11.29; python_version < "3"``) stay evidence but do not decide.
    """
    declarations = declared.named("django")
    requirements = tuple(to_django_requirement(d) for d in declarations)
    stale = stale_locks(requirements)
    if django_from is not None:
        return DjangoFinding(parse_version(django_from), requirements, None, stale)
    deciding = (
        tuple(r for r, d in zip(requirements, declarations, strict=True) if applies_to(d, python))
        or requirements
    )  # markers excluding every declaration: better than nothing
    stale_ones = {s.lock for s in stale}
    deciding = tuple(r for r in deciding if r not in stale_ones)
    if not requirements:
        raise DetectionError(
            "no Django requirement found (looked in requirements*.txt/.in, requirements/, "
            "pyproject.toml, setup.py, setup.cfg, Pipfile, poetry.lock, Pipfile.lock, uv.lock)"
            + _unread(declared),
            hint=_hint(declared, "or declare Django in one of those files"),
        )
    for kinds in (LOCK_ORDER, PIN_ORDER):
        for kind in kinds:
            for requirement in deciding:
                if requirement.kind == kind and exact_pin(requirement.specifier):
                    assert requirement.version is not None
                    return DjangoFinding(requirement.version, requirements, requirement, stale)
    ranges = [r for r in deciding if r.kind not in DIRECT_KINDS]
    bounded = [r for r in ranges if has_upper_bound(r.specifier)]
    if not bounded:
        raise DetectionError(
            f"Django is declared without an upper bound ({_listing(requirements)}), "
            "so the version the project runs cannot be known" + _unread(declared),
            hint=_hint(declared, "or pin Django (e.g. Django==2.2.28)"),
        )
    combined = ",".join(r.specifier for r in ranges if r.specifier != "*")
    release = highest_known_release(combined)
    if release is None:
        raise DetectionError(
            f"the Django declarations allow no known release together ({_listing(requirements)})"
            + _unread(declared),
            hint=_hint(declared, "or make the declarations agree"),
        )
    source = next((r for r in bounded if r.version == release.version), None)
    return DjangoFinding(release.version, requirements, source, stale)
