"""The Python the project runs today, from every source, and which one decides."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.detect.conftest import MakeTree, Tree
from upgrader.detect.python_version import (
    PythonFinding,
    expand_braces,
    find_python_version,
    lowest_allowed_python,
)
from upgrader.detect.sources import ProjectReader
from upgrader.files import project_files
from upgrader.project import ProjectConfig


def find(root: Path, config: ProjectConfig | None = None) -> PythonFinding:
    reader = ProjectReader(root)
    return find_python_version(reader, project_files(reader.root), config or ProjectConfig())


GITHUB_MATRIX = """\
jobs:
  test:
    strategy:
      matrix:
        python-version: ["3.9", "3.8"]
    steps:
      - uses: actions/setup-python@v5
        with:
          python-version: ${{ matrix.python-version }}
"""

GITHUB_LIST = """\
jobs:
  test:
    strategy:
      matrix:
        python:
          - "3.10"
          - 3.9
        django: ["2.2"]
"""


@pytest.mark.parametrize(
    ("tree", "version", "kind", "evidence"),
    [
        pytest.param(
            {".python-version": "3.8.10\n"},
            "3.8",
            ".python-version",
            ".python-version:1",
            id="pyenv",
        ),
        pytest.param(
            {".python-version": "# comment\nsystem\n3.7.4\n3.9.1\n"},
            "3.7",
            ".python-version",
            ".python-version:3",
            id="pyenv first version line",
        ),
        pytest.param(
            {"runtime.txt": "python-3.8.10\n"},
            "3.8",
            "runtime.txt",
            "runtime.txt:1",
            id="runtime.txt",
        ),
        pytest.param(
            {"Dockerfile": "FROM python:3.9-slim\nRUN pip install -r requirements.txt\n"},
            "3.9",
            "Dockerfile",
            "Dockerfile:1",
            id="Dockerfile slim tag",
        ),
        pytest.param(
            {
                "Dockerfile": "FROM docker.io/library/python:3.9.18-bullseye AS build\nFROM python:3.10.2\n"
            },
            "3.10",
            "Dockerfile",
            "Dockerfile:2",
            id="Dockerfile last stage decides",
        ),
        pytest.param(
            {
                "docker/Dockerfile.prod": "ARG PY=3.11\nFROM python:${PY}-slim\n",
                "web.dockerfile": "FROM --platform=linux/amd64 python:3.7-alpine\n",
            },
            "3.7",
            "Dockerfile",
            "web.dockerfile:1",
            id="ARG-based tags are ignored",
        ),
        pytest.param(
            {".github/workflows/ci.yml": GITHUB_MATRIX},
            "3.8",
            "ci",
            ".github/workflows/ci.yml:5",
            id="GitHub matrix: lowest",
        ),
        pytest.param(
            {".github/workflows/tests.yaml": GITHUB_LIST},
            "3.9",
            "ci",
            ".github/workflows/tests.yaml:7",
            id="GitHub matrix as a YAML list",
        ),
        pytest.param(
            {".gitlab-ci.yml": "test:\n  image: python:3.8\n  script: pytest\n"},
            "3.8",
            "ci",
            ".gitlab-ci.yml:2",
            id="GitLab image",
        ),
        pytest.param(
            {".travis.yml": 'language: python\npython:\n  - "3.6"\n  - "3.7"\n'},
            "3.6",
            "ci",
            ".travis.yml:3",
            id="Travis list",
        ),
        pytest.param(
            {
                ".circleci/config.yml": "jobs:\n  build:\n    docker:\n      - image: cimg/python:3.9.6\n"
            },
            "3.9",
            "ci",
            ".circleci/config.yml:4",
            id="CircleCI image",
        ),
        pytest.param(
            {"tox.ini": "[tox]\nenvlist = {py37,py38}-django22, py39\n"},
            "3.7",
            "tox.ini",
            "tox.ini:2",
            id="tox envlist factors",
        ),
        pytest.param(
            {"tox.ini": "[tox]\nenv_list =\n    py3{9,10}-django{22,30}\n    py3{8, 11}\n"},
            "3.8",
            "tox.ini",
            "tox.ini:2",
            id="tox generative envlist",
        ),
        pytest.param(
            {"tox.ini": "[tox]\nenvlist = py310\n[testenv]\nbasepython = python3.9\n"},
            "3.9",
            "tox.ini",
            "tox.ini:4",
            id="tox basepython",
        ),
        pytest.param(
            {"pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.6.1"\n'},
            "3.6",
            "requires-python",
            "pyproject.toml:3",
            id="requires-python lowest feature version",
        ),
        pytest.param(
            {"pyproject.toml": '[tool.poetry.dependencies]\npython = "^3.7"\n'},
            "3.7",
            "requires-python",
            "pyproject.toml:2",
            id="Poetry python",
        ),
        pytest.param(
            {"setup.py": "setup(\n    python_requires='>=3.5',\n)\n"},
            "3.5",
            "requires-python",
            "setup.py:2",
            id="setup.py python_requires",
        ),
        pytest.param(
            {"setup.cfg": "[options]\npython_requires = ~=3.8\n"},
            "3.8",
            "requires-python",
            "setup.cfg:2",
            id="setup.cfg python_requires",
        ),
    ],
)
def test_each_source(
    make_tree: MakeTree, tree: Tree, version: str, kind: str, evidence: str
) -> None:
    found = find(make_tree(tree))
    assert found.version == version
    assert found.source is not None
    assert (found.source.kind, str(found.source.evidence)) == (kind, evidence)


ALL_SOURCES: dict[str, str | bytes] = {
    "pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.5"\n',
    "tox.ini": "[tox]\nenvlist = py36\n",
    ".gitlab-ci.yml": "image: python:3.7\n",
    "Dockerfile": "FROM python:3.8\n",
    "runtime.txt": "python-3.9.1\n",
    ".python-version": "3.10.4\n",
}
PRIORITY = [".python-version", "runtime.txt", "Dockerfile", "ci", "tox.ini", "requires-python"]


DROPPED_IN_ORDER = [".python-version", "runtime.txt", "Dockerfile", ".gitlab-ci.yml", "tox.ini"]


@pytest.mark.parametrize(
    ("removed", "version"),
    [
        pytest.param(0, "3.10", id=".python-version first"),
        pytest.param(1, "3.9", id="then runtime.txt"),
        pytest.param(2, "3.8", id="then Dockerfile"),
        pytest.param(3, "3.7", id="then CI"),
        pytest.param(4, "3.6", id="then tox.ini"),
        pytest.param(5, "3.5", id="then requires-python"),
    ],
)
def test_priority(make_tree: MakeTree, removed: int, version: str) -> None:
    """Sources are dropped one by one, strongest first: each time the next one decides."""
    gone = DROPPED_IN_ORDER[:removed]
    found = find(make_tree({k: v for k, v in ALL_SOURCES.items() if k not in gone}))
    assert found.version == version
    assert [d.kind for d in found.declarations] == PRIORITY[removed:]


def test_config_wins_and_everything_is_kept(make_tree: MakeTree) -> None:
    found = find(make_tree(ALL_SOURCES), ProjectConfig(python="3.11"))
    assert found.version == "3.11"
    assert found.source is not None
    assert found.source.kind == "config"
    assert len(found.declarations) == 7


def test_nothing_declared(make_tree: MakeTree) -> None:
    found = find(make_tree({"manage.py": ""}))
    assert (found.version, found.source, found.declarations) == (None, None, ())


@pytest.mark.parametrize(
    ("specifier", "expected"),
    [
        pytest.param(">=3.8", "3.8", id="lower bound"),
        pytest.param(">=3.8.1", "3.8", id="patch-level lower bound"),
        pytest.param(">3.8", "3.8", id="exclusive bound still allows 3.8.x"),
        pytest.param(">=3.10,<4", "3.10", id="two-digit minor"),
        pytest.param(">=2.7,!=3.0.*,!=3.1.*", "2.7", id="Python 2"),
        pytest.param("<2", None, id="nothing known"),
        pytest.param("not a spec", None, id="invalid"),
    ],
)
def test_lowest_allowed_python(specifier: str, expected: str | None) -> None:
    assert lowest_allowed_python(specifier) == expected


@pytest.mark.parametrize(
    ("text", "expanded"),
    [
        pytest.param("py38", ["py38"], id="nothing to expand"),
        pytest.param("py{37,38}-dj", ["py37-dj", "py38-dj"], id="one group"),
        pytest.param(
            "py3{8,9}-django{22, 30}",
            ["py38-django22", "py38-django30", "py39-django22", "py39-django30"],
            id="two groups",
        ),
    ],
)
def test_expand_braces(text: str, expanded: list[str]) -> None:
    assert expand_braces(text) == expanded
