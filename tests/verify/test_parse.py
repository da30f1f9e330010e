"""Outcomes read from real pytest and Django test-runner output (tests/verify/fixtures/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from upgrader.verify.parse import Outcome, parse_outcome, parse_pytest, parse_unittest

FIXTURES = Path(__file__).parent / "fixtures"
FAILS_DJANGO = ("notes.tests.NoteTests.test_fails",)
FAILS_PYTEST = ("notes/tests.py::NoteTests::test_fails",)


def read(name: str) -> str:
    return (FIXTURES / name).read_text("utf-8")


@pytest.mark.parametrize(
    ("fixture", "runner", "python", "expected"),
    [
        pytest.param(
            "django-2.2-py3.8-green.txt",
            "django",
            "3.8",
            Outcome(3, 0, 0, 1, (), (), 0.006),
            id="django-runner-green-with-skip",
        ),
        pytest.param(
            "django-2.2-py3.8-failing.txt",
            "django",
            "3.8",
            Outcome(3, 1, 0, 1, FAILS_DJANGO, (), 0.003),
            id="django-runner-failure-py38-id-style",
        ),
        pytest.param(
            "django-2.2-py3.8-import-error.txt",
            "django",
            "3.8",
            Outcome(3, 1, 1, 1, FAILS_DJANGO, ("notes.test_broken",), 0.002),
            id="django-runner-test-module-import-error-is-an-error-id",
        ),
        pytest.param(
            "django-4.2-py3.10-failing.txt",
            "django",
            "3.10",
            Outcome(3, 1, 0, 1, FAILS_DJANGO, (), 0.014),
            id="django-4.2-on-py310",
        ),
        pytest.param(
            "django-4.2-py3.12-failing.txt",
            "django",
            "3.12",
            Outcome(3, 1, 0, 1, FAILS_DJANGO, (), 0.003),
            id="py312-id-style-and-skips-left-out-of-ran",
        ),
        pytest.param(
            "pytest-2.2-py3.8-failing.txt",
            "pytest",
            "3.8",
            Outcome(3, 1, 0, 1, FAILS_PYTEST, (), 0.26),
            id="pytest-failure",
        ),
        pytest.param(
            "pytest-2.2-py3.8-collect-error.txt",
            "pytest",
            "3.8",
            Outcome(0, 0, 1, 0, (), ("notes/test_broken.py",), 0.22),
            id="pytest-collection-error",
        ),
        pytest.param(
            "pytest-4.2-py3.12-failing.txt",
            "pytest",
            "3.12",
            Outcome(3, 1, 0, 1, FAILS_PYTEST, (), 0.45),
            id="pytest-9-on-py312",
        ),
    ],
)
def test_real_outputs(fixture: str, runner: str, python: str, expected: Outcome) -> None:
    assert parse_outcome(read(fixture), runner, python=python) == expected


def test_same_test_id_on_every_python() -> None:
    old = parse_outcome(read("django-4.2-py3.10-failing.txt"), "django", python="3.10")
    new = parse_outcome(read("django-4.2-py3.12-failing.txt"), "django", python="3.12")
    assert old is not None and new is not None
    assert old.failures == new.failures


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty-log"),
        pytest.param(
            "django22: commands[0]> python manage.py test\n"
            "ModuleNotFoundError: No module named 'mysite.settings'\n",
            id="crash-before-any-test",
        ),
        pytest.param("Ran 3 tests in 0.1s\n", id="ran-line-without-result-line"),
    ],
)
def test_no_outcome_when_the_runner_never_finished(text: str) -> None:
    assert parse_outcome(text, "django") is None
    assert parse_outcome(text, "pytest") is None


def test_pytest_uses_the_last_closing_line_and_keeps_parametrized_ids() -> None:
    text = (
        "============ 1 passed in 0.01s ============\n"
        "FAILED tests/test_x.py::test_y[a - b] - AssertionError: no - really\n"
        "ERROR tests/test_x.py::test_z - RuntimeError\n"
        "===== 2 failed, 5 passed, 1 error, 2 xfailed, 3 warnings in 65.12s (0:01:05) =====\n"
    )
    outcome = parse_pytest(text)
    assert outcome == Outcome(
        passed=7,
        failed=2,
        errors=1,
        skipped=0,
        failures=("tests/test_x.py::test_y[a - b]",),
        error_ids=("tests/test_x.py::test_z",),
        duration=65.12,
    )


def test_pytest_no_tests_ran() -> None:
    outcome = parse_pytest("============================ no tests ran in 0.11s =====\n")
    assert outcome is not None
    assert outcome.total == 0


def test_unittest_subtests_set_up_class_and_unexpected_success() -> None:
    text = (
        "ERROR: setUpClass (app.tests.SlowTests)\n"
        "FAIL: test_each (app.tests.Cls.test_each) (i=1)\n"
        "FAIL: test_each (app.tests.Cls.test_each) (i=2)\n"
        "----\nRan 10 tests in 1.500s\n\n"
        "FAILED (failures=2, errors=1, skipped=2, expected failures=1, unexpected successes=1)\n"
    )
    outcome = parse_unittest(text)
    # 10 ran: 3 failed (2 failures + 1 unexpected success), 1 error, 2 skipped, the rest passed
    # (an expected failure is a pass).
    assert outcome == Outcome(
        passed=4,
        failed=3,
        errors=1,
        skipped=2,
        failures=("app.tests.Cls.test_each",),
        error_ids=("app.tests.SlowTests.setUpClass",),
        duration=1.5,
    )
