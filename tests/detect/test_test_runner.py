"""pytest (with pytest-django) or ``manage.py test``, and the ``[tool.upgrader]`` overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.detect.conftest import MakeTree, Tree
from upgrader.detect.requirements import read_declared
from upgrader.detect.sources import ProjectReader
from upgrader.detect.test_runner import DJANGO_COMMAND, PYTEST_COMMAND, find_test_runner
from upgrader.files import project_files
from upgrader.project import ProjectConfig, TestRunner


def find(root: Path, config: ProjectConfig | None = None) -> TestRunner:
    reader = ProjectReader(root)
    files = project_files(reader.root)
    declared = read_declared(reader.root, reader=reader)
    return find_test_runner(reader, files, declared, config or ProjectConfig())


@pytest.mark.parametrize(
    ("tree", "evidence"),
    [
        pytest.param(
            {"pytest.ini": "[pytest]\nDJANGO_SETTINGS_MODULE = mysite.settings\n"},
            "pytest.ini:1",
            id="pytest.ini",
        ),
        pytest.param(
            {
                "pyproject.toml": '[project]\nname = "x"\n\n[tool.pytest.ini_options]\naddopts = "-q"\n'
            },
            "pyproject.toml:4",
            id="pyproject ini_options",
        ),
        pytest.param(
            {"setup.cfg": "[metadata]\nname = x\n[tool:pytest]\naddopts = -q\n"},
            "setup.cfg:3",
            id="setup.cfg tool:pytest",
        ),
        pytest.param(
            {"tox.ini": "[tox]\nenvlist = py38\n[pytest]\naddopts = -q\n"},
            "tox.ini:3",
            id="tox.ini pytest section",
        ),
        pytest.param({"app/conftest.py": "import pytest\n"}, "app/conftest.py", id="conftest.py"),
        pytest.param(
            {"requirements-dev.txt": "pytest\npytest-django==3.10\n"},
            "requirements-dev.txt:2",
            id="pytest-django declared",
        ),
    ],
)
def test_pytest_detected(make_tree: MakeTree, tree: Tree, evidence: str) -> None:
    runner = find(make_tree({"manage.py": "", **tree}))
    assert (runner.kind, runner.command) == ("pytest", PYTEST_COMMAND)
    assert str(runner.evidence) == evidence


@pytest.mark.parametrize(
    "tree",
    [
        pytest.param({}, id="nothing"),
        pytest.param({"requirements.txt": "pytest\n"}, id="pytest without pytest-django"),
        pytest.param(
            {"setup.cfg": "[flake8]\nmax-line-length = 100\n"}, id="setup.cfg without pytest"
        ),
        pytest.param({"tox.ini": "[tox]\nenvlist = py38\n"}, id="tox.ini without pytest"),
    ],
)
def test_django_runner_by_default(make_tree: MakeTree, tree: Tree) -> None:
    runner = find(make_tree({"manage.py": "", **tree}))
    assert (runner.kind, runner.command, runner.evidence) == ("django", DJANGO_COMMAND, None)


@pytest.mark.parametrize(
    ("tree", "config", "kind", "command"),
    [
        pytest.param(
            {"pytest.ini": "[pytest]\n"},
            ProjectConfig(test_runner="django"),
            "django",
            DJANGO_COMMAND,
            id="runner forced to django",
        ),
        pytest.param(
            {},
            ProjectConfig(test_runner="pytest"),
            "pytest",
            PYTEST_COMMAND,
            id="runner forced to pytest",
        ),
        pytest.param(
            {},
            ProjectConfig(test_command=("python", "-m", "pytest", "-x", "tests")),
            "pytest",
            ("python", "-m", "pytest", "-x", "tests"),
            id="pytest command",
        ),
        pytest.param(
            {"pytest.ini": "[pytest]\n"},
            ProjectConfig(test_command=("python", "manage.py", "test", "--parallel")),
            "django",
            ("python", "manage.py", "test", "--parallel"),
            id="manage.py command",
        ),
        pytest.param(
            {"pytest.ini": "[pytest]\n"},
            ProjectConfig(test_command=("make", "test")),
            "pytest",
            ("make", "test"),
            id="opaque command keeps the detected kind",
        ),
        pytest.param(
            {},
            ProjectConfig(test_runner="pytest", test_command=("./run-tests",)),
            "pytest",
            ("./run-tests",),
            id="runner and command",
        ),
    ],
)
def test_config_overrides(
    make_tree: MakeTree, tree: Tree, config: ProjectConfig, kind: str, command: tuple[str, ...]
) -> None:
    runner = find(make_tree({"manage.py": "", **tree}), config)
    assert (runner.kind, runner.command) == (kind, command)
    assert runner.evidence is not None
    assert runner.evidence.detail == "[tool.upgrader]"
