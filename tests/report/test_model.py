from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import jsonschema
import pytest

import upgrader.report as report_module
from tests.report.helpers import failing_report, sample_report
from upgrader.errors import StateError
from upgrader.plan import SkippedFile
from upgrader.report import (
    REPORT_SCHEMA,
    FileDiff,
    StepReport,
    TestSummary,
    WarningItem,
    file_diffs,
    load_report,
    report_dir,
    summary_line,
    write_reports,
)
from upgrader.rewrite import FileChange, RewriteResult, RuleHit
from upgrader.serialize import from_data, to_data
from upgrader.verify.model import TestRun

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "upgrader/schema/report-1.schema.json"
SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _run(log: Path, **changes: object) -> TestRun:
    run = TestRun(
        stage="3.2",
        env="django32",
        python="3.10.14",
        runner="django",
        command=("python", "manage.py", "test"),
        passed=10,
        failed=0,
        errors=0,
        skipped=2,
        failures=(),
        error_ids=(),
        warnings=(),
        duration=1.5,
        elapsed=9.0,
        log=log,
        exit_code=0,
    )
    return dataclasses.replace(run, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "report",
    [
        pytest.param(sample_report(), id="green hop"),
        pytest.param(failing_report(), id="hop that needs attention"),
        pytest.param(
            sample_report(
                branch=None,
                base_commit=None,
                commits=(),
                python_from=None,
                tests_before=None,
                tests_after=None,
                files=(),
                rewrites=(),
                warnings=(),
                manual=(),
            ),
            id="--no-git hop with nothing run",
        ),
    ],
)
def test_json_round_trips_and_validates(report: StepReport) -> None:
    data = json.loads(json.dumps(to_data(report)))
    jsonschema.validate(data, SCHEMA)
    assert data["from"] == report.source
    assert data["to"] == report.target
    assert from_data(StepReport, data) == report


def test_schema_file_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        pytest.param("status", "half-done", id="unknown status"),
        pytest.param("to", "three", id="target that is not a version"),
        pytest.param("schema", 2, id="another schema version"),
        pytest.param("surprise", True, id="unknown key"),
    ],
)
def test_schema_rejects_broken_documents(key: str, value: object) -> None:
    data = to_data(sample_report())
    data[key] = value
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)


def test_schema_requires_every_field_the_model_writes() -> None:
    written = set(to_data(sample_report()))
    assert set(SCHEMA["required"]) == written == set(SCHEMA["properties"])


def test_write_reports_writes_three_files_and_load_report_reads_them_back(tmp_path: Path) -> None:
    report = failing_report()
    directory = report_dir(tmp_path, report.target)
    paths = write_reports(report, directory)

    assert directory == tmp_path / ".upgrader" / "reports" / "django-3.2"
    assert {p.name for p in directory.iterdir()} == {"report.md", "report.html", "report.json"}
    data = json.loads(paths.json.read_text(encoding="utf-8"))
    assert data["schema"] == REPORT_SCHEMA
    jsonschema.validate(data, SCHEMA)
    assert paths.markdown.read_text(encoding="utf-8").startswith("# Django 2.2 → 3.2")
    assert paths.html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert load_report(paths.json) == report
    assert load_report(directory) == report


def test_write_reports_replaces_an_earlier_report(tmp_path: Path) -> None:
    write_reports(failing_report(), tmp_path)
    write_reports(sample_report(manual=()), tmp_path)
    assert load_report(tmp_path).status == "done"
    assert "needs-attention" not in (tmp_path / "report.md").read_text(encoding="utf-8")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_report_json_says_manual_items_open_when_the_renderings_do(tmp_path: Path) -> None:
    # Green tests with manual items left: a machine reader of report.json is not told "done".
    report = sample_report()
    assert (report.status, report.shown_status) == ("done", "manual-items-open")
    paths = write_reports(report, tmp_path)
    data = json.loads(paths.json.read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA)
    assert data["status"] == "manual-items-open"
    loaded = load_report(tmp_path)
    assert (loaded.status, loaded.shown_status) == ("manual-items-open", "manual-items-open")
    assert loaded == dataclasses.replace(report, status="manual-items-open")
    assert "manual-items-open" in paths.markdown.read_text(encoding="utf-8").splitlines()[0]
    # Without manual items, done stays done.
    write_reports(sample_report(manual=()), tmp_path)
    assert json.loads(paths.json.read_text(encoding="utf-8"))["status"] == "done"


def test_load_report_without_a_report_says_where_reports_are(tmp_path: Path) -> None:
    with pytest.raises(StateError) as caught:
        load_report(tmp_path)
    assert str(tmp_path / "report.json") in caught.value.message
    assert caught.value.hint is not None and ".upgrader/reports/django-" in caught.value.hint


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("{not json", "not readable", id="corrupt"),
        pytest.param('{"schema": 2}', "has schema 2", id="newer schema"),
        pytest.param('{"schema": 1, "tool": "0.1"}', "is damaged", id="missing fields"),
        pytest.param(
            json.dumps({**to_data(sample_report()), "status": "half-done"}),
            "status 'half-done' is not one of done, needs-attention",
            id="unknown status",
        ),
    ],
)
def test_load_report_refuses_unreadable_files(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "report.json").write_text(text, encoding="utf-8")
    with pytest.raises(StateError, match=message):
        load_report(tmp_path)


