"""The per-step report: what one hop changed, what its tests said, and what is left for a human.

``upgrader step`` builds a :class:`StepReport` from its stages' results at the end of a hop and
calls :func:`write_reports`, which writes three renderings into :func:`report_dir` (committed on
the hop's branch, so the report travels with the change it describes):

- ``report.md``: GitHub-flavoured Markdown, usable as the pull request's description,
- ``report.html``: one self-contained page (inline CSS, no scripts, works offline) with the
  per-file diffs, collapsible and highlighted,
- ``report.json``: the report itself, schema-versioned (``REPORT_SCHEMA``,
  ``upgrader/schema/report-1.schema.json``); ``upgrader report`` re-renders the other two from it
  with :func:`load_report`, never from memory.

The model is frozen dataclasses of plain values, converted by :mod:`upgrader.serialize`; it reuses
the plan's :class:`~upgrader.plan.DependencyChange`, :class:`~upgrader.plan.BlockedPackage`,
:class:`~upgrader.plan.RewriteCount` (see ``upgrader.plan_stages.rewrite_counts``),
:class:`~upgrader.plan.ManualItem` and :class:`~upgrader.plan.SkippedFile`, and verify's
:class:`~upgrader.verify.deprecations.DeprecationFinding` (as :data:`WarningItem`). The converters
:func:`test_summary`, :func:`warning_items`, :func:`file_diffs` and :func:`skipped_files` turn the
stages' own results into report parts.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from upgrader.errors import StateError
from upgrader.files import Skipped, write_atomic
from upgrader.plan import BlockedPackage, DependencyChange, ManualItem, RewriteCount, SkippedFile
from upgrader.rewrite import RewriteResult
from upgrader.state import STATE_DIR, read_json, write_json
from upgrader.verify.deprecations import PROJECT, DeprecationFinding
from upgrader.verify.run import TestRun

REPORT_SCHEMA = 1
# Inside the project, committed on the hop's branch: ``.upgrader/reports/django-3.2/``.
REPORTS_DIR = f"{STATE_DIR}/reports"
MARKDOWN_NAME = "report.md"
HTML_NAME = "report.html"
JSON_NAME = "report.json"

DONE = "done"
NEEDS_ATTENTION = "needs-attention"
MANUAL_OPEN = "manual-items-open"  # tests green, manual items left: the hop is not complete
STATUSES = (DONE, NEEDS_ATTENTION, MANUAL_OPEN)

# A failing run's log is kept in the report (the full log stays in the gitignored
# ``.upgrader/logs/``, which a reviewer of the branch does not have): its last lines, bounded.
LOG_EXCERPT_LINES = 80
LOG_EXCERPT_CHARS = 20_000
# Terminal colour and cursor sequences, which a runner forcing colour leaves in its log.
_ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")

# A remaining deprecation warning: the same record the verify stage reads from the test log
# (category, removed_in, file, line, message, count, origin "project" | "third-party").
WarningItem = DeprecationFinding


@dataclass(frozen=True)
class PhaseCommit:
    """One commit of the hop: its phase ("dependencies", "rewrites", "verify", ...) and sha."""

    phase: str
    sha: str
    message: str


@dataclass(frozen=True)
class FileDiff:
    """One file the hop changed: its unified diff, the rules that changed it, lines +/-."""

    path: str  # relative to the project root, "/"-separated
    diff: str  # unified diff, ``a/<path>`` -> ``b/<path>``
    rules: tuple[str, ...]  # rule ids, in the order they ran
    added: int
    removed: int


@dataclass(frozen=True)
class TestSummary:
    """One run of the project's tests (before or after the hop), as the report shows it."""

    __test__ = False  # not a pytest test class, despite the name

    stage: str  # the Django release the tests ran on, "3.2"
    python: str  # the interpreter's version, "3.10.14"
    command: tuple[str, ...]
    passed: int
    failed: int
    errors: int
    skipped: int
    duration: float | None  # the test runner's own figure, seconds
    failures: tuple[str, ...]  # ids of failing and erroring tests, sorted
    log: str  # the full log (relative to the project root when inside it)
    exit_code: int = 0
    log_excerpt: str = ""  # the log's last lines when the run is not green

    @property
    def green(self) -> bool:
        return self.exit_code == 0 and self.failed == 0 and self.errors == 0

    @property
    def total(self) -> int:
        return self.passed + self.failed + self.errors + self.skipped

    @property
    def outcome(self) -> str:
        """``"40 passed, 2 failed, 1 skipped"``: the non-zero counts (``"no tests"`` when none)."""
        counts = (
            (self.passed, "passed"),
            (self.failed, "failed"),
            (self.errors, "errors" if self.errors != 1 else "error"),
            (self.skipped, "skipped"),
        )
        text = ", ".join(f"{n} {label}" for n, label in counts if n)
        if not self.green and not (self.failed or self.errors):
            text = f"{text or 'no tests'}, exit code {self.exit_code}"
        return text or "no tests"


