"""Findings: the catalogue of Django deprecations that break code, and the static scanner.

- :mod:`upgrader.findings.catalogue`: every deprecation/removal as data (``CATALOGUE``).
- :func:`scan_project` / :func:`scan_source`: where a project uses them, as file:line findings.
- :func:`relevant`: which findings a hop must fix and which it only warns about.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

# Imported on first use (PEP 562): a submodule such as ``url_includes`` (the rewrite stage reads
# it on every run, cache hits included) must not pull in the scanner, libcst and the rule modules.
_LAZY = {
    **dict.fromkeys(
        ("CATALOGUE", "CODEMOD_IDS", "Deprecation", "Fix", "all_deprecations", "get"), "catalogue"
    ),
    **dict.fromkeys(("Finding", "ScanResult"), "model"),
    **dict.fromkeys(("ScanError", "scan_project", "scan_source", "settings_paths"), "scan"),
    **dict.fromkeys(("HopFindings", "relevant"), "selection"),
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


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
