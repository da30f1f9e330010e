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


# Recorded with real pytest releases (tests/verify/fixtures/results/README.md says how): the same
# suite of 4 failed, 4 passed, 1 skipped, 1 xfailed, 1 xpassed and 1 error.
MIX = "pkg/tests/test_mix.py::"
MIX_FAILED = tuple(
    MIX + name
    for name in ("test_fail", "test_param[2]", "TestCls::test_in_class", "UT::test_ut_fail")
)
MIX_ERRORS = (MIX + "test_error",)


@pytest.mark.parametrize(
    ("fixture", "duration"),
    [
        pytest.param("pytest-3.10.1-mix.txt", 0.08, id="pytest-3-seconds-FAIL-and-instance-ids"),
        pytest.param("pytest-3.10.1-xdist.txt", 2.79, id="pytest-3-xdist"),
        pytest.param("pytest-4.6.11-mix.txt", 0.14, id="pytest-4-seconds"),
        pytest.param("pytest-5.4.3-mix.txt", 0.23, id="pytest-5.4"),
        pytest.param("pytest-7.4.4-mix.txt", 0.13, id="pytest-7"),
        pytest.param("pytest-8.3.5-mix.txt", 0.07, id="pytest-8"),
        pytest.param("pytest-8.3.5-xdist.txt", 1.07, id="pytest-8-xdist"),
    ],
)
def test_real_pytest_releases(fixture: str, duration: float) -> None:
    outcome = parse_pytest(read(f"results/{fixture}"))
    assert outcome is not None
    # xfailed and xpassed count as passed, as before; xdist reports in the order tests finish.
    assert (outcome.passed, outcome.failed, outcome.errors, outcome.skipped) == (6, 4, 1, 1)
    assert sorted(outcome.failures) == sorted(MIX_FAILED)
    assert (outcome.error_ids, outcome.duration) == (MIX_ERRORS, duration)


@pytest.mark.parametrize(
    "fixture", ["pytest-3.10.1-collect-error.txt", "pytest-8.3.5-collect-error.txt"]
)
def test_real_collection_errors(fixture: str) -> None:
    outcome = parse_pytest(read(f"results/{fixture}"))
    assert outcome is not None
    assert (outcome.total, outcome.errors) == (1, 1)
    assert outcome.error_ids == ("pkg/tests/test_broken.py",)


@pytest.mark.parametrize(
    ("line", "counts", "seconds"),
    [
        pytest.param(
            "=== 10 failed, 164 passed, 3 skipped, 472 warnings, 3 error in 21.24 seconds ===",
            (164, 10, 3, 3),
            21.24,
            id="pytest-3-closing-line-from-the-issue",
        ),
        pytest.param(
            "==== 2 passed, 1 pytest-warnings in 0.01 seconds ====", (2, 0, 0, 0), 0.01, id="p2"
        ),
        pytest.param("=== 1 passed in 0.5 seconds ===", (1, 0, 0, 0), 0.5, id="one-test"),
        pytest.param(
            "=== 3 failed, 2 errors, 1 xpassed, 2 xfailed in 3.10s ===", (3, 3, 2, 0), 3.1, id="x"
        ),
        pytest.param(
            "== 1 passed, 4 deselected, 1 rerun in 70.00s (0:01:10) ==", (1, 0, 0, 0), 70.0, id="m"
        ),
        pytest.param("=== no tests ran in 0.01 seconds ===", (0, 0, 0, 0), 0.01, id="none-p3"),
    ],
)
def test_pytest_closing_lines(line: str, counts: tuple[int, int, int, int], seconds: float) -> None:
    outcome = parse_pytest(f"collected 177 items\n\n{line}\n")
    assert outcome is not None
    assert (outcome.passed, outcome.failed, outcome.errors, outcome.skipped) == counts
    assert outcome.duration == seconds


def test_pytest_3_summary_lines_read_as_pytest_8_writes_them() -> None:
    text = (
        "FAIL tests/test_a.py::TestX::()::test_y\n"
        "FAIL tests/test_a.py::test_z[1]\n"
        "ERROR tests/test_a.py::TestX::()::test_w\n"
        "= 2 failed, 1 error in 1.00 seconds =\n"
    )
    outcome = parse_pytest(text)
    assert outcome is not None
    assert outcome.failures == ("tests/test_a.py::TestX::test_y", "tests/test_a.py::test_z[1]")
    assert outcome.error_ids == ("tests/test_a.py::TestX::test_w",)


def test_pytest_quiet_closing_line_without_the_rule() -> None:
    # encode/django-rest-framework 0dac98d2 (2019-09-29) runs pytest 5.0 with -q
    text = "....                  [100%]\n1344 passed in 41.41 seconds\n  django22: OK (65.08 seconds)\n"
    outcome = parse_pytest(text)
    assert outcome is not None and (outcome.passed, outcome.duration) == (1344, 41.41)
    assert parse_pytest("Ran 3 tests in 0.1s\n3 tests ran in 0.2s\n") is None
