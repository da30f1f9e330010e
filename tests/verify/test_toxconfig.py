"""``.upgrader/tox.ini``: one environment per stage, read back by the real tox."""

from __future__ import annotations

import dataclasses
import os
import re
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


def _pin_django(root: Path, version: str) -> None:
    path = root / "requirements.txt"
    path.write_text(re.sub(r"(?im)^django==\S+", f"Django=={version}", path.read_text()))


def test_a_requirements_pin_the_locked_set_moved_installs_the_locked_set_itself(
    tiny: Project,
) -> None:
    # pip-compile's .txt keeps the old stage's transitive pins (pluggy 0.13.1 on shop's 4.2 hop):
    # with -c the new set they would conflict, so the stage installs the resolved set itself.
    locked = constraints_path(tiny.root, release("4.2"))
    locked.parent.mkdir(parents=True)
    locked.write_text("Django==4.2.16\npluggy==1.5.0\n")
    _pin_django(tiny.root, "4.2.16")
    requirements = tiny.root / "requirements.txt"
    requirements.write_text(requirements.read_text() + "pluggy==0.13.1\n")
    env = tox_env(tiny, Stage(release("4.2"), "3.10"))
    assert env.deps == ("-r {tox_root}{/}constraints{/}django-4.2.txt",)


def test_locked_set_wins_when_present(tiny: Project) -> None:
    locked = constraints_path(tiny.root, release("4.2"))
    locked.parent.mkdir(parents=True)
    locked.write_text("Django==4.2.16\n")
    _pin_django(tiny.root, "4.2.16")  # as the dependency phase writes it back
    env = tox_env(tiny, Stage(release("4.2"), "3.10"))
    # The project's own lines, pinned by the locked set (F14: never the set's every extra).
    assert env.deps == (
        "-r {tox_root}{/}..{/}requirements.txt",
        "-c {tox_root}{/}constraints{/}django-4.2.txt",
    )
    # The step names the locked set itself (pretalx's walk): the same lines.
    assert tox_env(tiny, Stage(release("4.2"), "3.10"), locked).deps == env.deps
    relative = locked.relative_to(tiny.root)
    assert tox_env(tiny, Stage(release("4.2"), "3.10"), relative).deps == env.deps
    # A project that declares nothing installs the locked set itself.
    (tiny.root / "requirements.txt").unlink()
    project = dataclasses.replace(tiny, django_requirements=())
    assert tox_env(project, Stage(release("4.2"), "3.10")).deps == (
        "-r {tox_root}{/}constraints{/}django-4.2.txt",
    )


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
        "django==2.2.*",  # a range resolved as of the era: the stage's series whatever it admits
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
    (commands,) = [line for line in out.splitlines() if line.startswith("commands = ")]
    assert commands.startswith("commands = python ")
    assert commands.endswith(" manage.py test -v 2 --noinput")
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


# --- the project's test environment in the stage env -----------------------------------------


def redetect(project: Project) -> Project:
    from upgrader.project import detect_project

    return detect_project(project.root)


