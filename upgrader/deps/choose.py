"""Choose, per declared package, a version that works with a hop's Django series and Python.

For each package the evidence is read from the index's metadata, in this order of strength:

1. ``Requires-Python`` must admit the hop's Python, and yanked releases (PEP 592) are skipped
   (a current pin that is yanked is kept but noted);
2. ``Requires-Dist`` on Django must admit the chosen Django release;
3. the curated table (``upgrader.deps.known``) sets a minimum where metadata is silent;
4. ``Framework :: Django :: X.Y`` classifiers say which releases declare the series;
5. then the chosen releases' ``Requires-Dist`` on each other (Django's included) raise any
   choice that another one needs newer (pytest-django 4.6 needs pytest>=7).

Strategy ``minimal`` (default) means the smallest change from what the project runs today: a
pin or lock that already works is kept, else the smallest upgrade that does is taken. For a
package the project does not pin, what it runs today is what its baseline resolved
(``baseline_versions``: the newest release as of the cut-off, ``upgrader.deps.era``, that fits
the baseline's Python, Django and the project's own pins; or the previous hop's choice), and a
choice never goes below it; with no baseline known, the newest release that works. ``latest``
takes the newest release that works. Django itself gets the newest patch of the target series
whose ``Requires-Python`` admits the hop's Python.

Requires-Python is not installability: for a package that publishes platform wheels, a release
with a wheel for the hop's CPython on this platform is preferred, and the reason says when only
an sdist fits. A package that is a Django app (its name, a ``Framework :: Django`` classifier,
``INSTALLED_APPS``) but whose metadata names no Django is "unverified", never "does not depend
on Django". Every reason starts with how the package is declared ("pinned ==X", "declared
>=X", "unpinned: kept at what the baseline resolved, X"). A blocker is explained from every
release, naming the pair that conflicts (``requests 2.22.0 requires urllib3<1.26`` and the pin
``urllib3==1.26.5``), never from the newest release alone. ``name @ url`` and ``-e url`` lines
get a note: kept as is, unchecked.
"""

from __future__ import annotations

import contextlib
import dataclasses
import sysconfig
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from packaging import tags
from packaging.markers import InvalidMarker, Marker
from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.tags import Tag
from packaging.utils import InvalidWheelFilename, canonicalize_name, parse_wheel_filename
from packaging.version import InvalidVersion, Version

from upgrader.deps import known
from upgrader.deps.breaking import BREAKS_ON, BreakingWarning
from upgrader.deps.index import CoreMetadata, PackageIndexError, PackageReleases, ReleaseFiles
from upgrader.detect.requirements import DIRECT_KINDS, DeclaredRequirement

STRATEGIES = ("minimal", "latest")
# With --strategy latest, how many releases (newest first) to read looking for one whose
# classifiers declare the target series before taking the newest that the metadata admits.
LATEST_SCAN = 15
DJANGO = "django"


class MetadataSource(Protocol):
    """What choosing needs from an index (``upgrader.deps.index.PackageIndex``)."""

    def releases(self, name: str) -> PackageReleases: ...

    def metadata(self, name: str, release: ReleaseFiles) -> CoreMetadata: ...


@dataclass(frozen=True)
class Target:
    """What a hop moves to: a Django series ("4.2") on a Python feature version ("3.10")."""

    django: str
    python: str


@dataclass(frozen=True)
class Choice:
    """The version chosen for one package, and what decided it."""

    name: str
    current: str | None  # the pinned version, or the specifier as declared; None when unpinned
    chosen: str
    reason: str
    evidence: str  # the metadata line or table source that decided
    extras: tuple[str, ...] = ()
    marker: str | None = None

    @property
    def requirement(self) -> str:
        """``name[extras]==chosen; marker``: the line a resolver is given."""
        extras = f"[{','.join(self.extras)}]" if self.extras else ""
        marker = f"; {self.marker}" if self.marker else ""
        return f"{self.name}{extras}=={self.chosen}{marker}"

    @property
    def changed(self) -> bool:
        return self.current != self.chosen


@dataclass(frozen=True)
class Blocked:
    """A package no release of which works with the target."""

    name: str
    newest_available: str | None
    what_it_requires: str
    reason: str


@dataclass(frozen=True)
class ReplacementChoice:
    """A package the curated table replaces at this hop (the new one's version when renamed)."""

    name: str
    replacement: str | None
    chosen: str | None
    action: str  # "rename" | "code" | "abandoned"
    reason: str
    source: str
    current: str | None = None  # the replaced package's version (or specifier) before the hop


