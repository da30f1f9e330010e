"""What a release's metadata says about a hop, and how the project declares each package.

The judgments ``choose`` (``upgrader.deps.chooser``) and ``baseline`` make from one release's
core metadata: whether its ``Requires-Python`` admits the hop's Python (``python_ok``), what it
requires of Django (``django_requirement``), whether it admits the hop's Django (``judge``),
whether one of its wheels installs on the stage (``has_wheel_for``); and the project's
declarations of one package merged across files (``DeclaredPackage``, ``group_declared``).
"""

from __future__ import annotations

import sysconfig
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from packaging import tags
from packaging.markers import InvalidMarker, Marker
from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.tags import Tag
from packaging.utils import InvalidWheelFilename, canonicalize_name, parse_wheel_filename
from packaging.version import InvalidVersion, Version

from upgrader.deps.index import CoreMetadata, PackageReleases, ReleaseFiles
from upgrader.deps.model import DJANGO, Target
from upgrader.detect.requirements import DeclaredRequirement

PLATFORM = sysconfig.get_platform()


@dataclass(frozen=True)
class Verdict:
    ok: bool
    why: str  # what excluded it, or what admitted it
    declares_target: bool = False  # a Framework :: Django :: X.Y classifier names the target
    django_requirement: str | None = None


def marker_environment(python: str, extra: str = "") -> dict[str, str]:
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
            req.marker.evaluate(marker_environment(python, extra)) for extra in ("", *extras)
        ):
            found.append(req)
    return found


def python_ok(requires_python: str | None, python: str) -> bool:
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


def judge(
    meta: CoreMetadata, target: Target, django: Version, extras: Sequence[str] = ()
) -> Verdict:
    if not python_ok(meta.requires_python, target.python):
        return Verdict(False, f"Requires-Python {meta.requires_python}")
    req = django_requirement(meta, target.python, extras)
    declares = target.django in meta.django_classifiers
    if req is not None and req.specifier and not req.specifier.contains(django, prereleases=True):
        return Verdict(False, f"Requires-Dist: {req}", declares, str(req))
    return Verdict(
        True, f"Requires-Dist: {req}" if req else "", declares, str(req) if req else None
    )


def pinned_version(spec: str) -> Version | None:
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
class DeclaredPackage:
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
            pin = pinned_version(decl.specifier)
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


def group_declared(
    declared: Iterable[DeclaredRequirement], locked_files: Collection[str] = ()
) -> dict[str, DeclaredPackage]:
    packages: dict[str, DeclaredPackage] = {}
    for decl in declared:
        if not decl.name or decl.kind in ("editable", "url"):
            continue
        package = packages.setdefault(decl.name, DeclaredPackage(decl.name))
        if decl.is_lock or decl.evidence.file in locked_files:
            pin = pinned_version(decl.specifier)
            if pin is not None:
                package.locked = pin
        else:
            package.declared.append(decl)
    return {name: p for name, p in packages.items() if p.declared}


def applies_on(decl: DeclaredRequirement, python: str) -> bool:
    if not decl.marker:
        return True
    try:
        return Marker(decl.marker).evaluate(marker_environment(python))
    except InvalidMarker:
        return True


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
