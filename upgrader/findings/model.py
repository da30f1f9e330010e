"""What a scan returns: findings located at file:line, and the files it could not read."""

from __future__ import annotations

from dataclasses import dataclass

from upgrader.files import Skipped
from upgrader.findings.catalogue import Deprecation, get


@dataclass(frozen=True, order=True)
class Finding:
    """One use of a deprecated or removed API: ``id`` is its catalogue entry."""

    file: str  # relative to the project root, posix separators
    line: int  # 1-based
    col: int  # 0-based, in characters
    id: str
    message: str  # what was found, e.g. "`request.is_ajax()`"

    @property
    def deprecation(self) -> Deprecation:
        return get(self.id)

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col + 1}: {self.id} {self.message}"


@dataclass(frozen=True)
class ScanResult:
    """Every finding of a project (sorted by file, line, column) and the files left unread."""

    findings: tuple[Finding, ...]
    skipped: tuple[Skipped, ...] = ()
    files_scanned: int = 0

    def by_id(self) -> dict[str, tuple[Finding, ...]]:
        grouped: dict[str, list[Finding]] = {}
        for finding in self.findings:
            grouped.setdefault(finding.id, []).append(finding)
        return {key: tuple(value) for key, value in sorted(grouped.items())}
