"""Django feature releases as data: LTS flag, Python support, dates and release notes.

Versions are ``packaging`` versions, never ``(major, minor)`` tuples: Django moves to calendar
versioning (``YYYY.N``) after 6.2 (DEP 20), and nothing here assumes a release's first
component is small or that ``X.2`` means LTS.

Sources (named per fact in ``SOURCES``; the key of each is used by the rows below):
- ``faq``: "What Python version can I use with Django?", docs/faq/install.txt, and each
  release's "Python compatibility" section (for the patch release that added a Python).
- ``pypi``: upload date of the first file of the X.Y release on PyPI (release date).
- ``download``: the "Supported versions" table of djangoproject.com/download/ (end of
  extended support; months for releases not yet ended).
- ``notes``: the release notes of an announced release (6.2 "UNDER DEVELOPMENT").
- ``dep20``: DEP 0020 "Annual Release Cycle" (accepted 2026): after 6.2 comes ``2028.0``,
  one release a year, every release supported three years, no separate LTS.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache

from packaging.version import InvalidVersion, Version

SOURCES: dict[str, str] = {
    "faq": "https://docs.djangoproject.com/en/stable/faq/install/#what-python-version-can-i-use-with-django",
    "pypi": "https://pypi.org/project/Django/#history",
    "download": "https://www.djangoproject.com/download/#supported-versions",
    "notes": "https://docs.djangoproject.com/en/dev/releases/6.2/",
    "dep20": "https://github.com/django/deps/blob/main/accepted/0020-annual-release-cycle.rst",
}


@dataclass(frozen=True, order=True)
class PythonSupport:
    """One Python feature version a Django release supports, and since which patch release."""

    python: str
    since: str | None = None  # e.g. "2.2.8" when support arrived in a patch release


@dataclass(frozen=True)
class Release:
    """A Django feature release (a "series": 2.2, 5.2, and later 2028.0)."""

    name: str
    lts: bool
    python: tuple[PythonSupport, ...]
    released: str  # ISO date; "YYYY-MM" when only the month is announced
    end_of_support: str  # ISO date or "YYYY-MM" (end of security fixes)
    status: str = "released"  # "released" | "announced"
    sources: tuple[str, ...] = ("faq", "pypi", "download")
    notes_url: str = field(default="")

    @property
    def version(self) -> Version:
        return Version(self.name)

    @property
    def python_versions(self) -> tuple[str, ...]:
        return tuple(p.python for p in self.python)

    @property
    def min_python(self) -> str:
        return self.python_versions[0]

    @property
    def max_python(self) -> str:
        return self.python_versions[-1]

    @property
    def release_notes(self) -> str:
        return self.notes_url or release_notes_url(self.name)

    def supports_python(self, python: str) -> bool:
        return python in self.python_versions

    def is_supported_on(self, day: dt.date) -> bool:
        """Whether the series still gets security fixes on ``day`` (month-only dates: end of month)."""
        return day <= _end_of(self.end_of_support)


def release_notes_url(name: str) -> str:
    return f"https://docs.djangoproject.com/en/{name}/releases/{name}/"


def _py(*versions: str, since: dict[str, str] | None = None) -> tuple[PythonSupport, ...]:
    since = since or {}
    return tuple(PythonSupport(v, since.get(v)) for v in versions)


def _end_of(value: str) -> dt.date:
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        return dt.date(parts[0], parts[1], parts[2])
    year, month = parts
    first_of_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_of_next - dt.timedelta(days=1)


# Every feature release from 1.11 to the announced 6.2 LTS, oldest first.
RELEASES: tuple[Release, ...] = (
    Release(
        "1.11",
        True,
        _py("2.7", "3.4", "3.5", "3.6", "3.7", since={"3.7": "1.11.17"}),
        "2017-04-04",
        "2020-04-01",
    ),
    Release("2.0", False, _py("3.4", "3.5", "3.6", "3.7"), "2017-12-02", "2019-04-01"),
    Release("2.1", False, _py("3.5", "3.6", "3.7"), "2018-08-01", "2019-12-02"),
    Release(
        "2.2",
        True,
        _py("3.5", "3.6", "3.7", "3.8", "3.9", since={"3.8": "2.2.8", "3.9": "2.2.17"}),
        "2019-04-01",
        "2022-04-11",
    ),
    Release(
        "3.0",
        False,
        _py("3.6", "3.7", "3.8", "3.9", since={"3.9": "3.0.11"}),
        "2019-12-02",
        "2021-04-06",
    ),
    Release(
        "3.1",
        False,
        _py("3.6", "3.7", "3.8", "3.9", since={"3.9": "3.1.3"}),
        "2020-08-04",
        "2021-12-07",
    ),
    Release(
        "3.2",
        True,
        _py("3.6", "3.7", "3.8", "3.9", "3.10", since={"3.10": "3.2.9"}),
        "2021-04-06",
        "2024-04-01",
    ),
    Release("4.0", False, _py("3.8", "3.9", "3.10"), "2021-12-07", "2023-04-01"),
    Release(
        "4.1",
        False,
        _py("3.8", "3.9", "3.10", "3.11", since={"3.11": "4.1.3"}),
        "2022-08-03",
        "2023-12-01",
    ),
    Release(
        "4.2",
        True,
        _py("3.8", "3.9", "3.10", "3.11", "3.12", since={"3.12": "4.2.8"}),
        "2023-04-03",
        "2026-04-07",
    ),
    Release("5.0", False, _py("3.10", "3.11", "3.12"), "2023-12-04", "2025-04-02"),
    Release(
        "5.1",
        False,
        _py("3.10", "3.11", "3.12", "3.13", since={"3.13": "5.1.3"}),
        "2024-08-07",
        "2025-12-03",
    ),
    Release(
        "5.2",
        True,
        _py("3.10", "3.11", "3.12", "3.13", "3.14", since={"3.14": "5.2.8"}),
        "2025-04-02",
        "2028-04",
    ),
    Release("6.0", False, _py("3.12", "3.13", "3.14"), "2025-12-03", "2027-04"),
    Release("6.1", False, _py("3.12", "3.13", "3.14"), "2026-08-05", "2027-12"),
    Release(
        "6.2",
        True,
        _py("3.12", "3.13", "3.14"),
        "2027-04",
        "2030-04",
        status="announced",
        sources=("notes", "dep20"),
        notes_url="https://docs.djangoproject.com/en/dev/releases/6.2/",
    ),
)


def parse_version(text: str) -> Version:
    """Parse a Django version string, with a clear error for nonsense."""
    from upgrader.errors import UsageError

    try:
        return Version(text)
    except InvalidVersion:
        raise UsageError(
            f"{text!r} is not a Django version",
            hint="Write it like 3.2, 4.2.16 or 2028.0.",
        ) from None


def series_name(version: Version) -> str:
    """The feature release a version belongs to: 2.2.28 -> "2.2", 2028.0.1 -> "2028.0"."""
    release = version.release
    return f"{release[0]}.{release[1] if len(release) > 1 else 0}"


@cache
def _by_name() -> dict[str, Release]:
    return {r.name: r for r in RELEASES}


def get_release(version: Version | str) -> Release | None:
    """The feature release of ``version`` (any patch level), or None when not in the table."""
    if isinstance(version, str):
        version = parse_version(version)
    return _by_name().get(series_name(version))


def released(*, include_announced: bool = False) -> tuple[Release, ...]:
    return tuple(r for r in RELEASES if include_announced or r.status == "released")


def newest_lts(*, include_announced: bool = False) -> Release:
    return [r for r in released(include_announced=include_announced) if r.lts][-1]


def newest(*, include_announced: bool = False) -> Release:
    return released(include_announced=include_announced)[-1]
