"""docs/coverage.md is generated from the catalogue and states its figures (issue 10)."""

from __future__ import annotations

import re
from pathlib import Path

from packaging.version import Version

from upgrader.findings.catalogue import CATALOGUE, Deprecation
from upgrader.findings.coverage import Row, by_release, release_of, render

DOC = Path(__file__).resolve().parents[2] / "docs" / "coverage.md"


def test_docs_coverage_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/coverage.md is stale: run .venv/bin/python scripts/coverage.py"
    )


def test_every_undetected_item_says_why() -> None:
    for entries in by_release().values():
        for entry in entries:
            if not entry.kinds and not entry.automatic:
                assert entry.undetected, f"{entry.id}: neither detected nor fixed, and no reason"
            if entry.kinds:
                assert not entry.undetected, f"{entry.id}: detected, yet says it cannot be"


def test_release_grouping() -> None:
    assert release_of(CATALOGUE["render-to-response"]) == Version("3.0")  # removed in 3.0
    assert release_of(CATALOGUE["mail-legacy-classes"]) == Version("6.0")  # removed in 2028.0
    assert release_of(CATALOGUE["on-delete-required"]) is None  # 2.0
    assert release_of(CATALOGUE["unittest-aliases"]) is None  # Python's


def test_figures_are_stated() -> None:
    entries: list[Deprecation] = [e for group in by_release().values() for e in group]
    total = Row.of("total", entries)
    text = render()
    match = re.search(r"\*\*(\d+) items: (\d+) detected .*?, (\d+) fixed automatically", text)
    assert match is not None
    assert tuple(map(int, match.groups())) == (total.items, total.detected, total.fixed)