def test_the_projects_test_environment_goes_into_every_stage(tiny: Project) -> None:
    root = tiny.root
    (root / "requirements").mkdir()
    (root / "requirements" / "test.txt").write_text("-r ../requirements.txt\nfactory-boy==2.12\n")
    (root / "tox.ini").write_text(
        "[testenv]\nsetenv =\n    MEDIA_ROOT = {toxinidir}/media\n"
        "deps = -rrequirements/test.txt\ncommands_pre = python manage.py compilemessages\n"
        "commands = python manage.py test\n"
    )
    (root / "pytest.ini").write_text("[pytest]\naddopts = -n auto\n")
    (root / ".github" / "workflows").mkdir(parents=True)
    (root / ".github" / "workflows" / "ci.yml").write_text(
        "env:\n  CI_MODE: '{x}'\n  TOKEN: ${{ secrets.T }}\n  WIN: 'C:\\temp'\n"
    )
    (root / "pyproject.toml").write_text('[tool.upgrader]\npre-test = ["npm run build"]\n')
    settings = root / "tinysite" / "settings.py"
    settings.write_text(settings.read_text() + "import os\nFLAG = os.environ.get('MY_FLAG')\n")
    project = redetect(tiny)
    env = tox_env(project, Stage(release("2.2"), "3.9"))
    assert env.deps == (
        "-r {tox_root}{/}..{/}requirements.txt",
        "-r {tox_root}{/}..{/}requirements{/}test.txt",
        "pytest-xdist",
    )
    assert ("MEDIA_ROOT", "{tox_root}{/}../media") in env.set_env
    assert ("CI_MODE", "\\{x\\}") in env.set_env  # a literal, not a tox substitution
    assert "TOKEN" not in dict(env.set_env)
    assert env.commands_pre == (("npm", "run", "build"), ("python", "manage.py", "compilemessages"))
    assert env.allowlist_externals == ("npm",)
    assert env.pass_env == ("MY_FLAG",)
    # A later stage installs the same lines with its locked set as constraints.
    locked = constraints_path(root, release("3.2"))
    locked.parent.mkdir(parents=True)
    locked.write_text("Django==3.2.25\nfactory-boy==2.12\n")
    _pin_django(root, "3.2.25")  # as the dependency phase writes it back
    later = tox_env(project, Stage(release("3.2"), "3.9"))
    assert later.deps == (
        "-r {tox_root}{/}..{/}requirements.txt",
        "-c {tox_root}{/}constraints{/}django-3.2.txt",
        "-r {tox_root}{/}..{/}requirements{/}test.txt",
        "pytest-xdist",
    )
    # The real tox reads it as intended.
    ini = write_tox_ini(root, [env])
    out = _tox_config(
        ini,
        "django22",
        "set_env",
        "pass_env",
        "commands_pre",
        "allowlist_externals",
        UPGRADER_PYTHON_DJANGO22=sys.executable,
    )
    assert f"MEDIA_ROOT={root}/.upgrader/../media" in out
    assert "CI_MODE={x}" in out
    assert "WIN=C:\\temp" in out
    assert "MY_FLAG" in out and "GITHUB_ACTIONS" in out and "DATABASE_URL" in out
    assert "commands_pre =\n  npm run build\n  python manage.py compilemessages\n" in out
    assert "allowlist_externals = npm" in out


def test_only_the_test_extras_are_installed(tiny: Project) -> None:
    (tiny.root / "requirements.txt").unlink()
    (tiny.root / "setup.py").write_text(
        "from setuptools import setup\n"
        "setup(name='tiny', install_requires=['Django>=2.2,<3'], extras_require={\n"
        "    'mysql': ['mysqlclient'], 'postgres': ['psycopg2'], 'test': ['pytest-django'],\n"
        "})\n"
    )
    project = dataclasses.replace(redetect(tiny), django_requirements=())
    assert tox_env(project, Stage(release("2.2"), "3.9")).deps == (
        "django<3,>=2.2",
        "pytest-django",
        "django==2.2.*",
    )
    (tiny.root / "pyproject.toml").write_text('[tool.upgrader]\nextras = ["mysql"]\n')
    project = dataclasses.replace(redetect(tiny), django_requirements=())
    assert tox_env(project, Stage(release("2.2"), "3.9")).deps == (
        "django<3,>=2.2",
        "mysqlclient",
        "django==2.2.*",
    )


