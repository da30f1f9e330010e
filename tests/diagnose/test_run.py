"""``diagnose_hop`` over a real git repository and saved hop state, with trials decided by a
model (the real trials: tests/e2e/test_diagnose.py): causes with frames, the files written,
``--revert-breaking``'s commit and manual item, and the refusals."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

from tests.diagnose.test_bisect import Model
from upgrader.diagnose.bisect import TrialRunner
from upgrader.diagnose.model import Change
from upgrader.diagnose.render import render_text
from upgrader.diagnose.run import RunnerFactory, diagnose_hop
from upgrader.errors import UsageError
from upgrader.plan import DependencyChange
from upgrader.report import FileDiff
from upgrader.step import (
    DONE,
    NEEDS_ATTENTION,
    PHASES,
    HopState,
    PhaseRecord,
    ProjectState,
    load_state,
    save_state,
)

VIEWS_BEFORE = "from django.utils.translation import ugettext\n"
VIEWS_AFTER = "from django.utils.translation import gettext\n"
LOG = """\
ERROR: test_api (app.tests.ApiTests)
----------------------------------------------------------------------
Traceback (most recent call last):
  File "{root}/app/tests.py", line 9, in test_api
    api.version()
  File "{root}/app/api.py", line 7, in version
    raise RuntimeError("gone")
RuntimeError: gone

----------------------------------------------------------------------
Ran 2 tests in 0.1s
"""


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(root), *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def commit(root: Path, message: str) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-qm", message)
    return git(root, "rev-parse", "HEAD")


def red_hop(root: Path) -> None:
    """A repository with a hop's three phase commits and its saved, red state."""
    (root / "app").mkdir(parents=True)
    (root / "requirements.txt").write_text("Django==2.2.28\nplantedpkg==1.0\n")
    (root / "app" / "views.py").write_text(VIEWS_BEFORE)
    (root / ".gitignore").write_text(".upgrader/\n")
    git(root, "init", "-q", "-b", "main")
    base = commit(root, "as found")
    git(root, "switch", "-q", "-c", "upgrade/django-3.2")
    (root / "requirements.txt").write_text("Django==3.2.25\nplantedpkg==2.0\n")
    deps = commit(root, "dependencies")
    (root / "app" / "views.py").write_text(VIEWS_AFTER)
    rewrite = commit(root, "rewrite")
    log = root / ".upgrader" / "logs" / "django32.log"
    log.parent.mkdir(parents=True)
    log.write_text(LOG.format(root=root))
    commits = {"dependencies": deps, "rewrite": rewrite}
    hop = HopState(
        source="2.2",
        target="3.2",
        python_from="3.8",
        python="3.8",
        git=True,
        branch="upgrade/django-3.2",
        base_commit=base,
        base_branch="main",
        started="2026-01-01T00:00:00+00:00",
        status=NEEDS_ATTENTION,
        phases=tuple(
            PhaseRecord(name, DONE, commits.get(name)) if name in commits else PhaseRecord(name)
            for name in PHASES
        ),
        dependencies=(
            DependencyChange("Django", "2.2.28", "3.2.25", "target"),
            DependencyChange("plantedpkg", "1.0", "2.0", "Django 3.2"),
            DependencyChange("sqlparse", "0.4.4", "0.4.4", "kept"),
        ),
        files=(
            FileDiff(
                "app/views.py",
                "--- a/app/views.py\n+++ b/app/views.py\n@@ -1 +1 @@\n-"
                + VIEWS_BEFORE
                + "+"
                + VIEWS_AFTER,
                ("utils_translation",),
                1,
                1,
            ),
        ),
        tests_after={
            "failures": ["app.tests.ViewTests.test_greeting"],
            "error_ids": ["app.tests.ApiTests.test_api"],
            "elapsed": 2.0,
            "log": str(log),
        },
    )
    save_state(root, ProjectState(current=hop))


def factory(model: Model) -> tuple[RunnerFactory, list[tuple[Sequence[Change], Sequence[Change]]]]:
    seen: list[tuple[Sequence[Change], Sequence[Change]]] = []

    def make(
        root: Path, hop: HopState, deps: Sequence[Change], files: Sequence[Change], budget: float
    ) -> TrialRunner:
        seen.append((deps, files))
        return model

    return make, seen


MODEL = {
    "app.tests.ApiTests.test_api": [frozenset({"plantedpkg"})],
    "app.tests.ViewTests.test_greeting": [frozenset({"app/views.py"})],
}


def test_causes_frames_and_the_files_written(tmp_path: Path) -> None:
    red_hop(tmp_path)
    make, seen = factory(Model(dict(MODEL)))
    diagnosis = diagnose_hop(tmp_path, runner=make)
    [(deps, files)] = seen
    assert [c.name for c in deps] == ["django", "plantedpkg"]  # sqlparse did not move
    assert [(c.name, c.rules) for c in files] == [("app/views.py", ("utils_translation",))]
    lines = render_text(diagnosis)
    assert (
        "test app.tests.ApiTests.test_api fails because of plantedpkg 1.0 -> 2.0 (rule-free); "
        "the traceback's last project frame is app/api.py:7 (RuntimeError: gone)"
    ) in lines
    assert (
        "test app.tests.ViewTests.test_greeting fails because of rule utils_translation in "
        "app/views.py"
    ) in lines
    folder = tmp_path / ".upgrader" / "reports" / "django-3.2"
    data = json.loads((folder / "diagnosis.json").read_text())
    assert data["schema"] == 1 and len(data["causes"]) == 2
    assert "-from django.utils.translation import ugettext" in (folder / "diagnosis.md").read_text()
    assert (tmp_path / "app" / "views.py").read_text() == VIEWS_AFTER  # nothing reverted


def test_revert_breaking_commits_the_file_back_and_lists_a_manual_item(tmp_path: Path) -> None:
    red_hop(tmp_path)
    head = git(tmp_path, "rev-parse", "HEAD")
    make, _seen = factory(Model(dict(MODEL)))
    diagnosis = diagnose_hop(tmp_path, runner=make, revert_breaking=True)
    assert (tmp_path / "app" / "views.py").read_text() == VIEWS_BEFORE
    [reverted] = diagnosis.reverted
    assert reverted.file == "app/views.py" and reverted.commit == git(tmp_path, "rev-parse", "HEAD")
    assert git(tmp_path, "rev-parse", "HEAD~1") == head
    assert git(tmp_path, "show", "--name-only", "--format=%s", "HEAD").splitlines() == [
        "upgrader diagnose: revert utils_translation in app/views.py",
        "",
        "app/views.py",
    ]
    hop = load_state(tmp_path).current
    assert hop is not None
    assert [(m.id, m.file, m.line) for m in hop.manual] == [("reverted-rewrite", "app/views.py", 1)]
    assert any("utils_translation was reverted in app/views.py" in n for n in hop.notes)


def test_revert_breaking_refuses_another_branch_and_a_dirty_tree(tmp_path: Path) -> None:
    red_hop(tmp_path)
    make, _seen = factory(Model(dict(MODEL)))
    git(tmp_path, "switch", "-q", "main")
    with pytest.raises(UsageError, match="is checked out"):
        diagnose_hop(tmp_path, runner=make, revert_breaking=True)
    git(tmp_path, "switch", "-q", "upgrade/django-3.2")
    (tmp_path / "requirements.txt").write_text("edited\n")
    with pytest.raises(UsageError, match=r"clean tree; changed: requirements\.txt"):
        diagnose_hop(tmp_path, runner=make, revert_breaking=True)
