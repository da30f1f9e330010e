"""Moved to :mod:`upgrader.plan.stages`; this name is kept for the importers not yet moved
(``upgrader/cli.py``, ``upgrader/step_stages.py``): import from ``upgrader.plan.stages``."""

from __future__ import annotations

from upgrader.plan.stages import (
    DJANGO_UPGRADE_DOCS,
    PYUPGRADE_DOCS,
    DefaultStages,
    as_versions,
    chosen_versions,
    dependency_rows,
    hop_findings,
    kept_breaks,
    manual_items,
    rewrite_counts,
    rule_docs,
)

__all__ = [
    "DJANGO_UPGRADE_DOCS",
    "PYUPGRADE_DOCS",
    "DefaultStages",
    "as_versions",
    "chosen_versions",
    "dependency_rows",
    "hop_findings",
    "kept_breaks",
    "manual_items",
    "rewrite_counts",
    "rule_docs",
]
