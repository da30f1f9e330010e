"""Writing the report's three renderings into the hop's report folder, and reading report.json
back (``upgrader report`` re-renders from it, never from memory)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from upgrader.errors import StateError
from upgrader.files import write_atomic
from upgrader.report.html import render_html
from upgrader.report.markdown import render_markdown
from upgrader.report.model import (
    HTML_NAME,
    JSON_NAME,
    MARKDOWN_NAME,
    REPORT_SCHEMA,
    REPORTS_DIR,
    ReportPaths,
    StepReport,
)
from upgrader.state import read_json, write_json


def report_dir(root: Path, target: str) -> Path:
    """The folder of the report of the hop to Django ``target``: ``.upgrader/reports/django-3.2``."""
    return root / REPORTS_DIR / f"django-{target}"


def write_reports(report: StepReport, directory: Path) -> ReportPaths:
    """Write report.md, report.html and report.json into ``directory`` (created), atomically;
    report.json's ``status`` is the shown one (:attr:`StepReport.shown_status`)."""
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
