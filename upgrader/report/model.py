"""The report's data: frozen dataclasses of plain values, converted by :mod:`upgrader.serialize`.

It reuses the plan's :class:`~upgrader.plan.model.DependencyChange`,
:class:`~upgrader.plan.model.BlockedPackage`, :class:`~upgrader.plan.model.RewriteCount`,
:class:`~upgrader.plan.model.ManualItem` and :class:`~upgrader.plan.model.SkippedFile`, and verify's
:class:`~upgrader.verify.deprecations.DeprecationFinding` (as :data:`WarningItem`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from upgrader.plan.model import (
    BlockedPackage,
    DependencyChange,
    ManualItem,
    RewriteCount,
    SkippedFile,
)
from upgrader.state import STATE_DIR
from upgrader.verify.deprecations import DeprecationFinding

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

# A remaining deprecation warning: the same record the verify stage reads from the test log
# (category, removed_in, file, line, message, count, origin "project" | "third-party").
WarningItem = DeprecationFinding


@dataclass(frozen=True)
class SystemCheckItem:
    """A system check message of the run after the hop (``manage.py check``'s form, FINDINGS F85):
    where installed apps say a setting is deprecated. ``new``: the run before the hop, which ran
    the checks too, did not show it."""

    level: str  # "critical" | "error" | "warning" | "info" | "debug"
    obj: str  # what it is about, as Django prints it ("?" for none)
    check_id: str | None  # "models.W042"; None when the check gave no id
    message: str
    hint: str | None
    new: bool


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
    # Failing test ids the baseline accepted (``--accept-failing`` on the first hop, carried on
    # by each hop): a run failing only these counts as green for the hop.
    accepted: tuple[str, ...] = ()

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
    # Django's system check messages after the hop; None: the test run ran no system checks
    # (pytest-django), or the report predates them.
    system_checks: tuple[SystemCheckItem, ...] | None = None
    manual: tuple[ManualItem, ...] = ()
    # Manual items ``[tool.upgrader] reviewed`` names as not applying: listed, never open.
    reviewed: tuple[ManualItem, ...] = ()
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
