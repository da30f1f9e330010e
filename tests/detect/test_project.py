"""``detect_project`` end to end on fixture trees: facts, bad input, and no code execution."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from packaging.version import Version

from tests.detect.conftest import MINIMAL_MANAGE_PY, MINIMAL_PROJECT, MakeTree, Tree
from upgrader.errors import DetectionError, NotADjangoProjectError
from upgrader.project import Project, detect_project


def booby_trap(marker: Path, what: str) -> str:
    """Python source that leaves ``marker`` behind and fails if it is ever imported or run."""
    return (
        "import pathlib\n"
        f"pathlib.Path({str(marker)!r}).write_text({what!r})\n"
        f"raise RuntimeError({what + ' was executed'!r})\n"
    )


def test_no_code_is_executed(make_tree: MakeTree, tmp_path: Path) -> None:
    markers = tmp_path / "markers"
    markers.mkdir()
    trap = {
        name: booby_trap(markers / name, name)
        for name in ("manage", "settings", "setup", "wsgi", "conftest")
    }
    root = make_tree(
        {
            "manage.py": trap["manage"] + MINIMAL_MANAGE_PY,
            "mysite/__init__.py": "",
            "mysite/settings.py": (
                trap["settings"]
                + "import os\n"
                + "BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))\n"
                + "TEMPLATES = [{'DIRS': [os.path.join(BASE_DIR, 'templates')]}]\n"
            ),
            "mysite/wsgi.py": trap["wsgi"],
            "setup.py": trap["setup"]
            + "from setuptools import setup\nsetup(install_requires=['Django>=2.1,<2.3', 'pytest-django'])\n",
            "conftest.py": trap["conftest"],
            "templates/base.html": "",
            ".python-version": "3.7.9\n",
        }
    )
    project = detect_project(root)
    assert project.settings_module == "mysite.settings"
    assert project.settings_file == root / "mysite/settings.py"
    assert project.django_version == Version("2.2")
    assert project.python_version == "3.7"
    assert project.test_runner.kind == "pytest"
    assert project.template_dirs == (root / "templates",)
    assert project.skipped == ()
    assert list(markers.iterdir()) == []
    assert "mysite" not in sys.modules


def test_minimal_project(make_tree: MakeTree) -> None:
    root = make_tree(MINIMAL_PROJECT)
    project = detect_project(root / "mysite")
    assert project == Project(
        root=root,
        manage_py=root / "manage.py",
        settings_module="mysite.settings",
        settings_file=root / "mysite/settings.py",
        django_version=Version("2.2.28"),
        django_requirements=project.django_requirements,
        python_version=None,
        python_declarations=(),
        test_runner=project.test_runner,
        settings_files=(root / "mysite/settings.py",),
        settings_evidence=project.settings_evidence,
        django_source=project.django_requirements[0],
        dependency_files=(root / "requirements.txt",),
    )
    assert project.test_runner.command == ("python", "manage.py", "test")


def test_config_is_applied(make_tree: MakeTree) -> None:
    root = make_tree(
        {
            **MINIMAL_PROJECT,
            "pyproject.toml": (
                "[tool.upgrader]\n"
                'exclude = ["deploy/*"]\n'
                'test-command = "python -m pytest -x"\n'
                'python = "3.6"\n'
            ),
            "deploy/Dockerfile": "FROM python:3.9\n",
            "Dockerfile": "FROM python:3.8\n",
        }
    )
    project = detect_project(root)
    assert project.config.exclude == ("deploy/*",)
    assert project.python_version == "3.6"
    assert [d.evidence.file for d in project.python_declarations] == [
        "pyproject.toml",
        "Dockerfile",
    ]
    assert project.test_runner.command == ("python", "-m", "pytest", "-x")


def test_django_from(make_tree: MakeTree) -> None:
    root = make_tree({**MINIMAL_PROJECT, "requirements.txt": "Django\n"})
    with pytest.raises(DetectionError, match="without an upper bound"):
        detect_project(root)
    project = detect_project(root, django_from="2.2")
    assert project.django_version == Version("2.2")
    assert project.django_source is None
    assert [r.specifier for r in project.django_requirements] == ["*"]


def test_not_a_django_project(make_tree: MakeTree) -> None:
    root = make_tree({"requirements.txt": "Django==2.2.28\n"})
    with pytest.raises(NotADjangoProjectError) as info:
        detect_project(root)
    assert str(root.resolve()) in info.value.message


@pytest.mark.parametrize(
    ("tree", "skipped", "reason"),
    [
        pytest.param(
            {"mysite/settings.py": "TEMPLATES = [\n"},
            "mysite/settings.py",
            "syntax error",
            id="settings with a syntax error",
        ),
        pytest.param(
            {"requirements-dev.txt": b"pytest\n# \xff\xfe\n"},
            "requirements-dev.txt",
            "not valid utf-8",
            id="non-UTF-8 requirements file",
        ),
        pytest.param(
            {
                "mysite/wsgi.py": b"# -*- coding: latin-1 -*-\nx = '\xe9'\n",
                "tox.ini": b"[tox]\nenvlist = py3\xe9\n",
            },
            "tox.ini",
            "not valid utf-8",
            id="latin-1 Python is fine, non-UTF-8 tox.ini is not",
        ),
        pytest.param(
            {"setup.cfg": "[options\ninstall_requires = six\n"},
            "setup.cfg",
            "invalid ini",
            id="broken setup.cfg",
        ),
    ],
)
def test_bad_files_are_skipped(make_tree: MakeTree, tree: Tree, skipped: str, reason: str) -> None:
    root = make_tree({**MINIMAL_PROJECT, **tree})
    project = detect_project(root)
    assert project.django_version == Version("2.2.28")
    assert [
        (s.path.relative_to(root).as_posix(), reason in s.reason.lower()) for s in project.skipped
    ] == [(skipped, True)]


def test_symlink_leaving_the_tree(make_tree: MakeTree, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "Dockerfile").write_text("FROM python:3.4\n")
    (outside / "requirements.txt").write_text("Django==1.8\n")
    root = make_tree(MINIMAL_PROJECT)
    (root / "Dockerfile").symlink_to(outside / "Dockerfile")
    (root / "requirements").symlink_to(outside, target_is_directory=True)
    project = detect_project(root)
    assert project.python_declarations == ()
    assert project.django_version == Version("2.2.28")
    assert {s.path.relative_to(root).as_posix() for s in project.skipped} == {
        "Dockerfile",
        "requirements/requirements.txt",
    }
    assert all("outside the project" in s.reason for s in project.skipped)


def test_unreadable_file_via_oserror(make_tree: MakeTree, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_tree({**MINIMAL_PROJECT, "runtime.txt": "python-3.8.1\n"})
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "runtime.txt":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    project = detect_project(root)
    assert project.python_version is None
    assert [(s.path.name, "permissions" in s.reason) for s in project.skipped] == [
        ("runtime.txt", True)
    ]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read mode-000 files")
def test_unreadable_file_via_chmod(make_tree: MakeTree) -> None:
    root = make_tree({**MINIMAL_PROJECT, "requirements-dev.txt": "pytest-django\n"})
    path = root / "requirements-dev.txt"
    path.chmod(0)
    try:
        project = detect_project(root)
    finally:
        path.chmod(0o644)
    assert project.test_runner.kind == "django"
    assert [s.path for s in project.skipped] == [path]
