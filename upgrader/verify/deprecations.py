"""Deprecation warnings read from a test run's log, with file:line and the release that removes them.

Python prints a shown warning as ``path:line: Category: message`` (followed by the source line),
and both Django's test runner (run with ``PYTHONWARNINGS=always``, as Django's upgrade guide
recommends) and pytest's "warnings summary" keep that form, so one reader serves both runners.

Kept: Django's ``RemovedInDjangoNNWarning`` family and every ``*DeprecationWarning`` /
``PendingDeprecationWarning``. Each is de-duplicated on (category, file, line, message), counted,
attributed to the project or to third-party code (site-packages, the standard library, anything
outside the project root), and grouped by the Django release that removes it:
``RemovedInDjango40Warning`` -> "4.0", ``RemovedInDjango51Warning`` -> "5.1", and calendar
releases read the same way: ``RemovedInDjango2028Warning`` (a year: the first release of that
year) and its alias ``RemovedInDjango70Warning`` -> "2028.0", ``RemovedInDjango20281Warning`` ->
"2028.1".

Each warning that matches a catalogue entry carries its id (``catalogue_id``), so the report can
say which remaining warnings the plan already knew.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath

from upgrader.findings.runtime import catalogue_id
from upgrader.releases import RELEASES

# A path starts a line or follows whitespace (the lookbehind): each run of non-space characters
# is tried once, so a long line without a warning (a blob a test printed) costs linear time, not
# quadratic. ASCII digits, bounded: a line number or release of thousands of digits is no warning.
_WARNING_LINE = re.compile(
    r"(?<!\S)(?P<file>(?:[A-Za-z]:)?[^\s:]+\.py):(?P<line>[0-9]{1,9}): "
    r"(?P<category>RemovedInDjango[0-9]{1,8}Warning|\w*DeprecationWarning): (?P<message>.*)"
)
_REMOVED_IN = re.compile(r"^RemovedInDjango([0-9]{1,8})Warning$")
# Releases announced under one name and shipped under another. DEP 20 (calendar versions): the
# release after 6.2 is 2028.0, so Django 6.1 keeps RemovedInDjango70Warning as an alias of
# RemovedInDjango2028Warning.
_RENAMED = {"70": "2028.0"}
# Path parts that mark code which is not the project's own, even under the project root.
_THIRD_PARTY_PARTS = frozenset({"site-packages", "dist-packages", ".tox", ".upgrader", ".venv"})

PROJECT = "project"
THIRD_PARTY = "third-party"
NOT_DJANGO = "other"  # group of DeprecationWarnings that name no Django release


@dataclass(frozen=True, order=True)
class DeprecationFinding:
    """One distinct deprecation warning seen while the tests ran."""

    file: str  # project code: relative to the root; installed packages: relative to site-packages
    line: int
    category: str  # "RemovedInDjango40Warning", "DeprecationWarning", ...
    message: str
    origin: str  # PROJECT | THIRD_PARTY
    removed_in: str | None  # the Django release that removes the API, "4.0"; None when unknown
    count: int = 1
    catalogue_id: str | None = None  # the catalogue entry the plan knew it by, when one matches

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}"

    def to_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "category": self.category,
            "message": self.message,
            "origin": self.origin,
            "removed_in": self.removed_in,
            "count": self.count,
            "catalogue_id": self.catalogue_id,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> DeprecationFinding:
        removed_in = data["removed_in"]
        return cls(
            file=str(data["file"]),
            line=int(str(data["line"])),
            category=str(data["category"]),
            message=str(data["message"]),
            origin=str(data["origin"]),
            removed_in=None if removed_in is None else str(removed_in),
            count=int(str(data.get("count", 1))),
            catalogue_id=None if data.get("catalogue_id") is None else str(data["catalogue_id"]),
        )


def removed_in(category: str) -> str | None:
    """The Django release a ``RemovedInDjangoNNWarning`` names: "RemovedInDjango51Warning" -> "5.1".

    The digits are split where they name a release in the table; unknown releases read as
    ``YYYY.N`` when they start with a year (DEP 20's calendar versions) and as ``X.Y`` otherwise.
    """
    match = _REMOVED_IN.match(category)
    if match is None:
        return None
    digits = match.group(1)
    known = {release.name for release in RELEASES}
    for cut in range(1, len(digits)):
        name = f"{digits[:cut]}.{int(digits[cut:])}"
        if name in known and digits[cut:] == str(int(digits[cut:])):
            return name
    if len(digits) == 4 and digits.startswith("20"):
        # Django 6.1's RemovedInDjango2028Warning: a year names the first release of that year.
        return f"{digits}.0"
    if len(digits) >= 5 and digits.startswith("20"):
        return f"{digits[:4]}.{int(digits[4:])}"
    if digits in _RENAMED:
        return _RENAMED[digits]
    if len(digits) == 1:
        return f"{digits}.0"
    return f"{digits[0]}.{int(digits[1:])}"


def _origin_and_file(raw: str, root: Path) -> tuple[str, str]:
    path = PurePath(raw)
    if not path.is_absolute():
        path = root / path
    parts = path.parts
    for marker in ("site-packages", "dist-packages"):
        if marker in parts:
            # "django/conf/__init__.py": the same on every machine and in every env.
            return THIRD_PARTY, PurePath(*parts[parts.index(marker) + 1 :]).as_posix()
    if _THIRD_PARTY_PARTS.intersection(parts):
        return THIRD_PARTY, path.as_posix()
    try:
        relative = path.relative_to(root)
    except ValueError:
        return THIRD_PARTY, str(path)
    return PROJECT, relative.as_posix()


def parse_warnings(text: str, root: Path) -> tuple[DeprecationFinding, ...]:
    """Every distinct deprecation warning in ``text`` (a run's log), sorted project-first."""
    root = Path(root)
    seen: Counter[tuple[str, int, str, str, str]] = Counter()
    for line in text.splitlines():
        match = _WARNING_LINE.search(line)
        if match is None:
            continue
        origin, file = _origin_and_file(match["file"], root)
        message = match["message"].rstrip()
        seen[(file, int(match["line"]), match["category"], message, origin)] += 1
    findings = [
        DeprecationFinding(
            file,
            line,
            category,
            message,
            origin,
            removed,
            count,
            catalogue_id(message, removed),
        )
        for (file, line, category, message, origin), count in seen.items()
        for removed in (removed_in(category),)
    ]
    return tuple(sorted(findings, key=lambda f: (f.origin != PROJECT, f.file, f.line, f.category)))


def group_by_release(
    findings: Iterable[DeprecationFinding],
) -> dict[str, tuple[DeprecationFinding, ...]]:
    """Findings keyed by the release that removes them, oldest release first, NOT_DJANGO last."""
    groups: dict[str, list[DeprecationFinding]] = {}
    for finding in findings:
        groups.setdefault(finding.removed_in or NOT_DJANGO, []).append(finding)

    def order(key: str) -> tuple[int, tuple[int, ...]]:
        if key == NOT_DJANGO:
            return (1, ())
        return (0, tuple(int(part) for part in key.split(".")))

    return {key: tuple(groups[key]) for key in sorted(groups, key=order)}
