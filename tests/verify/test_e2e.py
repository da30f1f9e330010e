"""The verify stage for real: tox, tox-uv or virtualenv, packages from the index, Django 2.2."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.verify.tinyproject import make_tiny_project
from upgrader.errors import VerifyError
from upgrader.interpreters import Interpreter, find_for
from upgrader.project import detect_project
from upgrader.releases import Release, get_release
from upgrader.verify.command import render_text, run_verify
from upgrader.verify.deprecations import PROJECT
from upgrader.verify.run import ToxInvocation, verify_stage

pytestmark = pytest.mark.e2e

SAMPLE_PROJECTS = Path(__file__).resolve().parent.parent.parent / "sample_projects"


def stage_22() -> Release:
    found = get_release("2.2")
    assert found is not None
    return found


@pytest.fixture(scope="module")
def python38() -> Interpreter:
    return find_for(stage_22(), prefer="3.8")


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file outside .upgrader/, with its content."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".upgrader" not in p.relative_to(root).parts
    }


def test_green_run_with_deprecation_warnings(tmp_path: Path, python38: Interpreter) -> None:
    root = make_tiny_project(tmp_path / "tiny")
    before = snapshot(root)
    run = verify_stage(detect_project(root), stage_22(), python=python38)
    assert (run.passed, run.failed, run.errors, run.skipped) == (3, 0, 0, 1)
    assert run.green and run.runner == "django" and run.python.startswith("3.8.")
    (finding,) = [w for w in run.warnings if w.origin == PROJECT]
    assert (finding.location, finding.category, finding.removed_in) == (
        "notes/clock.py:5",
        "RemovedInDjango31Warning",
        "3.1",
    )
    assert run.log.is_file() and run.log.is_relative_to(root / ".upgrader" / "logs")
    # Tests ran, environments were built, and nothing outside .upgrader/ changed.
    assert snapshot(root) == before


def test_failing_test_is_reported_with_its_pytest_id(tmp_path: Path, python38: Interpreter) -> None:
    root = make_tiny_project(tmp_path / "tiny", failing=True, pytest=True)
    run = verify_stage(detect_project(root), stage_22(), python=python38)
    assert run.runner == "pytest" and not run.green
    assert run.failures == ("notes/tests.py::NoteTests::test_fails",)
    assert (run.passed, run.failed, run.skipped) == (3, 1, 1)
    assert [w.location for w in run.warnings if w.origin == PROJECT] == ["notes/clock.py:5"]


def test_accept_failing_then_a_new_failure(tmp_path: Path, python38: Interpreter) -> None:
    root = make_tiny_project(tmp_path / "tiny", failing=True)
    accepted = run_verify(root, "2.2", accept_failing=True, python=python38)
    assert accepted.exit_code == 0
    assert accepted.run.failing == ("notes.tests.NoteTests.test_fails",)
    make_tiny_project(root, failing=True, crash_at_import=True)
    worse = run_verify(root, "2.2", python=python38)
    assert worse.new_failures == ("notes.test_broken",) and worse.exit_code == 1
    assert "notes.test_broken" in render_text(worse)


def test_hanging_run_is_stopped(tmp_path: Path, python38: Interpreter) -> None:
    root = make_tiny_project(tmp_path / "tiny", hang=True)
    with pytest.raises(VerifyError, match="did not finish within 45 seconds") as info:
        verify_stage(detect_project(root), stage_22(), python=python38, timeout=45)
    assert info.value.path is not None
    assert "test_hangs" in info.value.path.read_text()


def test_settings_that_do_not_import(tmp_path: Path, python38: Interpreter) -> None:
    root = make_tiny_project(tmp_path / "tiny", extra_settings="import no_such_module_here\n")
    with pytest.raises(VerifyError, match="stopped before running any test") as info:
        verify_stage(detect_project(root), stage_22(), python=python38)
    assert info.value.path is not None
    assert "No module named 'no_such_module_here'" in info.value.path.read_text()


def test_dependencies_that_do_not_install(tmp_path: Path, python38: Interpreter) -> None:
    root = make_tiny_project(
        tmp_path / "tiny", pin="Django==2.2.28\nupgrader-no-such-package-anywhere==1.0"
    )
    with pytest.raises(VerifyError, match=r"dependencies of the Django 2\.2 stage failed") as info:
        verify_stage(detect_project(root), stage_22(), python=python38)
    assert info.value.path is not None and info.value.path.is_file()


def test_plain_tox_virtualenv_runner(tmp_path: Path) -> None:
    # Python 3.9: the virtualenv that tox brings no longer creates 3.8 environments.
    python39 = find_for(stage_22(), prefer="3.9")
    root = make_tiny_project(tmp_path / "tiny")
    tox = ToxInvocation(runner="virtualenv")
    run = verify_stage(detect_project(root), stage_22(), python=python39, tox=tox)
    assert run.green and run.passed == 3 and run.python.startswith("3.9.")
    assert "python -I -m pip install" in run.log.read_text()


def test_plain_virtualenv_on_python_38_says_what_to_do(
    tmp_path: Path, python38: Interpreter
) -> None:
    root = make_tiny_project(tmp_path / "tiny")
    tox = ToxInvocation(runner="virtualenv")
    try:
        run = verify_stage(detect_project(root), stage_22(), python=python38, tox=tox)
    except VerifyError as error:
        assert "could not create the Django 2.2 environment" in error.message
        assert error.hint is not None and "tox-uv" in error.hint
    else:  # an older virtualenv still creates it
        assert run.green


SAMPLES = [
    pytest.param("polls", "django", "RemovedInDjango30Warning", id="polls-django-runner"),
    pytest.param("shop", "pytest", "RemovedInDjango30Warning", id="shop-pytest"),
    pytest.param("newsroom", "django", "RemovedInDjango30Warning", id="newsroom-pep621"),
]


@pytest.mark.parametrize(("name", "runner", "category"), SAMPLES)
def test_sample_project_stage_22(tmp_path: Path, name: str, runner: str, category: str) -> None:
    if not (SAMPLE_PROJECTS / name / "manage.py").is_file():
        pytest.skip(f"sample_projects/{name} is not there")
    root = tmp_path / name
    shutil.copytree(SAMPLE_PROJECTS / name, root)
    result = run_verify(root, "2.2")
    run = result.run
    assert run.green and result.exit_code == 0, render_text(result)
    assert run.runner == runner and run.passed > 20
    assert any(w.category == category for w in run.warnings)
    assert all(w.line > 0 and w.file for w in run.warnings)


REPOSITORY = Path(__file__).resolve().parent.parent.parent


@pytest.fixture(scope="module")
def default_install(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """upgrader as a user gets it: ``pip install .`` (no extras) into a fresh venv; its bin/."""
    import subprocess
    import sys

    venv = tmp_path_factory.mktemp("default-install") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    source = tmp_path_factory.mktemp("source") / "upgrader"
    # A copy of the tracked sources: the build must not write into the working tree.
    shutil.copytree(
        REPOSITORY,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "*.egg-info", "build", "__pycache__", ".*_cache", "sample_projects"
        ),
    )
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(source)],
        check=True,
        timeout=600,
    )
    return venv / "bin"


def test_default_install_builds_a_python_37_stage(tmp_path: Path, default_install: Path) -> None:
    # virtualenv 21 (tox's own) cannot seed Python 3.7: the default install makes it with uv.
    import os
    import subprocess

    # Legacy installs too: celery 4.4.7's metadata (pytz>dev) that new pip rejects, and an sdist
    # (anyjson 0.3.3, use_2to3) that builds only with the setuptools the project caps.
    root = make_tiny_project(tmp_path / "tiny", pin="Django==2.2.28\ncelery==4.4.7\nanyjson==0.3.3")
    (root / "pyproject.toml").write_text(
        '[tool.upgrader]\npython = "3.7"\nenv = {TINY_FLAG = "on"}\n'
        'build-constraints = ["setuptools<58"]\n'
    )
    with (root / "notes" / "tests.py").open("a") as handle:
        handle.write(
            "\n\nimport os as _os\n\n\nclass EnvTests(TestCase):\n"
            "    def test_flag(self):\n"
            "        self.assertEqual(_os.environ.get('TINY_FLAG'), 'on')\n"
        )
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    env["PATH"] = f"{default_install}{os.pathsep}{env.get('PATH', '')}"
    result = subprocess.run(
        [str(default_install / "upgrader"), "verify", str(root)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Django 2.2 on Python 3.7" in result.stdout and ": green" in result.stdout
    assert "4 passed, 0 failed" in result.stdout
    (log,) = (root / ".upgrader" / "logs").glob("django22-*.log")
    assert "uv venv" in log.read_text()  # tox-uv made it


def test_default_install_walks_a_sample_project_to_52(
    tmp_path: Path, default_install: Path
) -> None:
    # issue 16: `pip install .` without extras walks a sample project 2.2 -> 3.2 -> 4.2 -> 5.2
    # (about two minutes with a warm uv cache).
    import json
    import os
    import subprocess

    if not (SAMPLE_PROJECTS / "polls" / "manage.py").is_file():
        pytest.skip("sample_projects/polls is not there")
    root = tmp_path / "polls"
    shutil.copytree(
        SAMPLE_PROJECTS / "polls",
        root,
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "db.sqlite3", ".upgrader"),
    )
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    env.update(
        PATH=f"{default_install}{os.pathsep}{env.get('PATH', '')}",
        CI="1",
        NO_COLOR="1",
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@t",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@t",
    )

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            list(args), cwd=root, env=env, capture_output=True, text=True, timeout=900, check=False
        )

    for args in (
        ["git", "init", "-q", "-b", "main"],
        ["git", "add", "-A"],
        ["git", "commit", "-qm", "as found"],
    ):
        assert run(*args).returncode == 0
    for stage in ("3.2", "4.2", "5.2"):
        result = run(str(default_install / "upgrader"), "step")
        assert result.returncode == 0, f"hop to {stage}:\n{result.stdout}\n{result.stderr}"
        report = root / ".upgrader" / "reports" / f"django-{stage}" / "report.json"
        data = json.loads(report.read_text())
        assert (data["to"], data["status"]) == (stage, "done")
        assert data["tests_after"]["failed"] == 0 and data["tests_after"]["errors"] == 0
    assert run("git", "branch", "--show-current").stdout.strip() == "upgrade/django-5.2"