def test_test_summary_of_a_green_run_keeps_no_log_excerpt(tmp_path: Path) -> None:
    log = tmp_path / ".upgrader" / "logs" / "django32.log"
    log.parent.mkdir(parents=True)
    log.write_text("all fine\n", encoding="utf-8")
    summary = report_module.test_summary(_run(log), root=tmp_path)
    assert summary == TestSummary(
        stage="3.2",
        python="3.10.14",
        command=("python", "manage.py", "test"),
        passed=10,
        failed=0,
        errors=0,
        skipped=2,
        duration=1.5,
        failures=(),
        log=".upgrader/logs/django32.log",
        exit_code=0,
        log_excerpt="",
    )
    assert summary.green
    assert summary.outcome == "10 passed, 2 skipped"


def test_test_summary_of_a_failing_run_keeps_the_end_of_its_log(tmp_path: Path) -> None:
    log = tmp_path / "run.log"
    log.write_text("".join(f"line {n}\n" for n in range(200)), encoding="utf-8")
    run = _run(
        log,
        failed=1,
        errors=1,
        failures=("tests.test_b",),
        error_ids=("tests.test_a",),
        exit_code=1,
    )
    summary = report_module.test_summary(run)
    assert summary.failures == ("tests.test_a", "tests.test_b")
    assert summary.log == log.as_posix()
    excerpt = summary.log_excerpt.splitlines()
    assert len(excerpt) == report_module.LOG_EXCERPT_LINES
    assert excerpt[-1] == "line 199"
    assert not summary.green
    assert summary.outcome == "10 passed, 1 failed, 1 error, 2 skipped"


def test_log_excerpt_drops_terminal_colours(tmp_path: Path) -> None:
    log = tmp_path / "run.log"
    log.write_text("\x1b[31mFAILED\x1b[0m test_x\n\x1b[1;32m1 passed\x1b[0m\n", encoding="utf-8")
    summary = report_module.test_summary(_run(log, failed=1, exit_code=1))
    assert summary.log_excerpt == "FAILED test_x\n1 passed"


def test_a_report_with_an_unknown_status_is_refused() -> None:
    with pytest.raises(ValueError, match="status 'ok' is not one of"):
        sample_report(status="ok")


def test_test_summary_names_a_log_that_is_gone(tmp_path: Path) -> None:
    summary = report_module.test_summary(_run(tmp_path / "missing.log", exit_code=3))
    assert "could not be read" in summary.log_excerpt
    assert summary.outcome == "10 passed, 2 skipped, exit code 3"


def test_warning_items_put_the_project_first() -> None:
    third = WarningItem("django/utils/x.py", 1, "DeprecationWarning", "m", "third-party", None)
    late = WarningItem("polls/z.py", 9, "RemovedInDjango40Warning", "m", "project", "4.0")
    early = WarningItem("polls/a.py", 50, "RemovedInDjango41Warning", "m", "project", "4.1")
    run = _run(Path("log"), warnings=(third, late, early))
    assert report_module.warning_items(run) == (early, late, third)


def test_file_diffs_are_relative_sorted_and_counted(tmp_path: Path) -> None:
    diff = (
        "--- a/app/sql.py\n+++ b/app/sql.py\n@@ -1,3 +1,3 @@\n"
        "--- a removed SQL comment\n+-- an added SQL comment\n keep\n-gone\n"
    )
    result = RewriteResult(
        changes=(
            FileChange(
                tmp_path / "app" / "sql.py",
                (
                    RuleHit("pyupgrade", (1,)),
                    RuleHit("utils_six", (3,)),
                    RuleHit("pyupgrade", (3,)),
                ),
                diff,
            ),
            FileChange(tmp_path / "a.py", (RuleHit("utils_six", (1,)),), "--- a/a.py\n"),
        ),
        failures=(),
        notes=(),
        files_checked=2,
        written=True,
    )
    assert file_diffs(result, tmp_path) == (
        FileDiff("a.py", "--- a/a.py\n", ("utils_six",), 0, 0),
        FileDiff("app/sql.py", diff, ("pyupgrade", "utils_six"), 1, 2),
    )


def test_skipped_files_are_relative_and_sorted(tmp_path: Path) -> None:
    from upgrader.files import Skipped

    skipped = (Skipped(tmp_path / "b.py", "why b"), Skipped(tmp_path / "a" / "c.py", "why c"))
    assert report_module.skipped_files(skipped, tmp_path) == (
        SkippedFile("a/c.py", "why c"),
        SkippedFile("b.py", "why b"),
    )


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param(
            {"manual": ()},
            "Django 2.2 → 3.2 on Python 3.8 → 3.10: done; tests 42 passed, 1 skipped → 43 passed",
            id="python changes",
        ),
        pytest.param(
            {"python_from": "3.10", "tests_before": None, "manual": ()},
            "Django 2.2 → 3.2 on Python 3.10: done; tests not run → 43 passed",
            id="same python, no baseline",
        ),
        pytest.param(
            {},
            "Django 2.2 → 3.2 on Python 3.8 → 3.10: manual-items-open; "
            "tests 42 passed, 1 skipped → 43 passed",
            id="manual items open",
        ),
    ],
)
def test_summary_line(changes: dict[str, object], expected: str) -> None:
    assert summary_line(sample_report(**changes)) == expected


def test_a_file_name_that_is_not_utf8_does_not_stop_the_report(tmp_path: Path) -> None:
    # git reports undecodable names with surrogate escapes.
    name = "app/caf\udce9.py"
    report = sample_report(files=(FileDiff(name, "", ("r",), 0, 0),))
    paths = write_reports(report, tmp_path)
    assert "app/caf?.py" in paths.html.read_text(encoding="utf-8")
    assert "app/caf?.py" in paths.markdown.read_text(encoding="utf-8")
    assert load_report(tmp_path).files[0].path == name
