"""The Python the project runs today, from every source, and which one decides."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest
from packaging.version import Version

from tests.detect.conftest import MakeTree, Tree
from upgrader.detect.python_version import (
    PythonFinding,
    expand_braces,
    find_python_version,
    lowest_allowed_python,
    split_envlist,
)
from upgrader.detect.sources import ProjectReader
from upgrader.files import project_files
from upgrader.interpreters import Interpreter, discover
from upgrader.project import ProjectConfig, detect_project
from upgrader.syntax import newer_syntax, syntax_error_reason, syntax_too_new_for


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


# --- the Python the upgrade starts from, once Django is known (issues 19.5 and 16.8) ---------

TRAVIS_35_38 = 'language: python\npython:\n  - "3.5"\n  - "3.6"\n  - "3.7"\n  - "3.8"\n'
MANAGE = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_cfg.settings')\n"
DJANGO_SITE: dict[str, str | bytes] = {
    "manage.py": MANAGE,
    "site_cfg/__init__.py": "",
    "site_cfg/settings.py": "SECRET_KEY = 'x'\n",
}


@pytest.mark.parametrize(
    ("django", "python"),
    [
        pytest.param("2.2.8", "3.8", id="2.2.8 is the first 2.2 on 3.8"),
        pytest.param("2.2.5", "3.7", id="2.2.5 does not run 3.8"),
    ],
)
def test_ci_matrix_gives_its_newest_entry_the_django_supports(
    make_tree: MakeTree, django: str, python: str
) -> None:
    """healthchecks' CI runs 3.5-3.8: the upgrade starts on the newest of them that its Django
    supports (3.5 has no interpreter anywhere), and the reason names the file and entry."""
    root = make_tree(
        {**DJANGO_SITE, ".travis.yml": TRAVIS_35_38, "requirements.txt": f"Django=={django}\n"}
    )
    project = detect_project(root)
    assert project.python_version == python
    assert project.python_source is not None
    assert project.python_source.evidence.file == ".travis.yml"
    line = {"3.8": 6, "3.7": 5}[python]
    assert project.python_reason == (
        f"the newest Python the project's CI runs (3.5, 3.6, 3.7, 3.8) that Django {django} "
        f'supports: .travis.yml:{line} (ci: - "{python}")'
    )


def test_ci_matrix_with_no_supported_entry_gives_its_newest(make_tree: MakeTree) -> None:
    root = make_tree(
        {
            **DJANGO_SITE,
            ".travis.yml": "python:\n  - 2.7\n  - 3.4\n",
            "requirements.txt": "Django==2.2.28\n",
        }
    )
    project = detect_project(root)
    assert project.python_version == "3.4"
    assert "none of which Django 2.2.28 supports" in project.python_reason


def test_tox_envlist_gives_its_newest_supported_entry(make_tree: MakeTree) -> None:
    root = make_tree(
        {
            **DJANGO_SITE,
            "tox.ini": "[tox]\nenvlist = py{36,37,38,39,310}-django32\n",
            "requirements.txt": "Django==3.2.5\n",  # 3.10 arrived in 3.2.9
        }
    )
    project = detect_project(root)
    assert project.python_version == "3.9"
    assert "tox.ini's envlist runs (3.6, 3.7, 3.8, 3.9, 3.10)" in project.python_reason


@pytest.mark.parametrize(
    ("spec", "python"),
    [
        pytest.param(">=3.6", "3.10", id="open range: the newest Django supports"),
        pytest.param(">=3.6,<3.9", "3.8", id="capped range"),
    ],
)
def test_requires_python_gives_the_newest_python_it_allows(
    make_tree: MakeTree, spec: str, python: str
) -> None:
    root = make_tree(
        {
            **DJANGO_SITE,
            "setup.py": f"setup(\n    python_requires='{spec}',\n)\n",
            "requirements.txt": "Django==3.2.25\n",
        }
    )
    project = detect_project(root)
    assert project.python_version == python
    assert project.python_reason == (
        "the newest Python Django 3.2.25 supports (3.6, 3.7, 3.8, 3.9, 3.10) that "
        f"setup.py:2 (requires-python: {spec}) allows"
    )


def test_one_named_interpreter_is_kept_with_its_reason(make_tree: MakeTree) -> None:
    root = make_tree(
        {
            **DJANGO_SITE,
            ".python-version": "3.6.15\n",
            ".travis.yml": TRAVIS_35_38,
            "requirements.txt": "Django==2.2.28\n",
        }
    )
    project = detect_project(root)
    assert project.python_version == "3.6"
    assert project.python_reason == ".python-version:1 (.python-version: 3.6.15) names Python 3.6"


@pytest.mark.parametrize(
    ("requires", "python"),
    [
        pytest.param('python_version = "3.7"', "3.7", id="python_version"),
        pytest.param('python_full_version = "3.8.10"', "3.8", id="python_full_version"),
    ],
)
def test_pipfile_requires(make_tree: MakeTree, requires: str, python: str) -> None:
    root = make_tree(
        {
            "Pipfile": f'[packages]\ndjango = "==2.2.28"\n\n[requires]\n{requires}\n',
            "tox.ini": "[tox]\nenvlist = py36\n",
        }
    )
    found = find(root)
    assert found.version == python
    assert found.source is not None
    assert (found.source.kind, str(found.source.evidence)) == ("Pipfile", "Pipfile:5")


# --- a project in a subfolder of its repository (issue 16.8) -------------------------------


def _repository(tmp_path: Path, files: Tree) -> Path:
    from tests.detect.conftest import write_tree

    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    return write_tree(repo, files)


def test_ci_files_at_the_git_root_are_read_from_a_subfolder(tmp_path: Path) -> None:
    repo = _repository(
        tmp_path,
        {
            ".github/workflows/tests.yml": GITHUB_MATRIX.replace(
                '["3.9", "3.8"]', '["3.6", "3.7"]'
            ),
            **{f"src/{k}": v for k, v in DJANGO_SITE.items()},
            "src/requirements.txt": "Django==2.2.28\n",
        },
    )
    project = detect_project(repo / "src")
    assert project.root == (repo / "src").resolve()
    assert project.python_version == "3.7"
    assert project.python_source is not None
    assert str(project.python_source.evidence) == "../.github/workflows/tests.yml:5"


def test_git_root_files_are_not_read_for_one_of_several_projects(tmp_path: Path) -> None:
    """A folder of samples (or a monorepo): the top-level CI is about something else."""
    repo = _repository(
        tmp_path,
        {
            ".travis.yml": TRAVIS_35_38,
            **{f"samples/a/{k}": v for k, v in DJANGO_SITE.items()},
            "samples/a/requirements.txt": "Django==2.2.28\n",
            "samples/b/manage.py": MANAGE,
        },
    )
    project = detect_project(repo / "samples" / "a")
    assert project.python_version is None
    assert project.python_declarations == ()


def test_tox_envlist_over_several_lines_is_one_declaration_per_python(make_tree: MakeTree) -> None:
    """django-simple-history's envlist: each line expanded on its own (not the product of the
    lines), and one declaration per Python (not one per environment)."""
    tox = (
        "[tox]\nenvlist =\n    py{27,34,35,36,37}-django111,\n    py{35,36,37,38}-django22,\n"
        "    docs, flake8\n"
    )
    found = find(make_tree({"tox.ini": tox}))
    assert [d.version for d in found.declarations] == ["2.7", "3.4", "3.5", "3.6", "3.7", "3.8"]


def test_split_envlist() -> None:
    assert split_envlist("py{27,34}-dj111,\n py35, {py36,py37}-x\n") == [
        "py{27,34}-dj111",
        "py35",
        "{py36,py37}-x",
    ]


def test_a_django_series_is_taken_at_its_newest_patch(make_tree: MakeTree) -> None:
    """--from 2.2 (or a range) is the 2.2 series: 3.8 (from 2.2.8) counts."""
    root = make_tree({**DJANGO_SITE, ".travis.yml": TRAVIS_35_38, "requirements.txt": ""})
    assert detect_project(root, django_from="2.2").python_version == "3.8"


def test_classifiers_say_which_pythons_a_package_supports(make_tree: MakeTree) -> None:
    """A reusable app without CI files: its classifiers, before its requires-python range."""
    setup = (
        "setup(\n    python_requires='>=3.5',\n    classifiers=[\n"
        "        'Programming Language :: Python :: 3',\n"
        "        'Programming Language :: Python :: 3.6',\n"
        "        'Programming Language :: Python :: 3.7',\n"
        "        'Framework :: Django :: 2.2',\n    ],\n)\n"
    )
    root = make_tree({**DJANGO_SITE, "setup.py": setup, "requirements.txt": "Django==2.2.28\n"})
    project = detect_project(root)
    assert project.python_version == "3.7"
    assert [(d.kind, d.version) for d in project.python_declarations] == [
        ("classifiers", "3.6"),
        ("classifiers", "3.7"),
        ("requires-python", "3.5"),
    ]
    assert project.python_reason == (
        "the newest Python the project's classifiers name (3.6, 3.7) that Django 2.2.28 "
        "supports: setup.py:6 (classifiers: Programming Language :: Python :: 3.7)"
    )


@pytest.mark.parametrize(
    ("text", "named"),
    [
        pytest.param("python-banana\n", True, id="garbage"),
        pytest.param("# a comment\n3.8.10\n", True, id="without the python- prefix"),
        pytest.param("python-3.8.10\n", False, id="valid"),
        pytest.param("\n# nothing yet\n", False, id="only a comment"),
    ],
)
def test_runtime_txt_naming_no_python_is_skipped_with_the_valid_form(
    make_tree: MakeTree, text: str, named: bool
) -> None:
    reader = ProjectReader(make_tree({"runtime.txt": text}))
    find_python_version(reader, project_files(reader.root), ProjectConfig())
    reasons = [s.reason for s in reader.skipped if s.path.name == "runtime.txt"]
    if named:
        (reason,) = reasons
        assert reason.endswith("is not a Python runtime: write it like python-3.8.10")
        assert text.strip().splitlines()[-1] in reason
    else:
        assert reasons == []


@pytest.mark.parametrize(
    "template",
    [
        "mypackage/conf/project_template/Dockerfile",
        "{{cookiecutter.project_slug}}/Dockerfile",
        "vendor/someapp/Dockerfile",
        "docs/examples/Dockerfile",
    ],
)
def test_a_template_dockerfile_ranks_below_the_projects_own_files(
    make_tree: MakeTree, template: str
) -> None:
    """A library shipping a project skeleton: its Dockerfile is the skeleton's Python, not the
    library's; the project's own tox.ini decides, and the template is still listed."""
    root = make_tree({template: "FROM python:3.13-slim\n", "tox.ini": "[tox]\nenvlist = py38\n"})
    found = find(root)
    assert found.version == "3.8"
    assert found.source is not None and found.source.kind == "tox.ini"
    assert [(d.kind, d.evidence.file) for d in found.declarations] == [
        ("Dockerfile", template),
        ("tox.ini", "tox.ini"),
    ]


def test_a_template_dockerfile_decides_when_nothing_else_says(make_tree: MakeTree) -> None:
    found = find(make_tree({"app/project_template/Dockerfile": "FROM python:3.11\n"}))
    assert found.version == "3.11"


def test_a_dockerfile_in_a_project_folder_still_beats_tox_ini(make_tree: MakeTree) -> None:
    found = find(
        make_tree({"deploy/Dockerfile": "FROM python:3.9\n", "tox.ini": "[tox]\nenvlist = py38\n"})
    )
    assert found.version == "3.9"


def test_the_workflow_upgrader_ci_writes_is_not_the_projects_python(make_tree: MakeTree) -> None:
    from upgrader.ci import MARKER

    ours = (
        f"{MARKER} (`upgrader ci --provider github`): one job per Django stage.\n"
        + GITHUB_MATRIX.replace('"3.9", "3.8"', '"3.12", "3.10"')
    )
    root = make_tree({".github/workflows/upgrader.yml": ours, "tox.ini": "[tox]\nenvlist = py37\n"})
    found = find(root)
    assert found.version == "3.7"
    assert {d.kind for d in found.declarations} == {"tox.ini"}
    # A hand-written workflow of that name is the project's own.
    (root / ".github/workflows/upgrader.yml").write_text(GITHUB_MATRIX)
    assert find(root).version == "3.8"


NEWER_312 = 'x = {"a": 1}\nprint(f"{x["a"]}")\n'  # quotes reused inside an f-string: 3.12


def _interpreters_newer_than_running() -> list[Interpreter]:
    running = Version(f"{sys.version_info.major}.{sys.version_info.minor}")
    return [i for i in discover() if Version(i.feature) > running]


def test_newer_syntax_names_the_python_whose_parser_accepts_the_file() -> None:
    if sys.version_info >= (3, 12):
        pytest.skip("the running Python reads 3.12 f-strings itself")
    newer = [i for i in _interpreters_newer_than_running() if i.version >= Version("3.12")]
    if not newer:
        pytest.skip("no Python 3.12 or newer on this machine to ask")
    assert newer_syntax(NEWER_312, newer) == min(i.feature for i in newer)
    with pytest.raises(SyntaxError) as info:
        ast.parse(NEWER_312)
    reason = syntax_error_reason(info.value, NEWER_312, newer)
    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert reason.startswith(
        f"upgrader runs on Python {running}; this file needs Python {newer_syntax(NEWER_312, newer)}"
    )
    assert "line 2" in reason and "[tool.upgrader] exclude" in reason


def test_a_real_syntax_error_stays_one() -> None:
    broken = "def f(:\n    pass\n"
    assert newer_syntax(broken, _interpreters_newer_than_running()) is None
    with pytest.raises(SyntaxError) as info:
        ast.parse(broken)
    reason = syntax_error_reason(info.value, broken, [])
    assert reason.startswith("syntax error at line 1 (")
    assert "needs Python" not in reason


def test_no_newer_interpreter_means_no_claim() -> None:
    assert newer_syntax(NEWER_312, []) is None


@pytest.mark.parametrize(
    ("code", "python", "says"),
    [
        (
            "match x:\n    case 1:\n        pass\n",
            "3.8",
            "Pattern matching is only supported in Python 3.10",
        ),
        (
            "if (n := 1):\n    pass\n",
            "3.7",
            "Assignment expressions are only supported in Python 3.8",
        ),
        ("if (n := 1):\n    pass\n", "3.8", None),
        ("x = 1\n", "3.6", None),
        ("def f(:\n", "3.6", None),  # not valid anywhere: not "too new"
    ],
)
def test_syntax_too_new_for_the_projects_python(code: str, python: str, says: str | None) -> None:
    found = syntax_too_new_for(code, python)
    if says is None:
        assert found is None
    else:
        assert found is not None and says in found