def test_a_later_stage_installs_the_test_extras_only_pinned_by_the_locked_set(
    tiny: Project, tmp_path: Path
) -> None:
    """F14 (pretalx): the locked set pins every extra of setup.py (mysqlclient for ``mysql``);
    the 3.2 stage installed all of it with ``-r`` and mysqlclient failed to build. The stage
    installs its own lines with ``-c`` the set: resolved for real by uv, mysqlclient (an sdist
    that cannot build here) is never asked for."""
    from tests.deps.conftest import LocalIndex
    from upgrader.deps.resolve import find_uv

    (tiny.root / "requirements.txt").unlink()
    (tiny.root / "setup.py").write_text(
        "from setuptools import setup\n"
        "setup(name='tiny', install_requires=['Django>=2.2,<4'], extras_require={\n"
        "    'mysql': ['mysqlclient'], 'test': ['pytest-django'],\n"
        "})\n"
    )
    locked = constraints_path(tiny.root, release("3.2"))
    locked.parent.mkdir(parents=True)
    locked.write_text(
        "# Dependency set for Django 3.2\ndjango==3.2.25\nmysqlclient==1.4.6\n"
        "pytest-django==4.5.2\nold-fork @ git+https://git.example.org/fork.git\n"
    )
    (tiny.root / "pyproject.toml").write_text(
        '[tool.upgrader.replace-requirements]\n"old-fork" = "old-fork==2.0"\n'
    )
    project = dataclasses.replace(redetect(tiny), django_requirements=())
    env = tox_env(project, Stage(release("3.2"), "3.9"))
    assert env.deps == (
        "django<4,>=2.2",
        "pytest-django",
        "-c {tox_root}{/}constraints{/}project-.upgrader-constraints-django-3.2.txt",
    )
    copy = dict(env.files)["constraints/project-.upgrader-constraints-django-3.2.txt"]
    assert "old-fork==2.0" in copy.splitlines() and "git.example.org" not in copy
    uv = find_uv()
    if uv is None:  # pragma: no cover - uv is a dependency of the dev environment
        pytest.skip("uv is not installed")
    index = LocalIndex(tmp_path / "index")
    index.add("Django", "3.2.25").add("Django", "4.2.16")
    index.add("pytest-django", "4.5.2").add("pytest-django", "4.9.0")
    index.add("mysqlclient", "1.4.6", sdist_only=True).add("old-fork", "2.0")
    index.build()
    write_tox_ini(project.root, [env])
    folder = project.root / ".upgrader"
    lines = [line.replace("{tox_root}{/}", "").replace("{/}", "/") for line in env.deps]
    (folder / "stage.in").write_text("\n".join(lines) + "\n")
    result = subprocess.run(
        [
            uv,
            "pip",
            "compile",
            "stage.in",
            "--no-config",
            "--no-header",
            "--python-version",
            "3.9",
            "--index-url",
            index.url,
            "--no-python-downloads",
        ],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "UV_CACHE_DIR": str(tmp_path / "uv-cache")},
    )
    assert result.returncode == 0, result.stderr
    assert "django==3.2.25" in result.stdout and "pytest-django==4.5.2" in result.stdout
    assert "mysqlclient" not in result.stdout


def test_old_pythons_build_with_an_old_setuptools(tiny: Project) -> None:
    env = tox_env(tiny, Stage(release("2.2"), "3.7"))
    assert ("UV_BUILD_CONSTRAINT", "{tox_root}{/}constraints{/}build-django22.txt") in env.set_env
    assert env.files == (("constraints/build-django22.txt", env.files[0][1]),)
    assert env.files[0][1].splitlines()[-1] == "setuptools<70"
    write_tox_ini(tiny.root, [env])
    written = tiny.root / ".upgrader" / "constraints" / "build-django22.txt"
    assert written.read_text() == env.files[0][1]
    # Newer Pythons build with what the index has, unless the project says otherwise.
    assert "UV_BUILD_CONSTRAINT" not in dict(tox_env(tiny, Stage(release("2.2"), "3.9")).set_env)
    (tiny.root / "pyproject.toml").write_text(
        '[tool.upgrader]\nbuild-constraints = ["setuptools<58", "cython<3"]\n'
    )
    env = tox_env(redetect(tiny), Stage(release("2.2"), "3.7"))
    assert env.files[0][1].splitlines()[1:] == ["setuptools<58", "cython<3"]


