"""The baseline: accepted failing tests, and what a later stage may not add."""

from __future__ import annotations

from pathlib import Path

import pytest

from upgrader.verify.baseline import (
    Baseline,
    TestsFailedError,
    check_run,
    fixed_since,
    new_failures,
    passes,
)
from upgrader.verify.run import TestRun


def run(
    *failing: str, errors: tuple[str, ...] = (), exit_code: int | None = None, stage: str = "3.2"
) -> TestRun:
    code = exit_code if exit_code is not None else (1 if failing or errors else 0)
    return TestRun(
        stage=stage,
        env="django" + stage.replace(".", ""),
        python="3.9.18",
        runner="django",
        command=("tox",),
        passed=5,
        failed=len(failing),
        errors=len(errors),
        skipped=0,
        failures=failing,
        error_ids=errors,
        warnings=(),
        duration=1.0,
        elapsed=2.0,
        log=Path("/p/.upgrader/logs/x.log"),
        exit_code=code,
    )


BASELINE = Baseline("2.2", frozenset({"app.tests.T.test_old"}), "/p/.upgrader/logs/b.log")


@pytest.mark.parametrize(
    ("later", "added"),
    [
        pytest.param(run(), (), id="all-green"),
        pytest.param(run("app.tests.T.test_old"), (), id="same-failure-kept"),
        pytest.param(
            run("app.tests.T.test_old", "app.tests.T.test_new"),
            ("app.tests.T.test_new",),
            id="one-new-failure",
        ),
        pytest.param(run(errors=("app.test_mod",)), ("app.test_mod",), id="new-import-error"),
    ],
)
def test_new_failures(later: TestRun, added: tuple[str, ...]) -> None:
    assert new_failures(BASELINE, later) == added


def test_without_baseline_every_failure_is_new() -> None:
    assert new_failures(None, run("b", "a")) == ("a", "b")


def test_fixed_since() -> None:
    assert fixed_since(BASELINE, run()) == ("app.tests.T.test_old",)
    assert fixed_since(BASELINE, run("app.tests.T.test_old")) == ()


def test_from_run_and_json_round_trip() -> None:
    baseline = Baseline.from_run(run("x", errors=("y",), stage="2.2"))
    assert baseline.failing == {"x", "y"} and baseline.stage == "2.2"
    assert Baseline.from_json(baseline.to_json()) == baseline


def test_check_run_green_passes() -> None:
    check_run(run())
    check_run(run("app.tests.T.test_old"), BASELINE)


def test_check_run_lists_failures_without_a_baseline() -> None:
    with pytest.raises(TestsFailedError, match="2 failing tests") as info:
        check_run(run("a.T.test_1", "a.T.test_2"))
    assert "  a.T.test_1\n  a.T.test_2" in info.value.message
    assert info.value.hint is not None and "--accept-failing" in info.value.hint
    assert info.value.exit_code == 1


def test_check_run_names_only_the_new_failures() -> None:
    with pytest.raises(TestsFailedError, match="1 new failing tests") as info:
        check_run(run("app.tests.T.test_old", "app.tests.T.test_new"), BASELINE)
    assert "app.tests.T.test_new" in info.value.message
    assert "test_old" not in info.value.message


def test_check_run_a_non_zero_exit_without_ids_fails() -> None:
    with pytest.raises(TestsFailedError, match="exited with code 5"):
        check_run(run(exit_code=5))


def test_long_lists_are_cut() -> None:
    failing = tuple(f"t.T.test_{i:02}" for i in range(25))
    with pytest.raises(TestsFailedError) as info:
        check_run(run(*failing))
    assert "... and 5 more" in info.value.message


@pytest.mark.parametrize(
    ("later", "baseline", "expected"),
    [
        pytest.param(run(), None, True, id="green"),
        pytest.param(run("x"), None, False, id="failing-without-baseline"),
        pytest.param(run("app.tests.T.test_old"), BASELINE, True, id="only-accepted-failures"),
        pytest.param(run("app.tests.T.test_old", "y"), BASELINE, False, id="one-more"),
        pytest.param(run(exit_code=5), BASELINE, False, id="no-tests-ran"),
    ],
)
def test_passes(later: TestRun, baseline: Baseline | None, expected: bool) -> None:
    assert passes(later, baseline) is expected
