"""The test command a stage runs."""

from __future__ import annotations

import dataclasses

import pytest

from upgrader.errors import VerifyError
from upgrader.project import Project, TestRunner
from upgrader.verify.suite import suite_command


@pytest.mark.parametrize(
    ("runner", "expected"),
    [
        pytest.param(
            TestRunner("django", ("python", "manage.py", "test")),
            ("python", "manage.py", "test", "-v", "2", "--noinput"),
            id="django-runner-gets-verbosity-2",
        ),
        pytest.param(
            TestRunner("django", ("python", "manage.py", "test", "--verbosity=3")),
            ("python", "manage.py", "test", "--verbosity=3", "--noinput"),
            id="django-runner-keeps-its-own-verbosity",
        ),
        pytest.param(
            TestRunner("pytest", ("python", "-m", "pytest")),
            (
                "python",
                "-m",
                "pytest",
                "-rA",
                "-p",
                "no:cacheprovider",
                "-p",
                "no:typeguard",
                "-W",
                "always::DeprecationWarning",
                "-W",
                "always::PendingDeprecationWarning",
            ),
            id="pytest-shows-warnings-and-ids",
        ),
    ],
)
def test_suite_command(tiny: Project, runner: TestRunner, expected: tuple[str, ...]) -> None:
    assert suite_command(dataclasses.replace(tiny, test_runner=runner)) == expected


def test_missing_test_command(tiny: Project) -> None:
    project = dataclasses.replace(tiny, test_runner=TestRunner("django", ()))
    with pytest.raises(VerifyError, match="no test command") as info:
        suite_command(project)
    assert info.value.hint and "test_command" in info.value.hint
