"""Findings: the catalogue of Django deprecations that break code, and the static scanner.

- :mod:`upgrader.findings.catalogue`: every deprecation/removal as data (``CATALOGUE``).
- :func:`scan_project` / :func:`scan_source`: where a project uses them, as file:line findings.
- :func:`relevant`: which findings a hop must fix and which it only warns about.
"""

from __future__ import annotations

from upgrader.findings.catalogue import (
    CATALOGUE,
    CODEMOD_IDS,
    Deprecation,
    Fix,
    all_deprecations,
    get,
)
from upgrader.findings.model import Finding, ScanResult
from upgrader.findings.scan import ScanError, scan_project, scan_source, settings_paths
from upgrader.findings.selection import HopFindings, relevant

__all__ = [
    "CATALOGUE",
    "CODEMOD_IDS",
    "Deprecation",
    "Finding",
    "Fix",
    "HopFindings",
    "ScanError",
    "ScanResult",
    "all_deprecations",
    "get",
    "relevant",
    "scan_project",
    "scan_source",
    "settings_paths",
]
