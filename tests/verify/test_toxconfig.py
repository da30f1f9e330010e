"""``.upgrader/tox.ini``: one environment per stage, read back by the real tox."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

from upgrader.errors import VerifyError
from upgrader.project import Project
from upgrader.releases import Release, get_release
from upgrader.verify.toxconfig import (
    MARKER,
    Stage,
    constraints_path,
    env_name,
    python_variable,
    tox_env,
    tox_ini_path,
    write_tox_ini,
)


def release(name: str) -> Release:
    found = get_release(name)
    assert found is not None
    return found


def calendar_release(name: str) -> Release:
    return dataclasses.replace(release("6.2"), name=name, status="released")


@pytest.mark.parametrize(
    ("name", "env"),
    [
        pytest.param("2.2", "django22", id="2.2"),
        pytest.param("3.2", "django32", id="3.2"),
        pytest.param("4.2", "django42", id="4.2"),
        pytest.param("5.2", "django52", id="5.2"),
        pytest.param("6.0", "django60", id="6.0"),
        pytest.param("6.1", "django61", id="6.1"),
        pytest.param("2028.0", "django2028_0", id="calendar-version"),
        pytest.param("2029.1", "django2029_1", id="calendar-version-minor"),
    ],
)
def test_env_name(name: str, env: str) -> None:
    found = get_release(name) or calendar_release(name)
    assert env_name(found) == env


def test_python_variable() -> None:
    assert python_variable("django2028_0") == "UPGRADER_PYTHON_DJANGO2028_0"


@pytest.mark.parametrize(
    ("prefer", "python"),
    [
        pytest.param("3.8", "3.8", id="project-python-supported"),
        pytest.param("3.6", "3.6", id="oldest-supported"),
        pytest.param("3.11", "3.9", id="newer-than-supported-takes-newest"),
        pytest.param("3.4", "3.5", id="older-than-supported-takes-oldest"),
        pytest.param(None, "3.9", id="no-preference-takes-newest"),
    ],
)
def test_stage_python(prefer: str | None, python: str) -> None:
    assert Stage.for_release(release("2.2"), prefer).python == python


def test_baseline_stage_uses_the_project_requirements(tiny: Project) -> None:
    env = tox_env(tiny, Stage(release("2.2"), "3.8"))
    assert env.deps == ("-r {tox_root}{/}..{/}requirements.txt",)
    assert ("PYTHONWARNINGS", "always") in env.set_env
    # The project's own way of naming its settings wins (pytest-django reads the env first).
    assert "DJANGO_SETTINGS_MODULE" not in dict(env.set_env)


def test_locked_set_wins_when_present(tiny: Project) -> None:
    locked = constraints_path(tiny.root, release("4.2"))
    locked.parent.mkdir(parents=True)
    locked.write_text("Django==4.2.16\n")
    env = tox_env(tiny, Stage(release("4.2"), "3.10"))
    assert env.deps == ("-r {tox_root}{/}constraints{/}django-4.2.txt",)


def test_later_stage_without_a_dependency_set_is_refused(tiny: Project) -> None:
    with pytest.raises(VerifyError, match=r"no dependency set for the Django 4\.2 stage") as info:
        tox_env(tiny, Stage(release("4.2"), "3.10"))
    assert info.value.path == constraints_path(tiny.root, release("4.2"))


def test_explicit_requirements_outside_the_project_stay_absolute(
    tiny: Project, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere.txt"
    env = tox_env(tiny, Stage(release("4.2"), "3.10"), outside)
    assert env.deps == (f"-r {outside.as_posix()}",)


def test_pytest_runner_has_no_pythonwarnings(tiny_pytest: Project) -> None:
    env = tox_env(tiny_pytest, Stage(release("2.2"), "3.8"))
    assert env.runner == "pytest"
    assert "PYTHONWARNINGS" not in dict(env.set_env)


def test_without_requirements_files_the_declared_dependencies_are_used(tiny: Project) -> None:
    (tiny.root / "requirements.txt").unlink()
    (tiny.root / "pyproject.toml").write_text(
        '[project]\nname = "tiny"\nversion = "1"\n'
        'dependencies = ["Django>=2.2,<2.3", "pytz; python_version < \'3.9\'"]\n'
        '[project.optional-dependencies]\ntest = ["pytest-django[testing]==3.7.0"]\n'
    )
    project = dataclasses.replace(tiny, django_requirements=())
    env = tox_env(project, Stage(release("2.2"), "3.8"))
    assert env.deps == (
        "django<2.3,>=2.2",
        'pytz; python_version < "3.9"',
        "pytest-django[testing]==3.7.0",
    )


def test_a_lock_file_wins_over_declarations(tiny: Project) -> None:
    (tiny.root / "requirements.txt").unlink()
    (tiny.root / "pyproject.toml").write_text(
        '[project]\nname = "tiny"\nversion = "1"\ndependencies = ["Django>=2.2,<2.3"]\n'
    )
    (tiny.root / "uv.lock").write_text(
        'version = 1\n\n[[package]]\nname = "django"\nversion = "2.2.28"\n'
        'source = { registry = "https://pypi.org/simple" }\n'
    )
    project = dataclasses.replace(tiny, django_requirements=())
    assert tox_env(project, Stage(release("2.2"), "3.8")).deps == ("django==2.2.28",)


def test_no_dependency_file_at_all(tiny: Project) -> None:
    (tiny.root / "requirements.txt").unlink()
    project = dataclasses.replace(tiny, django_requirements=())
    with pytest.raises(VerifyError, match="no dependency file"):
        tox_env(project, Stage(release("2.2"), "3.8"))


def _tox_config(ini: Path, env: str, *keys: str, **variables: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "tox", "config", "-c", str(ini), "-e", env, "-k", *keys],
        capture_output=True,
        text=True,
        env={**os.environ, **variables},
        check=True,
        timeout=120,
    )
    return result.stdout


def test_tox_reads_the_file_as_intended(tiny: Project) -> None:
    ini = write_tox_ini(tiny.root, [tox_env(tiny, Stage(release("2.2"), "3.8"))])
    assert ini == tox_ini_path(tiny.root)
    out = _tox_config(
        ini,
        "django22",
        "base_python",
        "deps",
        "commands",
        "change_dir",
        "env_dir",
        UPGRADER_PYTHON_DJANGO22=sys.executable,
    )
    root = tiny.root
    assert f"base_python = {sys.executable}\n" in out
    assert f"deps = -r {root}/.upgrader/../requirements.txt\n" in out
    assert "commands = python manage.py test -v 2 --noinput\n" in out
    assert f"change_dir = {root}/.upgrader/..\n" in out
    assert f"env_dir = {root}/.upgrader/cache/tox/django22\n" in out


def test_without_the_variable_the_stage_python_comes_from_path(tiny: Project) -> None:
    ini = write_tox_ini(tiny.root, [tox_env(tiny, Stage(release("2.2"), "3.8"))])
    variables = {k: v for k, v in os.environ.items() if not k.startswith("UPGRADER_PYTHON_")}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tox",
            "config",
            "-c",
            str(ini),
            "-e",
            "django22",
            "-k",
            "base_python",
        ],
        capture_output=True,
        text=True,
        env=variables,
        check=True,
        timeout=120,
    )
    assert "base_python = python3.8\n" in result.stdout


def test_stages_accumulate_and_are_ordered(tiny: Project) -> None:
    locked = constraints_path(tiny.root, release("4.2"))
    locked.parent.mkdir(parents=True)
    locked.write_text("Django==4.2.16\n")
    write_tox_ini(tiny.root, [tox_env(tiny, Stage(release("4.2"), "3.10"))])
    write_tox_ini(tiny.root, [tox_env(tiny, Stage(release("2.2"), "3.8"))])
    text = tox_ini_path(tiny.root).read_text()
    assert text.startswith(MARKER)
    assert "env_list = django22, django42\n" in text
    assert text.index("[testenv:django22]") < text.index("[testenv:django42]")
    # Rewriting a stage replaces its section rather than adding a second one.
    write_tox_ini(tiny.root, [tox_env(tiny, Stage(release("2.2"), "3.9"))])
    text = tox_ini_path(tiny.root).read_text()
    assert text.count("[testenv:django22]") == 1
    assert "description = Django 2.2 on Python 3.9 (django)" in text
    assert "[testenv:django42]" in text


def test_the_projects_own_tox_ini_is_never_touched(tiny: Project) -> None:
    own = tiny.root / "tox.ini"
    own.write_text("[tox]\nenv_list = py38\n")
    write_tox_ini(tiny.root, [tox_env(tiny, Stage(release("2.2"), "3.8"))])
    assert own.read_text() == "[tox]\nenv_list = py38\n"


def test_a_file_not_written_by_upgrader_is_replaced_without_reading_its_sections(
    tiny: Project,
) -> None:
    ini = tox_ini_path(tiny.root)
    ini.parent.mkdir()
    ini.write_text("[testenv:django11]\ndescription = Django 1.11 on Python 2.7\n")
    write_tox_ini(tiny.root, [tox_env(tiny, Stage(release("2.2"), "3.8"))])
    assert "django11" not in ini.read_text()
