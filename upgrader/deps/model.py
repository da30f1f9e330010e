"""The types the dependency modules share: what a hop targets, what was chosen or blocked, and
the index a choice reads (``MetadataSource``).

Every ``upgrader.deps`` module (``choose``, ``era``, ``resolve``, ``installable``, ``write``,
``plan``) and ``upgrader.verify.toxconfig`` import these from here, so none of them needs
``choose`` (which does the choosing) for its types. Frozen dataclasses and protocols only: no
module of upgrader beyond ``index`` and ``verify.deprecations`` is imported here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from packaging.specifiers import SpecifierSet
from packaging.version import Version

from upgrader.deps.index import CoreMetadata, DistFile, PackageReleases, ReleaseFiles
from upgrader.verify.deprecations import DeprecationFinding

STRATEGIES = ("minimal", "latest")
DJANGO = "django"
# In the reason of a package blocked because its code breaks on the target (``is_breaking``).
BREAKS_ON = "breaks on Django"
REMOVED_IMPORT = "import of a removed name"  # the category of a ``deps.removed_api`` finding


class MetadataSource(Protocol):
    """What choosing needs from an index (``upgrader.deps.index.PackageIndex``)."""

    def releases(self, name: str) -> PackageReleases: ...

    def metadata(self, name: str, release: ReleaseFiles) -> CoreMetadata: ...


@runtime_checkable
class FileSource(Protocol):
    """An index that also serves a release's files (``PackageIndex.download``), so a release's
    own code can be read before it is chosen (``upgrader.deps.removed_api.release_removed_imports``)."""

    def download(self, dist: DistFile) -> Path: ...


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
class BreakingWarning:
    """A warning from ``package``'s code naming a removal at or before the hop's target."""

    package: str  # canonical name
    finding: DeprecationFinding
    version: str | None = None  # the package's version in the run's environment, when known

    @property
    def why(self) -> str:
        f = self.finding
        if f.category == REMOVED_IMPORT:  # read from its installed files (deps.removed_api)
            return f"its {f.location} {f.message}, removed in Django {f.removed_in}"
        return (
            f"the baseline's tests warn from its code ({f.location}: {f.category}: "
            f"{f.message}): removed in Django {f.removed_in}"
        )