@dataclass(frozen=True, kw_only=True)
class StepReport:
    """Everything one hop did, for a reviewer: built by ``upgrader step``, saved as report.json.

    ``status`` is :data:`DONE` (tests green after the hop), :data:`MANUAL_OPEN` (tests green,
    manual items open) or :data:`NEEDS_ATTENTION` (tests fail after the hop: the developer fixes
    them and runs ``upgrader step --continue``).
    """

    schema: int = REPORT_SCHEMA
    tool: str  # upgrader's version
    project: str  # the project root, absolute
    source: str = field(metadata={"json": "from"})  # Django before the hop, "2.2"
    target: str = field(metadata={"json": "to"})  # Django after the hop, "3.2"
    python_from: str | None  # the Python the project ran on before the hop (None: unknown)
    python: str  # the Python of the hop's target stage
    branch: str | None  # the hop's branch, None with --no-git
    base_commit: str | None  # the commit the branch starts from, None with --no-git
    commits: tuple[PhaseCommit, ...] = ()
    started: str  # ISO 8601, UTC
    finished: str  # ISO 8601, UTC
    status: str  # DONE | MANUAL_OPEN | NEEDS_ATTENTION
    release_notes: str = ""  # the target release's notes (a URL)
    dependencies: tuple[DependencyChange, ...] = ()
    blocked: tuple[BlockedPackage, ...] = ()
    dependency_files: tuple[str, ...] = ()  # requirement/lock files the hop changed
    rewrites: tuple[RewriteCount, ...] = ()  # rules applied, with counts
    files: tuple[FileDiff, ...] = ()  # every file the rewrites changed, with its diff
    skipped: tuple[SkippedFile, ...] = ()  # files the rewrites could not use, and why
    tests_before: TestSummary | None = None
    tests_after: TestSummary | None = None
    warnings: tuple[WarningItem, ...] = ()  # deprecation warnings left after the hop
    manual: tuple[ManualItem, ...] = ()
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status {self.status!r} is not one of {', '.join(STATUSES)}")

    @property
    def needs_attention(self) -> bool:
        return self.status == NEEDS_ATTENTION

    @property
    def shown_status(self) -> str:
        """The status to show: a hop with green tests and manual items open is not done."""
        if self.status == DONE and self.manual:
            return MANUAL_OPEN
        return self.status

    @property
    def automatic_changes(self) -> int:
        return sum(r.changes for r in self.rewrites)


@dataclass(frozen=True)
class ReportPaths:
    """Where :func:`write_reports` put the three renderings."""

    markdown: Path
    html: Path
    json: Path


def report_dir(root: Path, target: str) -> Path:
    """The folder of the report of the hop to Django ``target``: ``.upgrader/reports/django-3.2``."""
    return root / REPORTS_DIR / f"django-{target}"


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


def write_reports(report: StepReport, directory: Path) -> ReportPaths:
    """Write report.md, report.html and report.json into ``directory`` (created), atomically;
    report.json's ``status`` is the shown one (:attr:`StepReport.shown_status`)."""
    # Imported here: the renderers import this module for the model.
    from upgrader.render.report_html import render_html
    from upgrader.render.report_markdown import render_markdown

    directory.mkdir(parents=True, exist_ok=True)
    paths = ReportPaths(
        markdown=directory / MARKDOWN_NAME,
        html=directory / HTML_NAME,
        json=directory / JSON_NAME,
    )
    # The status a reader of report.json gets is the one the renderings show: green tests with
    # manual items open are ``manual-items-open``, never ``done``.
    write_json(
        paths.json, dataclasses.replace(report, status=report.shown_status), schema=REPORT_SCHEMA
    )
    # "replace": a file name git gave as undecodable bytes (surrogates) must not stop the report.
    write_atomic(paths.markdown, render_markdown(report).encode("utf-8", "replace"))
    write_atomic(paths.html, render_html(report).encode("utf-8", "replace"))
    return paths


def load_report(path: Path) -> StepReport:
    """The report saved in ``path`` (a report.json, or the folder holding one)."""
    if path.is_dir():
        path = path / JSON_NAME
    try:
        return read_json(path, StepReport, schema=REPORT_SCHEMA)
    except FileNotFoundError:
        raise StateError(
            f"no saved report at {path}",
            hint="Reports are written by `upgrader step` into "
            f"{REPORTS_DIR}/django-<version>/ on the hop's branch: check out that branch, "
            "or run `upgrader step` first.",
            path=path,
        ) from None


# What both renderings (and the terminal) say the same way.


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
