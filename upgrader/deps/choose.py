"""Choose, per declared package, a version that works with a hop's Django series and Python.

For each package the evidence is read from the index's metadata, in this order of strength:

1. ``Requires-Python`` must admit the hop's Python, and yanked releases (PEP 592) are skipped
   (a current pin that is yanked is kept but noted);
2. ``Requires-Dist`` on Django must admit the chosen Django release;
3. the curated table (``upgrader.deps.known``) sets a minimum where metadata is silent;
4. ``Framework :: Django :: X.Y`` classifiers say which releases declare the series;
5. then the chosen releases' ``Requires-Dist`` on each other (Django's included) raise any
   choice that another one needs newer (pytest-django 4.6 needs pytest>=7).

Strategy ``minimal`` (default) keeps a pin that already works, else takes the smallest upgrade
that does; ``latest`` takes the newest release that works. Django itself gets the newest patch
of the target series whose ``Requires-Python`` admits the hop's Python.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from packaging.markers import InvalidMarker, Marker
from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from upgrader.deps import known
from upgrader.deps.index import CoreMetadata, PackageIndexError, PackageReleases, ReleaseFiles
from upgrader.detect.requirements import DeclaredRequirement

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

    @property
    def specifier(self) -> str:
        specs = [d.specifier for d in self.declared if d.specifier]
        return ",".join(dict.fromkeys(specs))

    @property
    def current(self) -> Version | None:
        for decl in self.declared:
            pin = _pinned(decl.specifier)
            if pin is not None:
                return pin
        return self.locked

    @property
    def extras(self) -> tuple[str, ...]:
        return tuple(sorted({e for d in self.declared for e in d.extras}))

    @property
    def shown_current(self) -> str | None:
        current = self.current
        return str(current) if current is not None else (self.specifier or None)


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


class _Chooser:
    def __init__(self, index: MetadataSource, target: Target, django: Version, strategy: str):
        self.index = index
        self.target = target
        self.django = django
        self.strategy = strategy

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

    def choose(self, package: _Package, extra: Sequence[Constraint] = ()) -> Choice | Blocked:
        name = package.name
        releases = self.index.releases(name)
        current = package.current
        candidates = self.candidates(releases, current)
        constraints = [*self.constraints(name), *extra]
        if self.strategy == "minimal":
            ordered = [r for r in candidates if current is None or r.version >= current]
            if current is None and package.specifier:
                spec = SpecifierSet(package.specifier)
                inside = [r for r in ordered if spec.contains(r.version, prereleases=True)]
                # Unpinned: keep the specifier's newest release when it works, else go above.
                if inside:
                    ordered = [inside[-1], *(r for r in ordered if r.version > inside[-1].version)]
        else:
            ordered = list(reversed(candidates))
        ordered = [r for r in ordered if all(c.admits(r.version) for c in constraints)]
        first_ok: tuple[ReleaseFiles, _Verdict] | None = None
        django_related = False
        for scanned, release in enumerate(ordered, start=1):
            meta = self.index.metadata(name, release)
            verdict = _judge(meta, self.target, self.django, package.extras)
            django_related = (
                django_related or bool(meta.django_classifiers) or bool(verdict.django_requirement)
            )
            if not verdict.ok:
                continue
            if first_ok is None:
                first_ok = (release, verdict)
            moved_by = [c for c in constraints if current is None or not c.admits(current)]
            decisive = [c for c in moved_by if c.authoritative] or [
                c for c in constraints if c.authoritative and c.source == "table"
            ]
            if decisive and self.strategy == "minimal":
                return self._choice(package, release, verdict, "constraint", decisive)
            if verdict.declares_target:
                return self._choice(package, release, verdict, "metadata")
            if self.strategy == "latest" and (not django_related or scanned >= LATEST_SCAN):
                # Newest first: a package without Django classifiers is taken as it is; one
                # with them is searched (boundedly) for a release that declares the series.
                return self._choice(
                    package, *first_ok, "not-django" if not django_related else "undeclared"
                )
            if not django_related:
                basis = "constraint" if moved_by else "not-django"
                return self._choice(package, release, verdict, basis, moved_by)
        if first_ok is not None:
            release, verdict = first_ok
            floors = [c for c in constraints if current is None or not c.admits(current)]
            if floors:
                return self._choice(package, release, verdict, "constraint", floors)
            return self._choice(package, release, verdict, "undeclared")
        return self._blocked(package, releases, constraints)

    def _choice(
        self,
        package: _Package,
        release: ReleaseFiles,
        verdict: _Verdict,
        basis: str,
        moved_by: Sequence[Constraint] = (),
    ) -> Choice:
        current = package.current
        chosen = str(release.version)
        kept = current is not None and release.version == current
        series = f"Django {self.target.django}"
        evidence = verdict.why or "no Django requirement in Requires-Dist"
        if basis == "constraint":
            reason = "; ".join(c.why for c in moved_by)
            if kept:
                reason = f"kept: {reason}"
            evidence = "; ".join(c.evidence for c in moved_by)
        elif verdict.declares_target:
            reason = f"{'already declares' if kept else 'first release declaring'} {series}"
            if self.strategy == "latest" and not kept:
                reason = f"newest release; declares {series}"
            evidence = f"classifier: Framework :: Django :: {self.target.django}"
            if verdict.why:
                evidence += f"; {verdict.why}"
        elif basis == "undeclared":
            reason = (
                f"no release declares {series} in its classifiers; "
                f"{'kept' if kept else 'smallest upgrade'} admitted by its metadata "
                "(verify with the stage's tests)"
            )
        elif basis == "not-django":
            verb = (
                "kept" if kept else ("newest release" if self.strategy == "latest" else "upgraded")
            )
            reason = (
                f"{verb}: does not depend on Django; Requires-Python "
                f"{release.requires_python or '(any)'} admits Python {self.target.python}"
            )
        else:
            verb = (
                "kept" if kept else ("newest release" if self.strategy == "latest" else "upgraded")
            )
            reason = f"{verb}: its metadata admits {series} on Python {self.target.python}"
        if kept and release.yanked:
            reason += f"; note: {chosen} is yanked ({release.yanked_reason or 'no reason given'})"
        extras = package.extras
        markers = {d.marker for d in package.declared}
        marker = markers.pop() if len(markers) == 1 else None
        return Choice(package.name, package.shown_current, chosen, reason, evidence, extras, marker)

    def _blocked(
        self, package: _Package, releases: PackageReleases, constraints: Sequence[Constraint]
    ) -> Blocked:
        usable = [r for r in releases.releases if not r.yanked and not r.version.is_prerelease]
        newest = usable[-1] if usable else (releases.releases[-1] if releases.releases else None)
        if newest is None:
            return Blocked(package.name, None, "", "the index lists no release")
        if not _python_ok(newest.requires_python, self.target.python):
            requires = f"Requires-Python {newest.requires_python}"
            reason = f"no release supports Python {self.target.python}"
        else:
            meta = self.index.metadata(package.name, newest)
            verdict = _judge(meta, self.target, self.django, package.extras)
            requires = verdict.django_requirement or verdict.why or "(nothing)"
            reason = (
                f"no release of {package.name} admits Django {self.django} "
                f"on Python {self.target.python}"
            )
            if verdict.ok:
                reason = "no release meets " + "; ".join(c.why for c in constraints)
                requires = "; ".join(str(c.spec) for c in constraints) or requires
        return Blocked(package.name, str(newest.version), requires, reason)


def choose_versions(
    declared: Sequence[DeclaredRequirement],
    target: Target,
    index: MetadataSource,
    *,
    strategy: str = "minimal",
    locked_files: Collection[str] = (),
) -> Choices:
    """A version per declared package (and Django) for ``target``; blocked ones explained.

    Declarations from ``locked_files`` (pip-compiled ``.txt`` files, as project-relative paths)
    count as locks: they give current versions, not packages to choose.
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"strategy must be one of {STRATEGIES}, not {strategy!r}")
    choices: list[Choice] = []
    blocked: list[Blocked] = []
    replacements: list[ReplacementChoice] = []
    notes: list[str] = []
    packages = _group(declared, locked_files)
    django_choice = choose_django(index, target)
    if isinstance(django_choice, Blocked):
        return Choices((), (django_choice,), (), ())
    django = Version(django_choice.chosen)
    if DJANGO in packages:
        current = packages[DJANGO].shown_current
        choices.append(
            Choice(
                DJANGO, current, django_choice.chosen, django_choice.reason, django_choice.evidence
            )
        )
    chooser = _Chooser(index, target, django, strategy)
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
        except PackageIndexError as exc:
            blocked.append(Blocked(name, None, "", exc.message))
            continue
        if isinstance(result, Choice):
            choices.append(result)
        else:
            blocked.append(result)
    _honour_requirements(chooser, packages, choices, blocked)
    return Choices(tuple(choices), tuple(blocked), tuple(replacements), tuple(notes))


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
                    del choices[index]
                    del versions[name]
                    blocked.append(result)
                moved = True
        if not moved:
            return


def _replace(
    row: known.Replacement, package: _Package, chooser: _Chooser, notes: list[str]
) -> ReplacementChoice:
    chosen: str | None = None
    if row.action == "rename" and row.replacement:
        newcomer = _Package(canonicalize_name(row.replacement))
        latest = _Chooser(chooser.index, chooser.target, chooser.django, "latest")
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
