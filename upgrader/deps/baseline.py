"""What the project runs today for the packages it does not pin: ``baseline_versions`` reads,
per package, the newest release as of the baseline's cut-off (``upgrader.deps.era``) that fits
the baseline's Python, Django and the project's own pins.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from packaging.requirements import Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from upgrader.deps.chooser import choose_django
from upgrader.deps.evidence import (
    DeclaredPackage,
    applies_on,
    group_declared,
    judge,
    python_ok,
    requirements_in_effect,
)
from upgrader.deps.index import CoreMetadata, PackageIndexError, PackageReleases, ReleaseFiles
from upgrader.deps.model import DJANGO, Blocked, MetadataSource, Target
from upgrader.detect.requirements import DeclaredRequirement

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
    packages = group_declared(declared, locked_files)
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
        if not any(applies_on(d, target.python) for d in package.declared):
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
    package: DeclaredPackage,
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
        if not python_ok(release.requires_python, target.python):
            continue
        scanned += 1
        if scanned > BASELINE_SCAN:
            break
        try:
            meta = index.metadata(name, release)
        except PackageIndexError:
            continue
        if not judge(meta, target, django, package.extras).ok:
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
