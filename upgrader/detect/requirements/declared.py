"""What the readers of declarations build: ``DeclaredRequirement``, ``DeclaredSet`` and the
``Collector`` each reader adds to, which turns a PEP 508 string or a split declaration into one
(an unparsable one is a ``Skipped`` entry)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name

from upgrader.detect.model import Evidence
from upgrader.detect.sources import ProjectReader
from upgrader.files import Skipped

LOCK_KINDS = frozenset({"poetry.lock", "pipfile.lock", "uv.lock"})
DIRECT_KINDS = frozenset({"editable", "url"})


@dataclass(frozen=True)
class DeclaredRequirement:
    """One declaration of one package, e.g. ``Django>=2.1,<2.3`` on line 3 of requirements.txt."""

    name: str  # canonical (``canonicalize_name``); "" for an unnamed URL or path
    specifier: str  # PEP 440, "" when none (unpinned, URL, editable)
    extras: tuple[str, ...]
    marker: str | None
    evidence: Evidence
    kind: str  # see the module docstring
    raw: str  # the declaration as written
    url: str | None = None  # for ``editable``/``url``: the URL or path

    @property
    def is_lock(self) -> bool:
        return self.kind in LOCK_KINDS


@dataclass(frozen=True)
class DeclaredSet:
    """All the declarations found in a project, in file order."""

    requirements: tuple[DeclaredRequirement, ...]
    files: tuple[Path, ...]  # every file that declared or locked something, or was read for it
    skipped: tuple[Skipped, ...] = ()  # the declaration files that could not be (fully) used
    root: Path | None = None  # the project's root: what ``skipped`` is shown relative to

    def named(self, name: str) -> tuple[DeclaredRequirement, ...]:
        wanted = canonicalize_name(name)
        return tuple(r for r in self.requirements if r.name == wanted)


class Collector:
    """Builds ``DeclaredRequirement``s for one reader, remembering which files contributed."""

    def __init__(self, reader: ProjectReader) -> None:
        self.reader = reader
        self.found: list[DeclaredRequirement] = []
        self.files: list[Path] = []
        self.consulted: set[Path] = set()  # every file read (or tried) for declarations

    def used(self, path: Path) -> None:
        if path not in self.files:
            self.files.append(path)

    def evidence(self, path: Path, line: int | None, detail: str = "") -> Evidence:
        return Evidence(self.reader.rel(path), line, detail)

    def add_pep508(
        self, raw: str, path: Path, line: int | None, kind: str, detail: str = ""
    ) -> None:
        """A PEP 508 string; an unparsable one is reported and left out."""
        try:
            req = Requirement(raw)
        except InvalidRequirement as exc:
            where = f"line {line}: " if line else ""
            self.reader.skip(
                path,
                f"{where}{raw!r} is not a valid requirement ({exc}): fix it; "
                "the rest of the file was read",
            )
            return
        self.found.append(
            DeclaredRequirement(
                name=canonicalize_name(req.name),
                specifier="" if req.url else str(req.specifier),
                extras=tuple(sorted(req.extras)),
                marker=str(req.marker) if req.marker else None,
                evidence=self.evidence(path, line, detail),
                kind="url" if req.url else kind,
                raw=raw,
                url=req.url,
            )
        )

    def add(
        self,
        name: str,
        specifier: str,
        path: Path,
        line: int | None,
        kind: str,
        raw: str,
        *,
        extras: Iterable[str] = (),
        marker: str | None = None,
        url: str | None = None,
        detail: str = "",
    ) -> None:
        """A declaration already split into parts (TOML tables, lock entries)."""
        try:
            specifier = str(SpecifierSet(specifier))  # one spelling whatever the format
        except InvalidSpecifier as exc:
            where = f"line {line}: " if line else ""
            self.reader.skip(path, f"{where}{raw!r} has an invalid version specifier ({exc})")
            return
        self.found.append(
            DeclaredRequirement(
                name=canonicalize_name(name) if name else "",
                specifier=specifier,
                extras=tuple(sorted(extras)),
                marker=marker or None,
                evidence=self.evidence(path, line, detail),
                kind=kind,
                raw=raw,
                url=url,
            )
        )
