from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from upgrader.project import detect_project
from upgrader.python_declarations import update_python_declarations
from upgrader.python_releases import LATEST_PATCH

LATEST_310 = LATEST_PATCH["3.10"]

BASE = {
    "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_cfg.settings')\n",
    "site_cfg/__init__.py": "",
    "site_cfg/settings.py": "SECRET_KEY = 'x'\n",
    "requirements.txt": "Django==4.2.30\n",
}


def write(root: Path, files: Mapping[str, str | bytes]) -> None:
    for rel, content in {**BASE, **files}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param(
            {".python-version": "3.8\n"}, {".python-version": "3.10\n"}, id="python-version"
        ),
        pytest.param(
            {".python-version": "3.8.18\n"},
            {".python-version": f"{LATEST_310}\n"},
            id="python-version-patch",
        ),
        pytest.param(
            {"runtime.txt": "python-3.8.18\n"},
            {"runtime.txt": f"python-{LATEST_310}\n"},
            id="runtime-patch",
        ),
        pytest.param(
            {"runtime.txt": "python-3.8\n"}, {"runtime.txt": "python-3.10\n"}, id="runtime-feature"
        ),
        pytest.param(
            {"Pipfile": '[packages]\n\n[requires]\npython_version = "3.8"\n'},
            {"Pipfile": '[packages]\n\n[requires]\npython_version = "3.10"\n'},
            id="pipfile",
        ),
        pytest.param(
            {
                "Dockerfile": "FROM python:3.9-slim AS base\r\nRUN pip install -r requirements.txt\r\n"
            },
            {
                "Dockerfile": "FROM python:3.10-slim AS base\r\nRUN pip install -r requirements.txt\r\n"
            },
            id="dockerfile-crlf-kept",
        ),
    ],
)
def test_declarations_follow_the_hop(
    tmp_path: Path, files: dict[str, str], expected: dict[str, str]
) -> None:
    write(tmp_path, files)
    project = detect_project(tmp_path)
    update = update_python_declarations(project, "3.10", "3.10.13")
    assert set(update.changed) == set(expected)
    for rel, text in expected.items():
        assert (tmp_path / rel).read_bytes().decode() == text
    assert detect_project(tmp_path).python_version == "3.10"
    again = update_python_declarations(detect_project(tmp_path), "3.10", "3.10.13")
    assert again.changed == ()


def test_requires_python_lower_bound_is_raised_not_lowered(tmp_path: Path) -> None:
    pyproject = (
        '[project]\nname = "site"\nversion = "1"\n'
        'requires-python = ">=3.7"  # keep me\ndependencies = ["Django>=4.2,<4.3"]\n'
    )
    write(tmp_path, {"pyproject.toml": pyproject})
    update_python_declarations(detect_project(tmp_path), "3.10")
    assert 'requires-python = ">=3.10"  # keep me' in (tmp_path / "pyproject.toml").read_text()
    update_python_declarations(detect_project(tmp_path), "3.8")
    assert 'requires-python = ">=3.10"' in (tmp_path / "pyproject.toml").read_text()


def test_a_patch_release_comes_from_the_table_not_the_interpreter(tmp_path: Path) -> None:
    """Issue 19.6: the local interpreter's patch (3.10.13 here) is not what a platform runs."""
    write(tmp_path, {"runtime.txt": "python-3.8.10\n"})
    update = update_python_declarations(detect_project(tmp_path), "3.10", "3.10.13")
    assert (tmp_path / "runtime.txt").read_text() == f"python-{LATEST_310}\n"
    (note,) = update.notes
    assert note.startswith(f"runtime.txt:1: 3.8.10 -> {LATEST_310}: the newest 3.10 patch release")
    assert "upgrader's table" in note


def test_a_feature_unknown_to_the_table_takes_the_given_patch(tmp_path: Path) -> None:
    write(tmp_path, {".python-version": "3.14.1\n"})
    update = update_python_declarations(detect_project(tmp_path), "3.99", "3.99.4")
    assert (tmp_path / ".python-version").read_text() == "3.99.4\n"
    assert "interpreter that ran the hop" in update.notes[0]


GITHUB = """\
jobs:
  test:
    strategy:
      matrix:
        python-version: ["3.6", "3.7", "3.8"]
    steps:
      - uses: actions/setup-python@v5
        with:
          python-version: ${{ matrix.python-version }}
  lint:
    steps:
      - uses: actions/setup-python@v5
        with:
          python-version: '3.8'
"""
TRAVIS = 'language: python\npython:\n  - "3.5"\n  - "3.6"\n  - "3.7"\n  - "3.8"  # newest\ninstall: pip\n'