def test_the_baseline_resolves_as_of_the_projects_era(
    tiny: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    import upgrader.deps.era

    monkeypatch.setattr(upgrader.deps.era, "django_uploaded", lambda version, index=None: None)
    root = tiny.root

    def git(*args: str, date: str = "2021-03-04T05:06:07+00:00") -> None:
        environment = {**os.environ, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_DATE": date}
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
            cwd=root,
            check=True,
            capture_output=True,
            env=environment,
        )

    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-qm", "as found")
    (root / "README").write_text("later\n")
    git("add", "README")
    git("commit", "-qm", "docs", date="2023-01-01T00:00:00+00:00")
    # Every requirement pinned exactly: a complete lock, nothing to date (pip-compile's loose
    # input beside it is not what the stage installs).
    (root / "requirements.in").write_text("Django<3\n")
    git("add", "requirements.in")
    git("commit", "-qm", "pip-compile input")
    env = tox_env(tiny, Stage(release("2.2"), "3.9"))
    assert "UV_CONFIG_FILE" not in dict(env.set_env)
    (root / "requirements.txt").write_text("Django==2.2.28\npytz\n")
    git("add", "requirements.txt")
    git("commit", "-qm", "pytz")
    env = tox_env(tiny, Stage(release("2.2"), "3.9"))
    assert ("UV_CONFIG_FILE", "{tox_root}{/}constraints{/}uv-django22.toml") in env.set_env
    settings = dict(env.files)["constraints/uv-django22.toml"]
    assert 'exclude-newer = "2021-03-04T05:06:07Z"' in settings
    # atomicwrites (pytest <= 4.6 needs it) has no file uploaded before 2022-07-09: as of then.
    assert (
        'exclude-newer-package = { "atomicwrites" = "2022-07-09T04:09:10Z", '
        '"django" = "2100-01-01T00:00:00Z" }'
    ) in settings
    write_tox_ini(root, [env])
    import tomlkit

    parsed = tomlkit.parse((root / ".upgrader" / "constraints" / "uv-django22.toml").read_text())
    assert parsed["pip"]["exclude-newer"] == "2021-03-04T05:06:07Z"
    assert parsed["pip"]["exclude-newer-package"]["atomicwrites"] == "2022-07-09T04:09:10Z"
    locked = constraints_path(root, release("4.2"))
    locked.parent.mkdir(parents=True, exist_ok=True)
    locked.write_text("Django==4.2.16\n")
    assert "UV_CONFIG_FILE" not in dict(tox_env(tiny, Stage(release("4.2"), "3.10")).set_env)


def test_no_history_resolves_as_of_today(tiny: Project) -> None:
    (tiny.root / "requirements.txt").write_text("Django==2.2.28\npytz\n")
    assert "UV_CONFIG_FILE" not in dict(tox_env(tiny, Stage(release("2.2"), "3.9")).set_env)


def test_replace_requirements_rewrites_a_copy(tiny: Project) -> None:
    root = tiny.root
    (root / "requirements").mkdir()
    (root / "requirements" / "base.txt").write_text(
        "django-foo @ git+https://git.example.org/foo.git@v1\n"
        "-e git+https://git.example.org/bar.git#egg=django-bar\n"
        "pytz==2021.1\n"
    )
    (root / "requirements" / "extra.txt").write_text("six==1.16\n")
    (root / "requirements.txt").write_text(
        "Django==2.2.28\n-r requirements/base.txt\n-r requirements/extra.txt\n"
    )
    (root / "pyproject.toml").write_text(
        "[tool.upgrader.replace-requirements]\n"
        '"django-foo" = "django-foo==1.4"\n'
        '"git+https://git.example.org/bar.git" = ""\n'
    )
    project = redetect(tiny)
    env = tox_env(project, Stage(release("2.2"), "3.9"))
    assert env.deps == ("-r {tox_root}{/}constraints{/}project-requirements.txt",)
    files = dict(env.files)
    top = files["constraints/project-requirements.txt"].splitlines()
    assert top[1:] == [
        "Django==2.2.28",
        "-r project-requirements-base.txt",
        "-r ../../requirements/extra.txt",
    ]
    base = files["constraints/project-requirements-base.txt"].splitlines()
    assert base[1:] == [
        "django-foo==1.4",
        "# -e git+https://git.example.org/bar.git#egg=django-bar  "
        "(left out: [tool.upgrader] replace-requirements)",
        "pytz==2021.1",
    ]
    # The project's own files are untouched; the copies are where tox reads them.
    assert "git+https://git.example.org/foo.git" in (root / "requirements" / "base.txt").read_text()
    write_tox_ini(root, [env])
    assert (root / ".upgrader" / "constraints" / "project-requirements-base.txt").is_file()


def test_the_users_env_wins_over_upgraders_defaults(tiny: Project) -> None:
    (tiny.root / "pyproject.toml").write_text('[tool.upgrader]\nenv = {PYTHONWARNINGS = "error"}\n')
    env = tox_env(redetect(tiny), Stage(release("2.2"), "3.9"))
    assert [value for key, value in env.set_env if key == "PYTHONWARNINGS"] == ["error"]


def test_the_result_writer_the_commands_run_is_written_beside_tox_ini(tiny: Project) -> None:
    path = write_tox_ini(tiny.root, [tox_env(tiny, Stage(release("2.2"), "3.8"))])
    writer = path.parent / "result_writer.py"
    assert "result_writer.py" in path.read_text()
    assert writer.is_file()
    compile(writer.read_text("utf-8"), str(writer), "exec")


def test_the_cut_off_is_written_as_uv_reads_it(
    tiny: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cut-off at Django's upload (2019-08-01T08:57:11.5Z) is rounded up, as deps.plan
    passes it (resolve.rfc3339): truncated, Django's own file would be newer than it."""
    from datetime import datetime, timezone

    import upgrader.verify.toxdeps as toxdeps

    moment = datetime(2019, 8, 1, 8, 57, 11, 500000, tzinfo=timezone.utc)
    monkeypatch.setattr(toxdeps, "_cutoff", lambda project: moment)
    (tiny.root / "requirements.txt").write_text("Django>=2.2,<3\npytest\n")
    env = tox_env(redetect(tiny), Stage(release("2.2"), "3.9"))
    settings = dict(env.files)["constraints/uv-django22.toml"]
    assert 'exclude-newer = "2019-08-01T08:57:12Z"' in settings
    assert '"atomicwrites" = "2022-07-09T04:09:10Z"' in settings


def test_a_later_stage_reads_the_declarations_not_an_old_lock(tiny: Project) -> None:
    """A Pipfile.lock the dependency stage could not regenerate (no pipenv) still pins Django
    2.2: the 3.2 stage installs the Pipfile's declarations, pinned by the locked set."""
    import json

    (tiny.root / "requirements.txt").unlink()
    (tiny.root / "Pipfile").write_text('[packages]\ndjango = ">=2.2,<4"\n')
    (tiny.root / "Pipfile.lock").write_text(
        json.dumps({"_meta": {}, "default": {"django": {"version": "==2.2.28"}}, "develop": {}})
    )
    project = redetect(tiny)
    assert tox_env(project, Stage(release("2.2"), "3.9")).deps == ("django==2.2.28",)
    locked = constraints_path(tiny.root, release("3.2"))
    locked.parent.mkdir(parents=True)
    locked.write_text("django==3.2.25\n")
    assert tox_env(project, Stage(release("3.2"), "3.9")).deps == (
        "django<4,>=2.2",
        "-c {tox_root}{/}constraints{/}django-3.2.txt",
    )


SIMPLE_HISTORY_SETUP = (
    "from setuptools import setup\n"
    "setup(\n"
    "    name='django-simple-history',\n"
    "    install_requires=['six'],\n"
    "    tests_require=['Django>=1.11', 'mock==1.0.1', 'six'],\n"
    ")\n"
)
SIMPLE_HISTORY_TOX = (
    "[tox]\nenvlist = py37-django{111,22}\n\n[testenv]\n"
    "deps =\n    coverage\n    django111: Django>=1.11,<1.12\n    django22: Django>=2.2,<2.3\n"
    "    django{111,22}: django-discover-runner\n    dj111: selenium==3.0\n"
    "commands = coverage run -a runtests.py\n"
)


def _reusable_app(tiny: Project) -> Project:
    """The tiny project shaped as simple-history at F6: setup.py (six) and tests_require, tox.ini
    factor deps, and no Django declared anywhere the dependency stage reads."""
    (tiny.root / "requirements.txt").unlink()
    (tiny.root / "setup.py").write_text(SIMPLE_HISTORY_SETUP)
    (tiny.root / "tox.ini").write_text(SIMPLE_HISTORY_TOX)
    return dataclasses.replace(redetect_from(tiny, "2.2"), django_requirements=())


def redetect_from(project: Project, django_from: str) -> Project:
    from upgrader.project import detect_project

    return detect_project(project.root, django_from=django_from)


def test_a_reusable_apps_stage_gets_django_tests_require_and_its_tox_factor(
    tiny: Project,
) -> None:
    """F6 (simple-history): the baseline ran ``runtests.py`` without Django (``six`` and
    ``coverage`` only). Now the stage installs the stage's Django, setup.py's tests_require (its
    Django line replaced) and tox.ini's lines of the stage's factor."""
    project = _reusable_app(tiny)
    env = tox_env(project, Stage(release("2.2"), "3.7"))
    assert env.deps == (
        "six",
        "django==2.2.*",
        "coverage",
        "django-discover-runner",
        "mock==1.0.1",
    )
    # A later stage with a locked set that pins Django: that pin, with -c the set; a stage
    # newer than every factor takes the newest factor before it (django22, not django111).
    locked = constraints_path(project.root, release("3.2"))
    locked.parent.mkdir(parents=True)
    locked.write_text("django==3.2.25\nsix==1.16.0\n")
    assert tox_env(project, Stage(release("3.2"), "3.7")).deps == (
        "six",
        "-c {tox_root}{/}constraints{/}django-3.2.txt",
        "django==3.2.25",
        "coverage",
        "django-discover-runner",
        "mock==1.0.1",
    )
    # The 1.11 factor's own line (dj111: selenium) goes only into a 1.11 stage.
    assert "selenium==3.0" not in tox_env(project, Stage(release("2.2"), "3.7")).deps


def test_the_locked_set_without_django_still_installs_the_stages_django(tiny: Project) -> None:
    project = _reusable_app(tiny)
    locked = constraints_path(project.root, release("3.2"))
    locked.parent.mkdir(parents=True)
    locked.write_text("six==1.16.0\n")  # the dependency stage chose no Django: none declared
    assert "django==3.2.*" in tox_env(project, Stage(release("3.2"), "3.7")).deps


def test_install_requires_is_installed_beside_a_requirements_file(tiny: Project) -> None:
    """F6 rerun: with a requirements.txt (Django, mock) the baseline lost setup.py's six; the
    package's own install_requires always belongs in its test env (it is never installed)."""
    (tiny.root / "setup.py").write_text(SIMPLE_HISTORY_SETUP)
    project = redetect(tiny)
    env = tox_env(project, Stage(release("2.2"), "3.8"))
    assert env.deps[:2] == ("-r {tox_root}{/}..{/}requirements.txt", "six")
    assert not any(line.startswith("django==") for line in env.deps)  # requirements.txt pins it
    locked = constraints_path(project.root, release("3.2"))
    locked.parent.mkdir(parents=True)
    locked.write_text("Django==3.2.25\nsix==1.16.0\n")
    _pin_django(project.root, "3.2.25")
    assert tox_env(project, Stage(release("3.2"), "3.8")).deps[:3] == (
        "-r {tox_root}{/}..{/}requirements.txt",
        "six",
        "-c {tox_root}{/}constraints{/}django-3.2.txt",
    )


def test_the_stage_pins_its_django_where_the_projects_lines_do_not(tiny: Project) -> None:
    """A requirements file naming Django as a range (``Django>=2.0``, with --from 2.2) resolves as
    of the era to whatever that admits; the stage adds its series. An exact pin needs nothing."""
    (tiny.root / "requirements.txt").write_text("Django>=2.0\n")
    project = redetect_from(tiny, "2.2")
    assert tox_env(project, Stage(release("2.2"), "3.8")).deps == (
        "-r {tox_root}{/}..{/}requirements.txt",
        "django==2.2.*",
    )
    # A locked set pins it (-c): nothing added; a set that names no Django: the series.
    locked = constraints_path(project.root, release("3.2"))
    locked.parent.mkdir(parents=True)
    locked.write_text("django==3.2.25\n")
    assert "django==3.2.*" not in tox_env(project, Stage(release("3.2"), "3.8")).deps
    locked.write_text("six==1.16.0\n")
    assert tox_env(project, Stage(release("3.2"), "3.8")).deps[-1] == "django==3.2.*"
