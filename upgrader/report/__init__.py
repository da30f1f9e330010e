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

The package: ``model`` (the frozen dataclasses and statuses; it reuses the plan's model and
verify's :class:`~upgrader.verify.deprecations.DeprecationFinding`), ``convert`` (the stages'
own results as report parts: :func:`test_summary`, :func:`warning_items`, :func:`file_diffs`,
:func:`skipped_files`, :func:`system_check_items`), ``summary`` (what the renderings and the terminal say the same way),
``markdown`` and ``html`` (with ``html_diff``, the highlighted diff tables), and ``write``
(:func:`write_reports`, :func:`load_report`). Every name is re-exported here.
"""

from __future__ import annotations

from upgrader.report.convert import (
    LOG_EXCERPT_CHARS,
    LOG_EXCERPT_LINES,
    file_diffs,
    skipped_files,
    system_check_items,
    test_summary,
    warning_items,
)
from upgrader.report.model import (
    DONE,
    HTML_NAME,
    JSON_NAME,
    MANUAL_OPEN,
    MARKDOWN_NAME,
    NEEDS_ATTENTION,
    REPORT_SCHEMA,
    REPORTS_DIR,
    STATUSES,
    FileDiff,
    PhaseCommit,
    ReportPaths,
    StepReport,
    SystemCheckItem,
    TestSummary,
    WarningItem,
)
from upgrader.report.summary import (
    hop_title,
    is_link,
    python_versions,
    report_totals,
    summary_line,
    tests_change,
    totals_line,
    versus_baseline,
)
from upgrader.report.write import load_report, report_dir, write_reports

__all__ = [
    "DONE",
    "HTML_NAME",
    "JSON_NAME",
    "LOG_EXCERPT_CHARS",
    "LOG_EXCERPT_LINES",
    "MANUAL_OPEN",
    "MARKDOWN_NAME",
    "NEEDS_ATTENTION",
    "REPORTS_DIR",
    "REPORT_SCHEMA",
    "STATUSES",
    "FileDiff",
    "PhaseCommit",
    "ReportPaths",
    "StepReport",
    "SystemCheckItem",
    "TestSummary",
    "WarningItem",
    "file_diffs",
    "hop_title",
    "is_link",
    "load_report",
    "python_versions",
    "report_dir",
    "report_totals",
    "skipped_files",
    "summary_line",
    "system_check_items",
    "test_summary",
    "tests_change",
    "totals_line",
    "versus_baseline",
    "warning_items",
    "write_reports",
]