@dataclass(frozen=True)
class Choices:
    choices: tuple[Choice, ...]
    blocked: tuple[Blocked, ...] = ()
    replacements: tuple[ReplacementChoice, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Constraint:
    """A bound a package's version must meet, beyond its own metadata, and where it comes from."""

    spec: SpecifierSet
    why: str
    evidence: str
    source: str = "requires"  # "table" (Django series), "python" (Python table), "requires"
    # True: the smallest release meeting it is the answer (a hard requirement, or a table row
    # for this very series). False: a floor only; classifiers still pick within it.
    authoritative: bool = True

    def admits(self, version: Version) -> bool:
        return self.spec.contains(version, prereleases=True)


@dataclass(frozen=True)
class _Verdict:
    ok: bool
    why: str  # what excluded it, or what admitted it
    declares_target: bool = False  # a Framework :: Django :: X.Y classifier names the target
    django_requirement: str | None = None


def _environment(python: str, extra: str = "") -> dict[str, str]:
    return {"python_version": python, "python_full_version": f"{python}.0", "extra": extra}


def requirements_in_effect(
    meta: CoreMetadata, python: str, extras: Sequence[str] = ()
) -> list[Requirement]:
    """The release's ``Requires-Dist`` that apply on ``python`` with the declared ``extras``."""
    found = []
    for line in meta.requires_dist:
        try:
            req = Requirement(line)
        except InvalidRequirement:
            continue
        if req.marker is None or any(
            req.marker.evaluate(_environment(python, extra)) for extra in ("", *extras)
        ):
            found.append(req)
    return found


def _python_ok(requires_python: str | None, python: str) -> bool:
    if not requires_python:
        return True
    try:
        return SpecifierSet(requires_python).contains(Version(f"{python}.0"), prereleases=True)
    except (InvalidSpecifier, InvalidVersion):
        return True  # unparsable metadata: pip ignores it too


def django_requirement(
    meta: CoreMetadata, python: str, extras: Sequence[str] = ()
) -> Requirement | None:
    """The release's requirement on Django for ``python`` and ``extras`` (all of them combined)."""
    reqs = [
        r
        for r in requirements_in_effect(meta, python, extras)
        if canonicalize_name(r.name) == DJANGO
    ]
    if not reqs:
        return None
    combined = SpecifierSet(",".join(str(r.specifier) for r in reqs if r.specifier))
    return Requirement(f"{reqs[0].name}{combined}")


def _judge(
    meta: CoreMetadata, target: Target, django: Version, extras: Sequence[str] = ()
) -> _Verdict:
    if not _python_ok(meta.requires_python, target.python):
        return _Verdict(False, f"Requires-Python {meta.requires_python}")
    req = django_requirement(meta, target.python, extras)
    declares = target.django in meta.django_classifiers
    if req is not None and req.specifier and not req.specifier.contains(django, prereleases=True):
        return _Verdict(False, f"Requires-Dist: {req}", declares, str(req))
    return _Verdict(
        True, f"Requires-Dist: {req}" if req else "", declares, str(req) if req else None
    )


def _pinned(spec: str) -> Version | None:
    try:
        specifiers = list(SpecifierSet(spec))
    except InvalidSpecifier:
        return None
    if len(specifiers) == 1 and specifiers[0].operator in ("==", "===") and "*" not in spec:
        try:
            return Version(specifiers[0].version)
        except InvalidVersion:
            return None
    return None


@dataclass
class _Package:
    """The declarations of one package across files, merged."""

    name: str
    declared: list[DeclaredRequirement] = field(default_factory=list)
    locked: Version | None = None
    baseline: Version | None = None  # not pinned: the version the project's baseline resolved
    app_evidence: str = ""  # why it is a Django app ("name django-*", "in INSTALLED_APPS")
    baseline_from: str = "the baseline resolved"

    @property
    def specifier(self) -> str:
        specs = [d.specifier for d in self.declared if d.specifier]
        return ",".join(dict.fromkeys(specs))

    @property
    def declared_pin(self) -> Version | None:
        for decl in self.declared:
            pin = _pinned(decl.specifier)
            if pin is not None:
                return pin
        return None

    @property
    def current(self) -> Version | None:
        """The exact version the project pins or locks."""
        pin = self.declared_pin
        return pin if pin is not None else self.locked

    @property
    def floor(self) -> Version | None:
        """What the project runs today: its pin or lock, else what its baseline resolved."""
        current = self.current
        return current if current is not None else self.baseline

    @property
    def extras(self) -> tuple[str, ...]:
        return tuple(sorted({e for d in self.declared for e in d.extras}))

    @property
    def shown_current(self) -> str | None:
        floor = self.floor
        return str(floor) if floor is not None else (self.specifier or None)


def django_app_evidence(name: str, installed_apps: Collection[str] = ()) -> str:
    """Why the package ``name`` is a Django app, from its name or ``INSTALLED_APPS``; "" if not."""
    name = canonicalize_name(name)
    if name.startswith(("django-", "djangorestframework", "drf-")) or name.endswith("-django"):
        return f"its name, {name}"
    for app in installed_apps:
        parts = [p for p in app.split(".") if p]
        if not parts or parts[0] == "django":
            continue
        names = {
            canonicalize_name(parts[0]),
            canonicalize_name("-".join(parts[:2])),
            canonicalize_name(f"django-{parts[0]}"),
        }
        if name in names:
            return f"{app} is in INSTALLED_APPS"
    return ""


def _is_django_app(package: _Package) -> bool:
    return bool(package.app_evidence)


def _why_django_app(package: _Package) -> str:
    return package.app_evidence


def _group(
    declared: Iterable[DeclaredRequirement], locked_files: Collection[str] = ()
) -> dict[str, _Package]:
    packages: dict[str, _Package] = {}
    for decl in declared:
        if not decl.name or decl.kind in ("editable", "url"):
            continue
        package = packages.setdefault(decl.name, _Package(decl.name))
        if decl.is_lock or decl.evidence.file in locked_files:
            pin = _pinned(decl.specifier)
            if pin is not None:
                package.locked = pin
        else:
            package.declared.append(decl)
    return {name: p for name, p in packages.items() if p.declared}


def _applies(decl: DeclaredRequirement, python: str) -> bool:
    if not decl.marker:
        return True
    try:
        return Marker(decl.marker).evaluate(_environment(python))
    except InvalidMarker:
        return True


def choose_django(index: MetadataSource, target: Target) -> Choice | Blocked:
    """The newest non-yanked patch of the target series whose Requires-Python admits the Python."""
    found = index.releases(DJANGO)
    series = [
        r
        for r in found.releases
        if f"{r.version.major}.{r.version.minor}" == target.django and not r.version.is_prerelease
    ]
    for release in reversed(series):
        if release.yanked:
            continue
        if _python_ok(release.requires_python, target.python):
            return Choice(
                DJANGO,
                None,
                str(release.version),
                f"newest patch of Django {target.django} for Python {target.python}",
                f"index: Requires-Python {release.requires_python or '(none)'}",
            )
    newest = series[-1] if series else None
    return Blocked(
        DJANGO,
        str(newest.version) if newest else None,
        f"Requires-Python {newest.requires_python}" if newest else "",
        f"no release of Django {target.django} supports Python {target.python}"
        if newest
        else f"the index has no release of Django {target.django}",
    )


def target_tags(python: str, platforms: Sequence[str] | None = None) -> frozenset[Tag]:
    """The wheel tags CPython ``python`` accepts on ``platforms`` (default: this machine's)."""
    try:
        version = tuple(int(part) for part in python.split(".")[:2])
    except ValueError:
        return frozenset()
    platforms = list(platforms) if platforms is not None else list(tags.platform_tags())
    found = set(tags.cpython_tags(version, platforms=platforms))
    found |= set(tags.compatible_tags(version, f"cp{version[0]}{version[1]}", platforms))
    return frozenset(found)


def _wheel_tags(filename: str) -> frozenset[Tag]:
    try:
        return parse_wheel_filename(filename)[3]
    except InvalidWheelFilename:
        return frozenset()


def is_binary(releases: PackageReleases) -> bool:
    """Whether the package publishes platform-specific wheels (so an sdist needs a compiler)."""
    return any(
        tag.platform != "any"
        for release in releases.releases
        for dist in release.files
        if dist.is_wheel
        for tag in _wheel_tags(dist.filename)
    )


def has_wheel_for(release: ReleaseFiles, accepted: frozenset[Tag]) -> bool:
    """Whether one of the release's wheels installs with the tags ``accepted``."""
    return any(
        dist.is_wheel and not dist.yanked and _wheel_tags(dist.filename) & accepted
        for dist in release.files
    )


PLATFORM = sysconfig.get_platform()


def _spans(versions: Sequence[Version]) -> str:
    """``4.4.7, 5.0.0-5.1.2``-style summary of ``versions`` (sorted), at most a few items."""
    if not versions:
        return "none"
    if len(versions) <= 3:
        return ", ".join(str(v) for v in versions)
    return f"{versions[0]} to {versions[-1]} ({len(versions)} releases)"


class _Chooser:
    def __init__(
        self,
        index: MetadataSource,
        target: Target,
        django: Version,
        strategy: str,
        platforms: Sequence[str] | None = None,
    ):
        self.index = index
        self.target = target
        self.django = django
        self.strategy = strategy
        self.tags = target_tags(target.python, platforms)
        self.platforms = platforms
        self.platform = platforms[0] if platforms else PLATFORM

    def candidates(self, releases: PackageReleases, current: Version | None) -> list[ReleaseFiles]:
        allow_pre = current is not None and current.is_prerelease
        found = []
        for release in releases.releases:
            if release.version.is_prerelease and not allow_pre:
                continue
            if release.yanked and release.version != current:
                continue
            if not _python_ok(release.requires_python, self.target.python):
                continue  # cheap: from the listing, before any metadata is fetched
            found.append(release)
        return found

    def constraints(self, name: str) -> list[Constraint]:
        """What the curated tables require of ``name`` for this target."""
        found = []
        row = known.minimum_version(name, self.target.django)
        if row is not None:
            found.append(
                Constraint(
                    SpecifierSet(f">={row.minimum}"),
                    f"the curated table needs {name} >= {row.minimum} for Django {row.django}+",
                    f"known: {row.source}",
                    source="table",
                    authoritative=row.django == self.target.django,
                )
            )
        py_row = known.python_minimum(name, self.target.python)
        if py_row is not None:
            found.append(
                Constraint(
                    SpecifierSet(f">={py_row.minimum}"),
                    f"{name} >= {py_row.minimum} is the first to run on Python {py_row.python}",
                    f"known: {py_row.source}",
                    source="python",
                )
            )
        return found

    def newest_first(self, package: _Package) -> bool:
        """``latest``, or an unpinned package with no baseline: the newest release that works."""
        return self.strategy == "latest" or (
            package.floor is None and not package.specifier and package.baseline is None
        )

    def ordered(
        self,
        package: _Package,
        candidates: Sequence[ReleaseFiles],
        constraints: Sequence[Constraint],
    ) -> list[ReleaseFiles]:
        floor = package.floor
        if self.newest_first(package):
            ordered = list(reversed(candidates))
        else:
            ordered = [r for r in candidates if floor is None or r.version >= floor]
            if floor is None and package.specifier:
                spec = SpecifierSet(package.specifier)
                inside = [r for r in ordered if spec.contains(r.version, prereleases=True)]
                # Declared as a range: its newest release when it works, else go above.
                if inside:
                    ordered = [inside[-1], *(r for r in ordered if r.version > inside[-1].version)]
        return [r for r in ordered if all(c.admits(r.version) for c in constraints)]

    def choose(self, package: _Package, extra: Sequence[Constraint] = ()) -> Choice | Blocked:
        releases = self.index.releases(package.name)
        candidates = self.candidates(releases, package.floor)
        constraints = [*self.constraints(package.name), *extra]
        ordered = self.ordered(package, candidates, constraints)
        found = self._scan(package, ordered, constraints)
        if found is None:
            return self._blocked(package, releases, candidates, constraints)
        if not is_binary(releases) or has_wheel_for(found[0], self.tags):
            return self._choice(package, *found)
        # Requires-Python is not installability: a binary package needs a wheel for the stage.
        wheel = self._scan(
            package, [r for r in ordered if has_wheel_for(r, self.tags)], constraints
        )
        where = f"CPython {self.target.python} on {self.platform}"
        if wheel is not None:
            note = f"{found[0].version} has no wheel for {where}; {wheel[0].version} has one"
            return self._choice(package, *wheel, note=note)
        note = (
            f"only an sdist fits {where}: installing it builds from source "
            "(a compiler and the library's headers are needed)"
        )
        return self._choice(package, *found, note=note)

    def _scan(
        self, package: _Package, ordered: Sequence[ReleaseFiles], constraints: Sequence[Constraint]
    ) -> tuple[ReleaseFiles, _Verdict, str, tuple[Constraint, ...]] | None:
        """The release to take from ``ordered``, its verdict, the basis and the constraints."""
        floor = package.floor
        newest_first = self.newest_first(package)
        first_ok: tuple[ReleaseFiles, _Verdict] | None = None
        django_related = _is_django_app(package)
        moved_by = tuple(c for c in constraints if floor is None or not c.admits(floor))
        for scanned, release in enumerate(ordered, start=1):
            meta = self.index.metadata(package.name, release)
            verdict = _judge(meta, self.target, self.django, package.extras)
            django_related = (
                django_related
                or "Framework :: Django" in meta.classifiers
                or bool(meta.django_classifiers)
                or bool(verdict.django_requirement)
            )
            if not verdict.ok:
                continue
            if first_ok is None:
                first_ok = (release, verdict)
            decisive = tuple(c for c in moved_by if c.authoritative) or tuple(
                c for c in constraints if c.authoritative and c.source == "table"
            )
            if decisive and not newest_first:
                return release, verdict, "constraint", decisive
            if verdict.declares_target:
                return release, verdict, "metadata", ()
            if newest_first and (not django_related or scanned >= LATEST_SCAN):
                # Newest first: a package without Django classifiers is taken as it is; one
                # with them is searched (boundedly) for a release that declares the series.
                basis = "not-django" if not django_related else "undeclared"
                return (*first_ok, basis, ())
            if not django_related:
                return release, verdict, "constraint" if moved_by else "not-django", moved_by
        if first_ok is not None:
            if moved_by:
                return (*first_ok, "constraint", moved_by)
            return (*first_ok, "undeclared", ())
        return None

    def _strategy(self, package: _Package, chosen: Version) -> str:
        """How the package is declared, and what that made the choice start from."""
        current = package.current
        if package.declared_pin is not None:
            return f"pinned =={package.declared_pin}"
        if current is not None:
            return f"locked at {current}"
        spec = f"declared {package.specifier}" if package.specifier else "unpinned"
        if package.baseline is not None:
            if chosen == package.baseline:
                return f"{spec}: kept at what {package.baseline_from}, {package.baseline}"
            return f"{spec}: {package.baseline_from} {package.baseline}"
        if package.specifier:
            return f"{spec}: newest release inside it that works (no baseline to start from)"
        return f"{spec}: newest release that works (no baseline to start from)"

    def _choice(
        self,
        package: _Package,
        release: ReleaseFiles,
        verdict: _Verdict,
        basis: str,
        moved_by: Sequence[Constraint] = (),
        note: str = "",
    ) -> Choice:
        floor = package.floor
        chosen = str(release.version)
        kept = floor is not None and release.version == floor
        series = f"Django {self.target.django}"
        evidence = verdict.why or "no Django requirement in Requires-Dist"
        newest = self.newest_first(package) and not kept
        verb = "kept" if kept else ("newest release" if newest else "upgraded")
        if basis == "constraint":
            reason = "; ".join(c.why for c in moved_by)
            if kept:
                reason = f"kept: {reason}"
            evidence = "; ".join(c.evidence for c in moved_by)
        elif verdict.declares_target:
            reason = f"{'already declares' if kept else 'first release declaring'} {series}"
            if newest:
                reason = f"newest release; declares {series}"
            evidence = f"classifier: Framework :: Django :: {self.target.django}"
            if verdict.why:
                evidence += f"; {verdict.why}"
        elif basis == "undeclared" and not verdict.django_requirement:
            why = _why_django_app(package) or "its classifiers say Framework :: Django"
            reason = (
                f"{verb}; unverified: a Django app ({why}) whose metadata names no Django "
                f"requirement and no {series} classifier: check its release notes and the "
                "stage's tests"
            )
        elif basis == "undeclared":
            reason = (
                f"no release declares {series} in its classifiers; "
                f"{'kept' if kept else ('newest release' if newest else 'smallest upgrade')} "
                "admitted by its metadata (verify with the stage's tests)"
            )
        elif basis == "not-django":
            reason = (
                f"{verb}: does not depend on Django; Requires-Python "
                f"{release.requires_python or '(any)'} admits Python {self.target.python}"
            )
        else:
            reason = f"{verb}: its metadata admits {series} on Python {self.target.python}"
        if note:
            reason += f"; {note}"
        if kept and release.yanked:
            reason += f"; note: {chosen} is yanked ({release.yanked_reason or 'no reason given'})"
        strategy = self._strategy(package, release.version)
        if "kept at" in strategy:  # "kept at what the baseline resolved, X": said once
            reason = reason.removeprefix("kept: ").removeprefix("kept; ")
        reason = f"{strategy}; {reason}"
        extras = package.extras
        markers = {d.marker for d in package.declared}
        marker = markers.pop() if len(markers) == 1 else None
        return Choice(package.name, package.shown_current, chosen, reason, evidence, extras, marker)

    def _blocked(
        self,
        package: _Package,
        releases: PackageReleases,
        candidates: Sequence[ReleaseFiles],
        constraints: Sequence[Constraint],
    ) -> Blocked:
        """Why no release fits, from every release, naming the conflicting pair it found."""
        name = package.name
        usable = [r for r in releases.releases if not r.yanked and not r.version.is_prerelease]
        newest = usable[-1] if usable else (releases.releases[-1] if releases.releases else None)
        if newest is None:
            return Blocked(name, None, "", "the index lists no release")
        python = self.target.python
        if not candidates:
            # Every release was read: none admits the Python (Requires-Python of each).
            return Blocked(
                name,
                str(newest.version),
                f"Requires-Python {newest.requires_python}",
                f"no release of {name} supports Python {python} "
                f"({len(usable)} releases read; the newest, {newest.version}, needs Python "
                f"{newest.requires_python})",
            )
        pairs: list[str] = []
        requires: list[str] = []
        floor = package.floor
        left = list(candidates)
        if floor is not None and not self.newest_first(package):
            below = [r for r in left if r.version < floor]
            left = [r for r in left if r.version >= floor]
            if not left:
                how = self._strategy(package, floor).split(":")[0]
                return Blocked(
                    name,
                    str(newest.version),
                    f"Requires-Python {self._requires_python(releases, floor)}",
                    f"{name}=={floor} ({how}) needs Requires-Python "
                    f"{self._requires_python(releases, floor)}, and so does every newer release; "
                    f"the releases for Python {python} ({_spans([r.version for r in below])}) "
                    "are older, and a hop never downgrades",
                )
        for constraint in constraints:
            excluded = [r for r in left if not constraint.admits(r.version)]
            if excluded:
                pairs.append(f"{constraint.why} (excludes {_spans([r.version for r in excluded])})")
                requires.append(f"{name}{constraint.spec}")
            left = [r for r in left if constraint.admits(r.version)]
            if not left:
                break
        if not left:
            if floor is not None and not self.newest_first(package):
                start = self._strategy(package, floor).split(":")[0]
                pairs.insert(0, f"{name} >= {floor} ({start}; a hop never downgrades)")
            return Blocked(
                name,
                str(newest.version),
                "; ".join(requires),
                f"no release of {name} meets both: " + " and ".join(pairs),
            )
        # Some releases pass Python and the constraints: their metadata excludes the Django.
        found: list[str] = []
        for release in left:
            verdict = _judge(
                self.index.metadata(name, release), self.target, self.django, package.extras
            )
            if verdict.django_requirement and verdict.django_requirement not in found:
                found.append(verdict.django_requirement)
        last = left[-1]
        verdict = _judge(self.index.metadata(name, last), self.target, self.django, package.extras)
        needs = verdict.django_requirement or verdict.why or "(nothing)"
        return Blocked(
            name,
            str(newest.version),
            needs,
            f"no release of {name} admits Django {self.django} on Python {python}: "
            f"{name}=={last.version} needs {needs} (the newest for Python {python} after "
            f"{len(left)} releases read; their Django requirements: "
            f"{', '.join(found) or 'none'})",
        )

    def _requires_python(self, releases: PackageReleases, version: Version) -> str:
        release = releases.get(version)
        return (release.requires_python if release else None) or "(none)"


def choose_versions(
    declared: Sequence[DeclaredRequirement],
    target: Target,
    index: MetadataSource,
    *,
    strategy: str = "minimal",
    locked_files: Collection[str] = (),
    baseline: Mapping[str, str] | None = None,
    baseline_from: str = "the baseline resolved",
    installed_apps: Collection[str] = (),
    platforms: Sequence[str] | None = None,
    breaking: Mapping[str, BreakingWarning] | None = None,
) -> Choices:
    """A version per declared package (and Django) for ``target``; blocked ones explained.

    Declarations from ``locked_files`` (pip-compiled ``.txt`` files, as project-relative paths)
    count as locks: they give current versions, not packages to choose.

    ``baseline``: canonical name -> the version the project runs today for packages it does not
    pin (what its baseline resolved, ``baseline_versions``, or the previous hop's choice, as
    ``baseline_from`` says); a choice never goes below it. A package without one gets the
    newest release that works. ``installed_apps``: the project's ``INSTALLED_APPS`` entries,
    to know which packages are Django apps even when their metadata names no Django.
    ``platforms``: the wheel platform tags the stage installs for (default: this machine's).
    ``breaking``: canonical name -> the baseline's warning from its code about an API the
    target removes (``upgrader.deps.breaking``): when the version the project runs today is the
    one that warned, the package moves to the first newer release that works, or, when none
    does, is blocked naming the warning (or the removed import ``upgrader.deps.removed_api``
    found in its files) and what to do; a warning Django's own code raised about the app
    (``default_app_config``) only keeps its version with the warning in its reason.
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"strategy must be one of {STRATEGIES}, not {strategy!r}")
    choices: list[Choice] = []
    blocked: list[Blocked] = []
    replacements: list[ReplacementChoice] = []
    notes: list[str] = direct_requirement_notes(declared, target)
    packages = _group(declared, locked_files)
    for name, package in packages.items():
        package.app_evidence = django_app_evidence(name, installed_apps)
        package.baseline_from = baseline_from
        found = (baseline or {}).get(name)
        if found and package.current is None:
            with contextlib.suppress(InvalidVersion):
                package.baseline = Version(found)
    django_choice = choose_django(index, target)
    if isinstance(django_choice, Blocked):
        return Choices((), (django_choice,), (), ())
    django = Version(django_choice.chosen)
    # Always chosen: the stage installs Django even for an app whose files never name it (its
    # locked set needs the pin); such an app's current Django is what its baseline ran, if known.
    current = packages[DJANGO].shown_current if DJANGO in packages else (baseline or {}).get(DJANGO)
    choices.append(
        Choice(DJANGO, current, django_choice.chosen, django_choice.reason, django_choice.evidence)
    )
    chooser = _Chooser(index, target, django, strategy, platforms)
    for name, package in sorted(packages.items()):
        if name == DJANGO:
            continue
        if not any(_applies(d, target.python) for d in package.declared):
            notes.append(f"{name}: its marker excludes Python {target.python}; left as is")
            continue
        row = known.replacement_for(name, target.django)
        try:
            if row is not None:
                replacement = _replace(row, package, chooser, notes)
                replacements.append(replacement)
                if row.action == "rename":
                    continue
            result = chooser.choose(package)
            warning = (breaking or {}).get(name)
            if warning is not None and isinstance(result, Choice):
                result = _away_from_breaking(chooser, package, result, warning)
        except PackageIndexError as exc:
            blocked.append(Blocked(name, None, "", exc.message))
            continue
        if isinstance(result, Choice):
            choices.append(result)
        else:
            blocked.append(result)
    _honour_requirements(chooser, packages, choices, blocked)
    return Choices(tuple(choices), tuple(blocked), tuple(replacements), tuple(notes))


def _away_from_breaking(
    chooser: _Chooser, package: _Package, choice: Choice, warning: BreakingWarning
) -> Choice | Blocked:
    """``choice`` when it already leaves the version that breaks (the one the project runs,
    ``package.floor``, when that is the version that warned), else the first newer release that
    works, else ``Blocked`` naming the file:line, the API and the release that removed it (a
    warning Django's own code raised about the app, ``default_app_config``, only keeps the
    version saying why: Django then ignores what it warned about)."""
    floor = package.floor
    if floor is None or Version(choice.chosen) > floor:
        return choice
    with contextlib.suppress(InvalidVersion):
        if warning.version is not None and Version(warning.version) != floor:
            return choice  # the warning came from another release than the one kept
    why = warning.why
    series = f"Django {chooser.target.django}"
    newer = chooser.choose(
        package,
        [
            Constraint(
                SpecifierSet(f">{floor}"),
                f"{package.name} {floor} breaks on {series}: {why}",
                f"baseline run: {why}",
            )
        ],
    )
    if isinstance(newer, Choice):
        return newer
    if warning.finding.file.startswith("django/"):
        # Django's own code warning about the app (default_app_config): ignored, not an error.
        return dataclasses.replace(
            choice,
            reason=f"{choice.reason}; but {package.name} {floor} breaks on {series} ({why}) and "
            "no newer release works with it: check its release notes",
        )
    releases = chooser.index.releases(package.name).releases
    usable = [r.version for r in releases if not r.yanked and not r.version.is_prerelease]
    newest = max(usable, default=floor)
    which = (
        "its newest release"
        if newest <= floor
        else f"no newer release works with {series}; the newest is {newest}"
    )
    return Blocked(
        package.name,
        str(newest),
        f"{package.name}=={floor}",
        f"{package.name} {floor} ({which}) {BREAKS_ON} {chooser.target.django}: {why}. Replace "
        "it with a maintained package, vendor a patched copy into the project, or map it to a "
        "fork for the stage environments in pyproject.toml: [tool.upgrader] "
        f'replace-requirements = {{"{package.name}" = "{package.name} @ '
        f'git+https://github.com/you/{package.name}@fixed"}}',
    )


def _honour_requirements(
    chooser: _Chooser,
    packages: Mapping[str, _Package],
    choices: list[Choice],
    blocked: list[Blocked],
) -> None:
    """Raise a choice another chosen release requires more of (``Requires-Dist`` between them).

    E.g. pytest-django 4.2.0 requires pytest>=5.4.0: a kept pytest 5.3.5 moves to 5.4.x, with
    that requirement as its reason. Repeats until nothing moves (bounded).
    """
    extra: dict[str, list[Constraint]] = {}
    for _round in range(5):
        moved = False
        versions = {c.name: Version(c.chosen) for c in choices}
        for choice in list(choices):
            release = chooser.index.releases(choice.name).get(choice.chosen)
            if release is None:
                continue
            meta = chooser.index.metadata(choice.name, release)
            for req in requirements_in_effect(meta, chooser.target.python, choice.extras):
                line = str(req)
                name = canonicalize_name(req.name)
                if name == DJANGO or name not in versions or name not in packages:
                    continue
                if req.specifier.contains(versions[name], prereleases=True):
                    continue
                extra.setdefault(name, []).append(
                    Constraint(
                        req.specifier,
                        f"{choice.name} {choice.chosen} requires {req.name}{req.specifier}",
                        f"Requires-Dist of {choice.name} {choice.chosen}: {line}",
                    )
                )
                result = chooser.choose(packages[name], extra[name])
                index = next(i for i, c in enumerate(choices) if c.name == name)
                if isinstance(result, Choice):
                    choices[index] = result
                    versions[name] = Version(result.chosen)
                else:
                    way_out = _requirer_upgrade(chooser, choice, name, versions[name])
                    if way_out:
                        result = dataclasses.replace(result, reason=f"{result.reason}; {way_out}")
                    del choices[index]
                    del versions[name]
                    blocked.append(result)
                moved = True
        if not moved:
            return


REQUIRER_SCAN = 30  # releases of the requiring package read looking for one that admits the pin


def _requirer_upgrade(chooser: _Chooser, requirer: Choice, name: str, pinned: Version) -> str:
    """The smallest newer release of ``requirer`` whose requirement on ``name`` admits
    ``pinned`` (so the user knows which side of the pair to move), or ""."""
    try:
        releases = chooser.index.releases(requirer.name)
    except PackageIndexError:
        return ""
    chosen = Version(requirer.chosen)
    newer = [r for r in chooser.candidates(releases, None) if r.version > chosen]
    for release in newer[:REQUIRER_SCAN]:
        meta = chooser.index.metadata(requirer.name, release)
        if not _judge(meta, chooser.target, chooser.django, requirer.extras).ok:
            continue
        reqs = [
            r
            for r in requirements_in_effect(meta, chooser.target.python, requirer.extras)
            if canonicalize_name(r.name) == name
        ]
        if all(r.specifier.contains(pinned, prereleases=True) for r in reqs):
            return (
                f"{requirer.name} {release.version} is the first release whose requirements "
                f"admit {name} {pinned}: upgrade {requirer.name}, or pin {name} lower"
            )
    return ""


def _replace(
    row: known.Replacement, package: _Package, chooser: _Chooser, notes: list[str]
) -> ReplacementChoice:
    chosen: str | None = None
    if row.action == "rename" and row.replacement:
        newcomer = _Package(canonicalize_name(row.replacement))
        latest = _Chooser(
            chooser.index, chooser.target, chooser.django, "latest", chooser.platforms
        )
        result = latest.choose(newcomer)
        if isinstance(result, Choice):
            chosen = result.chosen
        else:
            notes.append(f"{row.replacement}: {result.reason}")
    return ReplacementChoice(
        canonicalize_name(row.name),
        row.replacement,
        chosen,
        row.action,
        row.reason,
        row.source,
        package.shown_current,
    )


def direct_requirement_notes(declared: Iterable[DeclaredRequirement], target: Target) -> list[str]:
    """One warning per ``name @ url`` / ``-e url#egg=name`` line: kept as is, not checked."""
    notes = []
    for decl in declared:
        if decl.kind not in DIRECT_KINDS or not decl.name:
            continue  # an unnamed one (``-e .``) is the project itself
        notes.append(
            f"{decl.name} ({decl.evidence.file}"
            f"{f':{decl.evidence.line}' if decl.evidence.line else ''}: {decl.raw}): "
            f"a direct {'editable ' if decl.kind == 'editable' else ''}URL requirement, kept as "
            f"is; upgrader cannot read its versions, so it is unchecked for Django "
            f"{target.django} on Python {target.python}: point it at a release that supports "
            "them, or pin a released version"
        )
    return notes


BASELINE_SCAN = 40  # releases read per package, newest first, looking for one that fits


def baseline_versions(
    declared: Sequence[DeclaredRequirement],
    target: Target,
    index: MetadataSource,
    *,
    as_of: datetime | None,
    django: Version | None = None,
    locked_files: Collection[str] = (),
) -> dict[str, str]:
    """What pip gave the project as of ``as_of`` for each package it does not pin.

    ``target`` is the baseline's own Django series and Python. Per package: the newest release
    uploaded by ``as_of`` (PEP 700 upload times; a release without one counts as available)
    that is not yanked or a pre-release, is inside the declared range, and whose
    ``Requires-Python`` and ``Requires-Dist`` on Django admit the baseline. Pinned and locked
    packages are left out (their pin is what runs). A resolver run (``--exclude-newer``) refines
    this where one is available: ``upgrader.deps.plan``.
    """
    packages = _group(declared, locked_files)
    if django is None:
        django = packages[DJANGO].current if DJANGO in packages else None
    if django is None:
        django_choice = choose_django(_AsOf(index, as_of), target)
        if isinstance(django_choice, Blocked):
            return {}
        django = Version(django_choice.chosen)
    # What is known to run: the exact pins (and Django); each pick joins it, so later picks
    # fit the earlier ones both ways (requests 2.22.0 needs urllib3<1.26; responses 0.23
    # needs requests>=2.30, so an older responses is what ran beside requests 2.22).
    known: dict[str, Version] = {DJANGO: django}
    for name, package in packages.items():
        if package.current is not None and name != DJANGO:
            known[name] = package.current
    needs: dict[str, list[Requirement]] = {}

    def learn(name: str, version: Version) -> None:
        release = _release(index, name, version)
        if release is None:
            return
        try:
            meta = index.metadata(name, release)
        except PackageIndexError:
            return
        extras = packages[name].extras if name in packages else ()
        for req in requirements_in_effect(meta, target.python, extras):
            needs.setdefault(canonicalize_name(req.name), []).append(req)

    for name, version in list(known.items()):
        learn(name, version)
    found: dict[str, str] = {}
    # Declared ranges first (the project's own decision), then the bare names.
    order = sorted(packages.items(), key=lambda item: (not item[1].specifier, item[0]))
    for name, package in order:
        if name == DJANGO or package.current is not None:
            continue
        if not any(_applies(d, target.python) for d in package.declared):
            continue
        picked = _baseline_pick(index, package, target, django, as_of, known, needs)
        if picked is not None:
            found[name] = str(picked)
            known[name] = picked
            learn(name, picked)
    return found


def _release(index: MetadataSource, name: str, version: Version) -> ReleaseFiles | None:
    try:
        return index.releases(name).get(version)
    except PackageIndexError:
        return None


def _baseline_pick(
    index: MetadataSource,
    package: _Package,
    target: Target,
    django: Version,
    as_of: datetime | None,
    known: Mapping[str, Version],
    needs: Mapping[str, Sequence[Requirement]],
) -> Version | None:
    """The newest release of ``package`` as of ``as_of`` that fits the baseline and ``known``."""
    name = package.name
    try:
        releases = index.releases(name)
    except PackageIndexError:
        return None
    try:
        spec = SpecifierSet(package.specifier)
    except InvalidSpecifier:
        spec = SpecifierSet()
    for req in needs.get(name, ()):
        spec &= req.specifier
    scanned = 0
    for release in reversed(releases.releases):
        if release.version.is_prerelease or release.yanked:
            continue
        uploaded = release.uploaded
        if as_of is not None and uploaded is not None and uploaded > as_of:
            continue
        if not spec.contains(release.version, prereleases=True):
            continue
        if not _python_ok(release.requires_python, target.python):
            continue
        scanned += 1
        if scanned > BASELINE_SCAN:
            break
        try:
            meta = index.metadata(name, release)
        except PackageIndexError:
            continue
        if not _judge(meta, target, django, package.extras).ok:
            continue
        wants = requirements_in_effect(meta, target.python, package.extras)
        if all(
            canonicalize_name(r.name) not in known
            or r.specifier.contains(known[canonicalize_name(r.name)], prereleases=True)
            for r in wants
        ):
            return release.version
    return None


@dataclass
class _AsOf:
    """``index`` as it was at ``as_of``: releases uploaded later are left out."""

    index: MetadataSource
    as_of: datetime | None

    def releases(self, name: str) -> PackageReleases:
        found = self.index.releases(name)
        if self.as_of is None:
            return found
        as_of = self.as_of
        kept = tuple(r for r in found.releases if r.uploaded is None or r.uploaded <= as_of)
        return PackageReleases(found.name, kept, found.sources)

    def metadata(self, name: str, release: ReleaseFiles) -> CoreMetadata:
        return self.index.metadata(name, release)