@pytest.mark.parametrize(
    ("rel", "before", "after", "supported", "said"),
    [
        pytest.param(
            ".travis.yml",
            TRAVIS,
            'language: python\npython:\n  - "3.10"  # newest\ninstall: pip\n',
            None,
            ".travis.yml: CI Pythons 3.5, 3.6, 3.7, 3.8 -> 3.10.",
            id="travis list",
        ),
        pytest.param(
            ".github/workflows/ci.yml",
            GITHUB,
            GITHUB.replace('["3.6", "3.7", "3.8"]', '["3.10"]').replace("'3.8'", "'3.10'"),
            ("3.10", "3.11", "3.12", "3.13", "3.14"),
            ".github/workflows/ci.yml: CI Pythons 3.6, 3.7, 3.8 -> 3.10; 3.8 -> 3.10 (Django "
            "supports 3.10, 3.11, 3.12, 3.13, 3.14).",
            id="github flow list and value",
        ),
        pytest.param(
            ".github/workflows/ci.yml",
            'matrix:\n  python:\n    - 3.8\n    - 3.9\n    - "3.10"\n    - 3.11\n',
            'matrix:\n  python:\n    - "3.10"\n    - 3.11\n',
            ("3.10", "3.11", "3.12", "3.13", "3.14"),
            None,
            id="supported entries stay",
        ),
        pytest.param(
            ".gitlab-ci.yml",
            "test:\n  image: python:3.8-slim\n",
            "test:\n  image: python:3.10-slim\n",
            None,
            None,
            id="gitlab image",
        ),
    ],
)
def test_ci_files_follow_the_hop(
    tmp_path: Path,
    rel: str,
    before: str,
    after: str,
    supported: tuple[str, ...] | None,
    said: str | None,
) -> None:
    """Issue 20.9: a hop updates the Python entries of the CI files it read, and says so."""
    write(tmp_path, {rel: before})
    update = update_python_declarations(detect_project(tmp_path), "3.10", supported=supported)
    assert (tmp_path / rel).read_text() == after
    assert update.changed == (rel,)
    if said:
        assert said in update.notes
    again = update_python_declarations(detect_project(tmp_path), "3.10", supported=supported)
    assert again.changed == ()
    assert (tmp_path / rel).read_text() == after


def test_the_next_hop_reads_the_python_the_hop_moved_to(tmp_path: Path) -> None:
    """The hop 4.2 -> 5.2 moved to 3.10: the CI file says so, and detection (the next hop's
    source) no longer reads the stale 3.8 from it."""
    write(tmp_path, {".travis.yml": TRAVIS})
    assert detect_project(tmp_path).python_version == "3.8"
    update_python_declarations(detect_project(tmp_path), "3.10")
    (tmp_path / "requirements.txt").write_text("Django==5.2.9\n")
    project = detect_project(tmp_path)
    assert project.python_version == "3.10"
    assert {d.version for d in project.python_declarations} == {"3.10"}


def test_an_uneditable_ci_file_is_named(tmp_path: Path) -> None:
    workflow = "jobs:\n  t:\n    steps:\n      - run: echo\n        python-version: 3.8 or 3.9\n"
    write(tmp_path, {".github/workflows/ci.yml": workflow})
    update = update_python_declarations(detect_project(tmp_path), "3.10")
    assert update.changed == ()
    assert any("could not edit it" in note and "3.8, 3.9" in note for note in update.notes)
    assert (tmp_path / ".github/workflows/ci.yml").read_text() == workflow


def test_tox_matrices_are_left_with_one_note(tmp_path: Path) -> None:
    tox = "[tox]\nenvlist = py{36,37,38}-django22\n"
    write(tmp_path, {"tox.ini": tox})
    update = update_python_declarations(detect_project(tmp_path), "3.10")
    assert update.changed == ()
    assert update.notes == (
        "tox.ini (tox.ini) still says Python 3.6, 3.7, 3.8: left alone (its factors select "
        "dependencies elsewhere in the file); add 3.10 there.",
    )
    assert (tmp_path / "tox.ini").read_text() == tox


def test_a_hop_that_keeps_its_python_still_drops_unsupported_ci_entries(tmp_path: Path) -> None:
    """2.2 -> 3.2 on 3.8: the CI's 3.5 job cannot install Django 3.2; .python-version stays."""
    from upgrader.python_declarations import update_ci_pythons

    write(tmp_path, {".travis.yml": TRAVIS, ".python-version": "3.7\n"})
    update = update_ci_pythons(detect_project(tmp_path), "3.8", ("3.6", "3.7", "3.8", "3.9"))
    assert update.changed == (".travis.yml",)
    assert (tmp_path / ".travis.yml").read_text() == (
        'language: python\npython:\n  - "3.6"\n  - "3.7"\n  - "3.8"  # newest\ninstall: pip\n'
    )
    assert (tmp_path / ".python-version").read_text() == "3.7\n"


def test_classifiers_are_left_with_a_note(tmp_path: Path) -> None:
    setup = "setup(\n    classifiers=['Programming Language :: Python :: 3.8'],\n)\n"
    write(tmp_path, {"setup.py": setup})
    update = update_python_declarations(detect_project(tmp_path), "3.10")
    assert update.changed == ()
    assert update.notes == (
        "setup.py (classifiers) still says Python 3.8: left alone (the Pythons a package claims "
        "are the maintainers' call); add 'Programming Language :: Python :: 3.10' once it is "
        "tested there.",
    )


def test_template_and_vendored_declarations_are_never_edited(tmp_path: Path) -> None:
    """A library's project_template/Dockerfile is what its users start from, not the project's
    Python: the hop moves the project's own Dockerfile and leaves the template's alone."""
    template = "FROM python:3.8-slim\nRUN pip install -r requirements.txt\n"
    vendored = "FROM python:3.7\n"
    write(
        tmp_path,
        {
            "Dockerfile": "FROM python:3.8-slim\n",
            "site_cfg/conf/project_template/Dockerfile": template,
            "vendor/widget/Dockerfile": vendored,
        },
    )
    project = detect_project(tmp_path)
    read = {d.evidence.file for d in project.python_declarations}
    assert {"site_cfg/conf/project_template/Dockerfile", "vendor/widget/Dockerfile"} <= read
    update = update_python_declarations(project, "3.10")
    assert update.changed == ("Dockerfile",)
    assert (tmp_path / "Dockerfile").read_text() == "FROM python:3.10-slim\n"
    assert (tmp_path / "site_cfg/conf/project_template/Dockerfile").read_text() == template
    assert (tmp_path / "vendor/widget/Dockerfile").read_text() == vendored
    assert not any("project_template" in note or "vendor/" in note for note in update.notes)
