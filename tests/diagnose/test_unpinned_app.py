"""FINDINGS F72: a reusable app whose files name no Django (stepped with ``--from``) can be
diagnosed, automatically and by hand, and its reports re-rendered and status read, without a
``--from``: the trials' project is at the hop's source (the worktree has no ``state.json``),
the commands' at the Django ``state.json`` records."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.detect.conftest import write_tree
from upgrader.cli import main
from upgrader.diagnose.model import DEPENDENCY, Change
from upgrader.diagnose.worktree import WorktreeTrials
from upgrader.errors import DetectionError, StateError
from upgrader.project import Project
from upgrader.releases import Release
from upgrader.step import (
    DONE,
    NEEDS_ATTENTION,
    PHASES,
    HopState,
    PhaseRecord,
    ProjectState,
    save_state,
)
from upgrader.verify.model import TestRun

RUNTESTS = """\
import sys

import django
from django.conf import settings
from django.test.utils import get_runner

settings.configure(
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3"}},
    INSTALLED_APPS=["django.contrib.contenttypes", "tinyapp"],
)

if __name__ == "__main__":
    django.setup()
    sys.exit(bool(get_runner(settings)().run_tests(["tinyapp"])))
"""
APP = {
    # install_requires names no Django: a reusable app leaves it to the project installing it
    "setup.py": "from setuptools import setup\n\nsetup(name='tinyapp', packages=['tinyapp'], "
    "install_requires=['six'])\n",
    "runtests.py": RUNTESTS,
    "tinyapp/__init__.py": "",
    "tinyapp/tests.py": "from django.test import SimpleTestCase\n\n\n"
    "class T(SimpleTestCase):\n    def test_it(self):\n        pass\n",
    ".gitignore": ".upgrader/\n",
}
TEST = "tinyapp.tests.T.test_it"
CHANGES = (Change(DEPENDENCY, "django", None, "3.2.25"),)


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(root), *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def unpinned_app(root: Path) -> str:
    """The app in a repository on its hop branch; the hop's dependency commit."""
    write_tree(root, APP)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "as found")
    git(root, "switch", "-q", "-c", "upgrade/django-3.2")
    git(root, "commit", "-q", "--allow-empty", "-m", "upgrade(django 3.2): dependency set")
    return git(root, "rev-parse", "HEAD")


def hop(status: str, commit: str | None) -> HopState:
    return HopState(
        source="2.2",
        target="3.2",
        python_from="3.8",
        python="3.8",
        git=True,
        branch="upgrade/django-3.2",
        base_commit=None,
        base_branch="main",
        started="2026-01-01T00:00:00+00:00",
        status=status,
        phases=tuple(
            PhaseRecord(name, DONE, commit) if name == "dependencies" else PhaseRecord(name)
            for name in PHASES
        ),
        tests_after={"failures": [TEST], "error_ids": [], "elapsed": 1.0, "log": ""},
    )


def trials(root: Path, commit: str, source: str | None) -> WorktreeTrials:
    return WorktreeTrials(
        root,
        target="3.2",
        python="3.8",
        dependency_commit=commit,
        source=source,
        rewrite_commit=None,
        constraints=None,
        changes=CHANGES,
        files=(),
        budget=600.0,
        timeout=60.0,
    )


def test_a_trial_of_an_unpinned_app_runs_at_the_hops_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "tinyapp"
    commit = unpinned_app(root)
    seen: list[Project] = []

    def stage(project: Project, release: Release, **_kw: object) -> TestRun:
        seen.append(project)
        return TestRun(
            "3.2", "django32", "3.8.18", "django", ("python", "runtests.py"), 0, 1, 0, 0,
            (TEST,), (), (), None, 1.0, tmp_path / "trial.log", 1,
        )  # fmt: skip

    monkeypatch.setattr("upgrader.diagnose.worktree.verify_stage", stage)
    (tmp_path / "trial.log").write_text("")
    with trials(root, commit, "2.2") as runner:
        trial = runner.run(frozenset({"django"}), frozenset(), frozenset({TEST}))
    assert trial.why == "" and trial.failing == (TEST,), trial
    [project] = seen
    assert str(project.django_version).startswith("2.2") and not project.django_requirements
    with trials(root, commit, None) as runner, pytest.raises(DetectionError):
        runner.run(frozenset({"django"}), frozenset(), frozenset({TEST}))  # no source: as before


def test_diagnose_report_and_status_by_hand_need_no_from(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "tinyapp"
    commit = unpinned_app(root)
    save_state(root, ProjectState(current=hop(NEEDS_ATTENTION, commit)))
    diagnosed: list[Path] = []

    def diagnose_hop(path: Path, **_kw: object) -> object:
        diagnosed.append(path)
        raise StateError("stopped by the test")

    monkeypatch.setattr("upgrader.diagnose.run.diagnose_hop", diagnose_hop)
    assert main(["diagnose", str(root)]) == 2
    assert [p.resolve() for p in diagnosed] == [root.resolve()]
    err = capsys.readouterr().err
    assert "stopped by the test" in err and "no Django requirement" not in err

    assert main(["status", str(root)]) == 1  # the hop needs attention
    captured = capsys.readouterr()
    assert "no Django requirement" not in captured.err and "Django now: 2.2" in captured.out

    save_state(root, ProjectState(history=(hop("done", commit),)))
    assert main(["report", str(root)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    # past detection: the report folder of the recorded hop is read
    assert "no saved report at" in err and "django-3.2" in err, err
    assert "no Django requirement" not in err


def test_without_any_record_the_commands_still_ask_for_from(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "tinyapp"
    unpinned_app(root)
    assert main(["report", str(root)]) == 2
    assert "no Django requirement found" in capsys.readouterr().err
