"""Django's system check messages read from a test run's log, through to the report (FINDINGS F85)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import jsonschema

from tests.report.helpers import parse, sample_report
from upgrader.report import StepReport, system_check_items
from upgrader.report.html import render_html
from upgrader.report.markdown import render_markdown
from upgrader.serialize import from_data, to_data
from upgrader.verify.model import TestRun
from upgrader.verify.system_checks import SystemCheck, parse_system_checks

SCHEMAS = Path(__file__).resolve().parents[2] / "upgrader/schema"

# djangox's 6.1 stage log (django-allauth 65.19), as Django's test runner printed it.
ALLAUTH_LOG = """\
Found 0 test(s).
System check identified some issues:

WARNINGS:
?: settings.ACCOUNT_AUTHENTICATION_METHOD is deprecated, use: settings.ACCOUNT_LOGIN_METHODS = {'email'}
?: settings.ACCOUNT_EMAIL_REQUIRED is deprecated, use: settings.ACCOUNT_SIGNUP_FIELDS = ['email*', 'password1*']

System check identified 2 issues (0 silenced).

----------------------------------------------------------------------
Ran 0 tests in 0.000s

NO TESTS RAN
"""

GROUPS_LOG = """\
Creating test database for alias 'default'...
System check identified some issues:

ERRORS:
\x1b[31;1mshop.Order.total: (fields.E304) Reverse accessor clashes.\x1b[0m
\tHINT: Add or change a related_name argument
  to the definition for 'shop.Order.total'.

WARNINGS:
accounts.User: (models.W042) Auto-created primary key used when not defining a primary key type, by default 'django.db.models.AutoField'.
\tHINT: Configure the DEFAULT_AUTO_FIELD setting.
accounts.User: (models.W042) Auto-created primary key used when not defining a primary key type, by default 'django.db.models.AutoField'.
\tHINT: Configure the DEFAULT_AUTO_FIELD setting.

System check identified 2 issues (1 silenced).
..
"""


def test_the_messages_of_a_django_run_with_their_objects_and_ids() -> None:
    checks = parse_system_checks(ALLAUTH_LOG)
    assert checks == (
        SystemCheck(
            "warning",
            "?",
            None,
            "settings.ACCOUNT_AUTHENTICATION_METHOD is deprecated, use: "
            "settings.ACCOUNT_LOGIN_METHODS = {'email'}",
        ),
        SystemCheck(
            "warning",
            "?",
            None,
            "settings.ACCOUNT_EMAIL_REQUIRED is deprecated, use: "
            "settings.ACCOUNT_SIGNUP_FIELDS = ['email*', 'password1*']",
        ),
    )


def test_levels_hints_colours_and_repeats() -> None:
    checks = parse_system_checks(GROUPS_LOG)
    assert checks is not None
    assert [(c.level, c.obj, c.check_id) for c in checks] == [
        ("error", "shop.Order.total", "fields.E304"),
        ("warning", "accounts.User", "models.W042"),
    ]
    error, warning = checks
    assert error.message == "Reverse accessor clashes."
    assert (
        error.hint
        == "Add or change a related_name argument to the definition for 'shop.Order.total'."
    )
    assert warning.hint == "Configure the DEFAULT_AUTO_FIELD setting."


def test_no_issues_is_not_the_same_as_not_run() -> None:
    assert parse_system_checks("System check identified no issues (0 silenced).\nOK\n") == ()
    pytest_log = "tests/test_a.py ..\n===== 2 passed in 0.10s =====\n"
    assert parse_system_checks(pytest_log) is None


def test_a_check_error_that_stops_the_run_is_read_too() -> None:
    log = (
        "SystemCheckError: System check identified some issues:\n\n"
        "ERRORS:\n?: (admin.E403) A 'django.template.backends.django.DjangoTemplates' instance "
        "must be configured in TEMPLATES in order to use the admin application.\n\n"
        "System check identified 1 issue (0 silenced).\n"
    )
    (check,) = parse_system_checks(log) or ()
    assert (check.level, check.check_id) == ("error", "admin.E403")


def test_a_block_without_its_footer_ends_at_the_first_line_that_is_no_message() -> None:
    log = (
        "System check identified some issues:\n\nWARNINGS:\n"
        "?: (urls.W005) URL namespace 'admin' isn't unique.\n\n"
        'Traceback (most recent call last):\n  File "x.py", line 1\n'
    )
    assert [c.check_id for c in parse_system_checks(log) or ()] == ["urls.W005"]


def _run(log: Path, checks: tuple[SystemCheck, ...] | None) -> TestRun:
    return TestRun(
        stage="6.1", env="django61", python="3.12.8", runner="django",
        command=("python", "manage.py", "test"), passed=0, failed=0, errors=0, skipped=0,
        failures=(), error_ids=(), warnings=(), duration=0.0, elapsed=1.0, log=log,
        exit_code=0, checks=checks,
    )  # fmt: skip


def test_a_saved_run_keeps_its_checks_and_older_runs_read_as_not_run(tmp_path: Path) -> None:
    run = _run(tmp_path / "log", parse_system_checks(GROUPS_LOG))
    data = run.to_json()
    schema = json.loads((SCHEMAS / "verify-1.schema.json").read_text(encoding="utf-8"))
    run_schema = {**schema["$defs"]["run"], "$defs": schema["$defs"]}
    jsonschema.validate(data, run_schema)
    assert TestRun.from_json(data) == run
    older = {key: value for key, value in data.items() if key != "checks"}
    assert TestRun.from_json(older).checks is None


def test_the_report_lists_them_and_marks_what_the_hop_brought(tmp_path: Path) -> None:
    before_checks = parse_system_checks(ALLAUTH_LOG)
    assert before_checks is not None
    after_checks = (
        *before_checks,
        SystemCheck("warning", "?", None, "settings.ACCOUNT_USERNAME_REQUIRED is deprecated"),
    )
    after = _run(tmp_path / "log", after_checks)
    items = system_check_items(after, _run(tmp_path / "log", before_checks))
    assert items is not None
    assert [item.new for item in items] == [False, False, True]
    # A run before the hop that ran no checks marks nothing new: it cannot say.
    unknown = system_check_items(after, _run(tmp_path / "log", None))
    assert unknown is not None and not any(item.new for item in unknown)
    assert system_check_items(_run(tmp_path / "log", None), None) is None

    report = sample_report(system_checks=items)
    schema = json.loads((SCHEMAS / "report-1.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(to_data(report), schema)
    assert from_data(StepReport, json.loads(json.dumps(to_data(report)))) == report

    markdown = render_markdown(report)
    assert "## System check messages (3)" in markdown
    assert (
        "- **warning** `?`: settings.ACCOUNT_USERNAME_REQUIRED is deprecated _new on this hop_"
        in markdown
    )
    document = parse(render_html(report))
    cells = [cell.text for cell in document.by_id("checks").iter("td")]
    assert any(
        cell.startswith("settings.ACCOUNT_USERNAME_REQUIRED is deprecated") for cell in cells
    )
    assert "checks" in {a.attrs.get("href", "")[1:] for a in document.iter("a")}


def test_no_section_when_the_run_ran_no_checks() -> None:
    report = sample_report()
    assert report.system_checks is None
    assert "System check" not in render_markdown(report)
    empty = dataclasses.replace(report, system_checks=())
    assert "## System check messages (0)\n\nNone." in render_markdown(empty)
