"""The stages' own results as report parts: a verify run as a :class:`TestSummary` (with its log's
tail when it is not green), its warnings, the rewrite stage's changes as :class:`FileDiff` s and
the files it could not use as :class:`SkippedFile` s."""

from __future__ import annotations

import re
from pathlib import Path

from upgrader.files import Skipped
from upgrader.plan.model import SkippedFile
from upgrader.report.model import FileDiff, SystemCheckItem, TestSummary, WarningItem
from upgrader.rewrite.model import RewriteResult
from upgrader.verify.deprecations import PROJECT
from upgrader.verify.model import TestRun
from upgrader.verify.system_checks import new_since

# A failing run's log is kept in the report (the full log stays in the gitignored
# ``.upgrader/logs/``, which a reviewer of the branch does not have): its last lines, bounded.
LOG_EXCERPT_LINES = 80
LOG_EXCERPT_CHARS = 20_000
# Terminal colour and cursor sequences, which a runner forcing colour leaves in its log.
_ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")


def _relative(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def _log_excerpt(log: Path) -> str:
    try:
        text = log.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return f"(the log {log} could not be read: {exc.strerror or exc})"
    tail = "\n".join(_ANSI_ESCAPE.sub("", text).splitlines()[-LOG_EXCERPT_LINES:])
    if len(tail) > LOG_EXCERPT_CHARS:
        tail = "…" + tail[-LOG_EXCERPT_CHARS:]
    return tail


def test_summary(run: TestRun, *, root: Path | None = None) -> TestSummary:
    """The report's view of a verify-stage run; a run that is not green keeps its log's tail.

    ``root``: the project root, to show the log path relative to it.
    """
    return TestSummary(
        stage=run.stage,
        python=run.python,
        command=run.command,
        passed=run.passed,
        failed=run.failed,
        errors=run.errors,
        skipped=run.skipped,
        duration=run.duration,
        failures=run.failing,
        log=_relative(run.log, root),
        exit_code=run.exit_code,
        log_excerpt="" if run.green else _log_excerpt(run.log),
    )


test_summary.__test__ = False  # type: ignore[attr-defined]  # a converter, not a pytest test


def warning_items(run: TestRun) -> tuple[WarningItem, ...]:
    """The deprecation warnings of a run, project code first, then by file and line."""
    return tuple(sorted(run.warnings, key=lambda w: (w.origin != PROJECT, w.file, w.line)))


def system_check_items(
    after: TestRun, before: TestRun | None
) -> tuple[SystemCheckItem, ...] | None:
    """The system check messages of the run after the hop, most serious first, each marked new when
    the run before the hop ran the checks and did not show it; None when ``after`` ran none."""
    if after.checks is None:
        return None
    new = new_since(after.checks, before.checks if before else None)
    levels = ("critical", "error", "warning", "info", "debug")
    ordered = sorted(
        after.checks,
        key=lambda c: (levels.index(c.level) if c.level in levels else len(levels), c.obj),
    )
    return tuple(
        SystemCheckItem(c.level, c.obj, c.check_id, c.message, c.hint, c.key in new)
        for c in ordered
    )


def _diff_stats(diff: str) -> tuple[int, int]:
    """Lines added and removed; the ``---``/``+++`` header ends at the first ``@@``."""
    added = removed = 0
    in_hunk = False
    for line in diff.split("\n"):
        if line.startswith("@@"):
            in_hunk = True
        elif in_hunk and line.startswith("+"):
            added += 1
        elif in_hunk and line.startswith("-"):
            removed += 1
    return added, removed


def file_diffs(result: RewriteResult, root: Path) -> tuple[FileDiff, ...]:
    """Every file the rewrite stage changed, by path, with its diff and the rules that did it."""
    diffs = []
    for change in result.changes:
        added, removed = _diff_stats(change.diff)
        rules = tuple(dict.fromkeys(hit.rule for hit in change.rules))
        diffs.append(FileDiff(_relative(change.path, root), change.diff, rules, added, removed))
    return tuple(sorted(diffs, key=lambda d: d.path))


def skipped_files(skipped: tuple[Skipped, ...], root: Path) -> tuple[SkippedFile, ...]:
    """The files a stage could not use (``RewriteResult.failures``), relative to the root."""
    found = {_relative(s.path, root): s.reason for s in skipped}
    return tuple(SkippedFile(path, reason) for path, reason in sorted(found.items()))
