"""Which findings a hop must fix, and which it only warns about.

A hop moves Django from ``source`` to ``target`` (and maybe Python to ``python_to`` and some
packages to new versions). For each finding's catalogue entry, keyed to its scope:

- **Django**: *breaking* when the hop crosses or reaches the removal
  (``source < removed_in <= target``); *deprecated* when the target has deprecated it but not
  yet removed it (``deprecated_in <= target < removed_in``). An entry removed at or before
  ``source`` belongs to no hop: code using it cannot run on the current Django, so the finding
  is dead code or a false positive, and is left to the report of the scan itself.
- **Python**: judged on ``python_to`` alone (the hop's Python): breaking from ``removed_in``
  on, deprecated from ``deprecated_in`` on. Nothing when ``python_to`` is None.
- **Package**: judged on the version the hop chose for that package (``packages``, keys are
  canonical names); nothing when the package is not part of the hop.

A Django entry in ``KEPT_WHILE_INSTALLED`` (pytz) is deprecated, not breaking, while its package
stays in the hop's set: the project's own uses keep working.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from upgrader.errors import UsageError
from upgrader.findings.catalogue import Deprecation
from upgrader.findings.model import Finding

# Django entries whose use only breaks once the package is gone: Django 5.0 removed its pytz
# support, but a project's own ``pytz.timezone(...)`` or ``all_timezones`` keeps working while
# pytz is installed (FINDINGS F26). With the package in the hop's set such a use is
# "deprecated" (move when convenient), not breaking; pytz's ``localize()``/``normalize()`` and
# ``is_dst=`` are their own entries and stay breaking.
KEPT_WHILE_INSTALLED = {"pytz": "pytz"}


class HopFindings(NamedTuple):
    breaking: tuple[Finding, ...]  # must be fixed for the hop's target to work
    deprecated: tuple[Finding, ...]  # still works at the target, with a deprecation warning


def _classify(entry: Deprecation, version: Version | None, source: Version | None) -> str | None:
    if version is None:
        return None
    removed = entry.removed_version
    if removed <= version and (source is None or removed > source):
        return "breaking"
    if entry.deprecated_version <= version < removed:
        return "deprecated"
    return None


def _series(version: Version) -> Version:
    """The feature release of a version: 4.2.16 -> 4.2 (removals happen in feature releases)."""
    return Version(".".join(str(part) for part in version.release[:2]))


def relevant(
    findings: Iterable[Finding],
    source: Version,
    target: Version,
    python_to: str | None = None,
    packages: Mapping[str, Version] | None = None,
) -> HopFindings:
    """Split ``findings`` into what the hop ``source`` -> ``target`` breaks and what it deprecates."""
    chosen = {canonicalize_name(name): version for name, version in (packages or {}).items()}
    try:
        python = Version(python_to) if python_to else None
    except InvalidVersion:
        raise UsageError(
            f"{python_to!r} is not a Python version", hint="Write it like 3.12."
        ) from None
    breaking: list[Finding] = []
    deprecated: list[Finding] = []
    for finding in findings:
        entry = finding.deprecation
        if entry.scope == "django":
            verdict = _classify(entry, _series(target), _series(source))
            kept_by = KEPT_WHILE_INSTALLED.get(entry.id)
            if verdict == "breaking" and kept_by is not None and kept_by in chosen:
                verdict = "deprecated"
        elif entry.scope == "python":
            verdict = _classify(entry, python, None)
        else:
            assert entry.package is not None
            verdict = _classify(entry, chosen.get(canonicalize_name(entry.package)), None)
        if verdict == "breaking":
            breaking.append(finding)
        elif verdict == "deprecated":
            deprecated.append(finding)
    return HopFindings(tuple(breaking), tuple(deprecated))
