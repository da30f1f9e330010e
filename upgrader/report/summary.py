"""What both renderings (and the terminal) say the same way: the hop's title, its Pythons, its
tests before and after, the one summary line and the totals line ``rewrite`` and ``step`` end with."""

from __future__ import annotations

from collections.abc import Sequence

from upgrader.report.model import StepReport, TestSummary


def hop_title(report: StepReport) -> str:
    """``"Django 2.2 → 3.2"``."""
    return f"Django {report.source} → {report.target}"


def python_versions(report: StepReport) -> str:
    """``"3.8 → 3.10"``, or ``"3.10"`` when the hop keeps the Python."""
    if report.python_from and report.python_from != report.python:
        return f"{report.python_from} → {report.python}"
    return report.python


def tests_change(report: StepReport) -> str:
    """``"42 passed → 41 passed, 1 failed"``; a run that did not happen reads ``"not run"``."""
    before = report.tests_before.outcome if report.tests_before else "not run"
    after = report.tests_after.outcome if report.tests_after else "not run"
    return f"{before} → {after}"


def summary_line(report: StepReport) -> str:
    """One line for the end of ``upgrader step`` and the top of the reports."""
    return (
        f"{hop_title(report)} on Python {python_versions(report)}: {report.shown_status}; "
        f"tests {tests_change(report)}"
    )


def _count(n: int, what: str) -> str:
    return f"{n} {what}" + ("" if n == 1 else "s")


def versus_baseline(before: TestSummary | None, after: TestSummary | None) -> str:
    """``"41 passed, 1 failed (baseline: 42 passed)"``; ``"not run"`` without a run after."""
    if after is None:
        return "not run"
    return f"{after.outcome} (baseline: {before.outcome if before else 'none'})"


def totals_line(*, files: int, rules: int, manual: int, tests: str, dry_run: bool = False) -> str:
    """The one line ``rewrite`` and ``step`` end with, to read at a glance."""
    changed = "would change" if dry_run else "changed"
    return (
        f"Totals: {_count(files, 'file')} {changed}, {_count(rules, 'rule')} fired, "
        f"{_count(manual, 'manual item')} open; tests {tests}"
    )


def report_totals(report: StepReport, *, extra_files: Sequence[str] = ()) -> str:
    """``totals_line`` of a hop: every file it changed (rewrites, dependency files and
    ``extra_files`` such as new migrations), the rules that fired, its open manual items and its
    tests against the baseline (the run before the hop)."""
    files = {f.path for f in report.files} | set(report.dependency_files) | set(extra_files)
    return totals_line(
        files=len(files),
        rules=len({r.rule for r in report.rewrites}),
        manual=len(report.manual),
        tests=versus_baseline(report.tests_before, report.tests_after),
    )


def is_link(url: str) -> bool:
    """Whether ``url`` may be shown as a link (http/https only: never ``javascript:`` and co)."""
    return url.startswith(("https://", "http://"))
