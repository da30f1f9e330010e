"""The version choice for one package: the ``Chooser`` reads a package's releases newest or
oldest first (by strategy) and takes the first whose metadata admits the hop, or explains why
none does (``Blocked``, from every release: ``Chooser.blocked``); ``choose_django`` picks
Django's own patch release. ``upgrader.deps.choose.choose_versions`` drives it per package.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timezone

from packaging.specifiers import SpecifierSet
from packaging.utils import InvalidWheelFilename, canonicalize_name, parse_wheel_filename
from packaging.version import InvalidVersion, Version

from upgrader.deps import known
from upgrader.deps.evidence import (
    PLATFORM,
    DeclaredPackage,
    Verdict,
    has_wheel_for,
    is_binary,
    judge,
    python_ok,
    requirements_in_effect,
    target_tags,
)
from upgrader.deps.index import PackageReleases, ReleaseFiles
from upgrader.deps.model import DJANGO, Blocked, Choice, Constraint, MetadataSource, Target

# The first final release of each CPython feature version (python.org's release pages,
# https://www.python.org/downloads/): a package release uploaded before it was made without it.
PYTHON_RELEASED: dict[str, datetime] = {
    python: datetime.fromisoformat(day).replace(tzinfo=timezone.utc)
    for python, day in (
        ("3.6", "2016-12-23"),
        ("3.7", "2018-06-27"),
        ("3.8", "2019-10-14"),
        ("3.9", "2020-10-05"),
        ("3.10", "2021-10-04"),
        ("3.11", "2022-10-24"),
        ("3.12", "2023-10-02"),
        ("3.13", "2024-10-07"),
        ("3.14", "2025-10-07"),
    )
}


def wheel_for_python(release: ReleaseFiles, python: str) -> bool:
    """Whether ``release`` has a wheel built for CPython ``python`` (``cp312``) on any platform."""
    wanted = "cp" + python.replace(".", "")
    for dist in release.files:
        if not dist.is_wheel:
            continue
        try:
            found = parse_wheel_filename(dist.filename)[3]
        except InvalidWheelFilename:
            continue
        if any(tag.interpreter == wanted for tag in found):
            return True
    return False


def predates(release: ReleaseFiles, python: str) -> bool:
    """Whether ``release`` was uploaded before CPython ``python`` came out (True when the index
    gives no upload time: nothing says otherwise; False for a Python of unknown date)."""
    released = PYTHON_RELEASED.get(python)
    if released is None:
        return False
    uploaded = release.uploaded
    return uploaded is None or uploaded < released


PYTHON_SCAN = 30  # later releases read looking for one made for the hop's Python

TRANSITIVE_SCAN = 30  # later releases read looking for one that keeps the baseline's transitives


def lowers(spec: SpecifierSet, version: Version) -> bool:
    """Whether ``spec`` excludes ``version`` from above, so that meeting it takes the package
    lower (``<1.0`` or ``~=0.13`` against 1.0.0); a lower bound or ``!=`` does not."""
    for clause in spec:
        if clause.contains(version, prereleases=True):
            continue
        if clause.operator in ("<", "<="):
            return True
        if clause.operator in ("==", "~=", "==="):
            try:
                if Version(clause.version.removesuffix(".*")) < version:
                    return True
            except InvalidVersion:
                continue
    return False


# With --strategy latest, how many releases (newest first) to read looking for one whose
# classifiers declare the target series before taking the newest that the metadata admits.
LATEST_SCAN = 15


def _spans(versions: Sequence[Version]) -> str:
    """``4.4.7, 5.0.0-5.1.2``-style summary of ``versions`` (sorted), at most a few items."""
    if not versions:
        return "none"
    if len(versions) <= 3:
        return ", ".join(str(v) for v in versions)
    return f"{versions[0]} to {versions[-1]} ({len(versions)} releases)"


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
        if python_ok(release.requires_python, target.python):
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


class Chooser:
    def __init__(
        self,
        index: MetadataSource,
        target: Target,
        django: Version,
        strategy: str,
        platforms: Sequence[str] | None = None,
        python_from: str | None = None,
        transitive: Mapping[str, Version] | None = None,
    ):
        self.index = index
        # Canonical name -> the version the project runs today of a package it does not
        # declare (pluggy 1.0.0 under pytest 3.9.1): a release that moves is preferred when its
        # requirements keep it there or higher (``keeps_transitive``).
        self.transitive = dict(transitive or {})
        # The Python the project ran before this hop; None: unknown (taken as a move).
        self.python_from = python_from
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
            if not python_ok(release.requires_python, self.target.python):
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

    def newest_first(self, package: DeclaredPackage) -> bool:
        """``latest``, or an unpinned package with no baseline: the newest release that works."""
        return self.strategy == "latest" or (
            package.floor is None and not package.specifier and package.baseline is None
        )

    def ordered(
        self,
        package: DeclaredPackage,
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

    def choose(
        self, package: DeclaredPackage, extra: Sequence[Constraint] = ()
    ) -> Choice | Blocked:
        releases = self.index.releases(package.name)
        candidates = self.candidates(releases, package.floor)
        constraints = [*self.constraints(package.name), *extra]
        ordered = self.ordered(package, candidates, constraints)
        found = self._scan(package, ordered, constraints)
        if found is None:
            return self._blocked(package, releases, candidates, constraints)
        found, held = self.keeps_transitive(package, found, ordered, constraints)
        if not is_binary(releases) or has_wheel_for(found[0], self.tags):
            return self._choice(package, *found, note=held)
        # Requires-Python is not installability: a binary package needs a wheel for the stage.
        wheel = self._scan(
            package, [r for r in ordered if has_wheel_for(r, self.tags)], constraints
        )
        where = f"CPython {self.target.python} on {self.platform}"
        if wheel is not None:
            note = f"{found[0].version} has no wheel for {where}; {wheel[0].version} has one"
            return self._choice(package, *wheel, note=note)  # its transitives: not re-judged
        note = (
            f"only an sdist fits {where}: installing it builds from source "
            "(a compiler and the library's headers are needed)"
        )
        made_for = self._made_for_python(package, found[0], ordered, constraints)
        if made_for is not None:
            python = self.target.python
            note = (
                f"{package.name} {found[0].version} predates Python {python} and has neither a "
                f"wheel for it nor a classifier declaring it (its sdist was never built there); "
                f"{made_for[0].version} is the first release that declares Python {python}; "
                f"{note}"
            )
            return self._choice(package, *made_for, note=note)
        return self._choice(package, *found, note="; ".join(n for n in (held, note) if n))

    def lowered(self, package: DeclaredPackage, release: ReleaseFiles) -> list[str]:
        """``release``'s requirements that take a package the project does not declare below
        the version it runs today (``self.transitive``): ["pluggy<1.0,>=0.12 (the baseline
        has 1.0.0)"]."""
        if not self.transitive:
            return []
        meta = self.index.metadata(package.name, release)
        found = []
        for req in requirements_in_effect(meta, self.target.python, package.extras):
            have = self.transitive.get(canonicalize_name(req.name))
            if have is not None and lowers(req.specifier, have):
                found.append(f"{req.name}{req.specifier} (the baseline has {have})")
        return found

    def keeps_transitive(
        self,
        package: DeclaredPackage,
        found: tuple[ReleaseFiles, Verdict, str, tuple[Constraint, ...]],
        ordered: Sequence[ReleaseFiles],
        constraints: Sequence[Constraint],
    ) -> tuple[tuple[ReleaseFiles, Verdict, str, tuple[Constraint, ...]], str]:
        """``found`` and "" when it is the version kept or its requirements keep every package
        the project does not declare at or above the baseline's version; else the first later
        release (of ``ordered``, at most ``TRANSITIVE_SCAN`` read) that works and does, with a
        note saying why (pytest 5.4.0 needs pluggy<1.0 where the baseline runs pluggy 1.0.0:
        6.2.5 is the first whose requirements admit it), or ``found`` with a note that the hop
        takes the package lower. Newest first (``latest``) already takes the newest."""
        release = found[0]
        if self.newest_first(package) or release.version == package.floor:
            return found, ""
        lower = self.lowered(package, release)
        if not lower:
            return found, ""
        what = f"{package.name} {release.version} requires {', '.join(lower)}"
        later = [r for r in ordered if r.version > release.version]
        for candidate in later[:TRANSITIVE_SCAN]:
            if self.lowered(package, candidate):
                continue
            again = self._scan(package, [candidate], constraints)
            if again is not None:
                return again, (
                    f"{what}: {candidate.version} is the first release whose requirements keep "
                    "the baseline's versions (a hop never downgrades)"
                )
        read = min(len(later), TRANSITIVE_SCAN)
        return found, (
            f"{what}: no later release ({read} read) keeps the baseline's versions, so the hop "
            "takes them lower"
        )

    def declares_python(self, name: str, release: ReleaseFiles) -> bool:
        """Whether ``release`` was made for the hop's Python: a ``cpXY`` wheel (any platform)
        or the classifier ``Programming Language :: Python :: X.Y``."""
        python = self.target.python
        if wheel_for_python(release, python):
            return True
        meta = self.index.metadata(name, release)
        return f"Programming Language :: Python :: {python}" in meta.classifiers

    def _made_for_python(
        self,
        package: DeclaredPackage,
        release: ReleaseFiles,
        ordered: Sequence[ReleaseFiles],
        constraints: Sequence[Constraint],
    ) -> tuple[ReleaseFiles, Verdict, str, tuple[Constraint, ...]] | None:
        """On a hop that moves Python, for a binary package that installs from its sdist: the
        first later release made for the hop's Python (``declares_python``) when ``release``
        predates that Python and was not made for it (psycopg2 2.8.4 -> 2.9.9 on 3.12); None
        when ``release`` is fine or no later release declares it."""
        python = self.target.python
        if self.python_from == python or not predates(release, python):
            return None
        if self.declares_python(package.name, release):
            return None
        later = [r for r in ordered if r.version > release.version]
        for read, candidate in enumerate(later):
            if read >= PYTHON_SCAN:
                break
            if self.declares_python(package.name, candidate):
                found = self._scan(package, [candidate], constraints)
                if found is not None:
                    return found
        return None

    def _scan(
        self,
        package: DeclaredPackage,
        ordered: Sequence[ReleaseFiles],
        constraints: Sequence[Constraint],
    ) -> tuple[ReleaseFiles, Verdict, str, tuple[Constraint, ...]] | None:
        """The release to take from ``ordered``, its verdict, the basis and the constraints."""
        floor = package.floor
        newest_first = self.newest_first(package)
        first_ok: tuple[ReleaseFiles, Verdict] | None = None
        django_related = bool(package.app_evidence)
        moved_by = tuple(c for c in constraints if floor is None or not c.admits(floor))
        for scanned, release in enumerate(ordered, start=1):
            meta = self.index.metadata(package.name, release)
            verdict = judge(meta, self.target, self.django, package.extras)
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

    def _strategy(self, package: DeclaredPackage, chosen: Version) -> str:
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
        package: DeclaredPackage,
        release: ReleaseFiles,
        verdict: Verdict,
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
            why = package.app_evidence or "its classifiers say Framework :: Django"
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
        package: DeclaredPackage,
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
            verdict = judge(
                self.index.metadata(name, release), self.target, self.django, package.extras
            )
            if verdict.django_requirement and verdict.django_requirement not in found:
                found.append(verdict.django_requirement)
        last = left[-1]
        verdict = judge(self.index.metadata(name, last), self.target, self.django, package.extras)
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
