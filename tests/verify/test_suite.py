"""The test command a stage runs: structured results, and Django's arguments only where Django takes them."""

from __future__ import annotations

import dataclasses
import shlex

import pytest

from upgrader.detect.config import KEYS
from upgrader.errors import VerifyError
from upgrader.project import Project, TestRunner
from upgrader.verify.suite import (
    MISSING_HINT,
    PYTEST_ARGS,
    command_file,
    is_django_test,
    is_pytest,
    suite_command,
    wrap,
)

W = ".upgrader/result_writer.py"
PYTEST_TAIL = (
    "-rfE",
    "-o",
    "cache_dir={tox_root}{/}cache{/}pytest{/}{env_name}",
    "--cache-clear",
    "-p",
    "no:typeguard",
    "-W",
    "always::DeprecationWarning",
    "-W",
    "always::PendingDeprecationWarning",
    "--junitxml=.upgrader/logs/results/{env_name}.xml",
)


def command_of(project: Project, kind: str, command: str) -> tuple[str, ...]:
    runner = TestRunner(kind, tuple(shlex.split(command)))
    return suite_command(dataclasses.replace(project, test_runner=runner))


@pytest.mark.parametrize(
    ("kind", "command", "expected"),
    [
        pytest.param(
            "django",
            "python manage.py test",
            f"python {W} manage.py test -v 2 --noinput",
            id="manage-py-test-gets-verbosity-2-and-noinput",
        ),
        pytest.param(
            "django",
            "python manage.py test --verbosity=3",
            f"python {W} manage.py test --verbosity=3 --noinput",
            id="manage-py-test-keeps-its-own-verbosity",
        ),
        pytest.param(
            "django",
            "python manage.py test -v 1 --noinput app",
            f"python {W} manage.py test -v 1 --noinput app",
            id="manage-py-test-with-both-already",
        ),
        pytest.param(
            "django",
            "python -W error src/manage.py test --settings=site.test",
            f"python -W error {W} src/manage.py test --settings=site.test -v 2 --noinput",
            id="interpreter-options-stay-before-the-writer",
        ),
        pytest.param(
            "django",
            "django-admin test --settings=tests.settings",
            f"python {W} django-admin test --settings=tests.settings -v 2 --noinput",
            id="django-admin-test",
        ),
        pytest.param(
            "django",
            "python -m django test",
            f"python {W} -m django test -v 2 --noinput",
            id="python-m-django-test",
        ),
        pytest.param(
            "django",
            "coverage run manage.py test",
            f"python {W} coverage run manage.py test -v 2 --noinput",
            id="coverage-run-manage-py-test",
        ),
        pytest.param(
            "django",
            "python runtests.py",
            f"python {W} runtests.py",
            id="own-runtests-script-gets-no-arguments",
        ),
        pytest.param(
            "django",
            "python quicktest.py myapp",
            f"python {W} quicktest.py myapp",
            id="own-quicktest-script-gets-no-arguments",
        ),
        pytest.param(
            "django",
            "./runtests.py --fast",
            f"python {W} ./runtests.py --fast",
            id="executable-script",
        ),
        pytest.param(
            "django",
            "python manage.py check",
            f"python {W} manage.py check",
            id="manage-py-but-not-test",
        ),
        pytest.param(
            "pytest",
            "python runtests.py",
            f"python {W} runtests.py",
            id="pytest-project-with-own-script-gets-no-pytest-arguments",
        ),
        pytest.param(
            "django",
            "python -c 'import sys'",
            "python -c 'import sys'",
            id="python-c-runs-as-it-is",
        ),
    ],
)
def test_suite_command(tiny: Project, kind: str, command: str, expected: str) -> None:
    assert command_of(tiny, kind, command) == tuple(shlex.split(expected))


@pytest.mark.parametrize(
    "command",
    ["python -m pytest", "pytest", "py.test -x tests", "python3.8 -m pytest", ".venv/bin/pytest"],
)
def test_pytest_writes_junit_xml_and_failing_ids(tiny: Project, command: str) -> None:
    # Whatever the detected runner: a pytest command takes pytest's arguments.
    for kind in ("pytest", "django"):
        assert command_of(tiny, kind, command) == (*shlex.split(command), *PYTEST_TAIL)
    assert PYTEST_ARGS == PYTEST_TAIL


@pytest.mark.parametrize(
    ("command", "pytest_", "django"),
    [
        ("python -m pytest", True, False),
        ("python -mpytest", True, False),
        ("python manage.py test", False, True),
        ("python3 -u manage.py test app.tests", False, True),
        ("python manage.py migrate", False, False),
        ("python -m django test", False, True),
        ("python -m django check", False, False),
        ("python runtests.py", False, False),
        ("python -m coverage run -m pytest", False, False),
        ("python -m coverage run manage.py test", False, True),
    ],
)
def test_command_kinds(command: str, pytest_: bool, django: bool) -> None:
    argv = tuple(shlex.split(command))
    assert is_pytest(argv) is pytest_
    assert is_django_test(argv) is django


def test_python_c_and_bare_python_are_not_wrapped() -> None:
    assert wrap(("python", "-c", "pass")) is None
    assert wrap(("python",)) is None
    assert wrap(("python", "-u")) is None


def test_missing_test_command(tiny: Project) -> None:
    project = dataclasses.replace(tiny, test_runner=TestRunner("django", ()))
    with pytest.raises(VerifyError, match="no test command") as info:
        suite_command(project)
    assert info.value.hint == MISSING_HINT


def test_missing_command_hint_is_valid_input() -> None:
    # The hint names a [tool.upgrader] key that exists, with a string value as it takes.
    table = MISSING_HINT.split("[tool.upgrader] ", 1)[1]
    key, _, value = table.partition(" = ")
    assert key in KEYS
    assert shlex.split(value) == ["python manage.py test"]


@pytest.mark.parametrize(
    ("command", "file"),
    [
        ("python runtests.py --parallel", "runtests.py"),
        ("python3.8 -W error -u manage.py test", "manage.py"),
        ("./runtests.py", "./runtests.py"),
        ("scripts/build.sh --fast", "scripts/build.sh"),
        ("python -m pytest", None),
        ("python -c 'print(1)'", None),
        ("python", None),
        ("make assets", None),
        ("coverage run manage.py test", None),  # coverage comes from PATH or the env
    ],
)
def test_command_file(command: str, file: str | None) -> None:
    assert command_file(tuple(shlex.split(command))) == file


@pytest.mark.parametrize(
    "command", ["python -m pytest -p no:cacheprovider", "pytest -pno:cacheprovider tests"]
)
def test_a_command_without_pytests_cache_keeps_it_off(tiny: Project, command: str) -> None:
    # --cache-clear is unknown to pytest when the command line turns the cacheprovider off.
    got = command_of(tiny, "pytest", command)
    assert "--cache-clear" not in got and not any(a.startswith("cache_dir=") for a in got)
    assert got[-1] == "--junitxml=.upgrader/logs/results/{env_name}.xml"
