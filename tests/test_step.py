"""The hop transaction with stand-in stages (our own logic) over a real git repository."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from packaging.version import Version

from upgrader.errors import ResolutionError, StateError, UpgraderError, VerifyError
from upgrader.hops import Hop
from upgrader.interpreters import Interpreter
from upgrader.plan import BlockedPackage, DependencyChange, ManualItem, RewriteCount
from upgrader.project import Project
from upgrader.report import FileDiff
from upgrader.state import HopLock
from upgrader.step import (
    COMPLETE,
    MANUAL_OPEN,
    NEEDS_ATTENTION,
    DependencyOutcome,
    MigrationsOutcome,
    RewriteOutcome,
    Step,
    StepOptions,
    TestsRedError,
    load_state,
    rollback,
    status_lines,
)
from upgrader.verify.deprecations import DeprecationFinding
from upgrader.verify.run import TestRun

PROJECT_FILES = {
    "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_cfg.settings')\n",
    "requirements.txt": "Django==2.2.28\n",
    ".python-version": "3.8\n",
    "site_cfg/__init__.py": "",
    "site_cfg/settings.py": "SECRET_KEY = 'x'\n",
    "app/__init__.py": "",
    "app/views.py": "from django.conf.urls import url\n",
}


# What the stand-in makemigrations leaves besides migrations: never committed, left in place.
SIDE_EFFECTS = "?? app/__pycache__/\n?? db.sqlite3\n"


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), *args], check=True, capture_output=True, text=True
    ).stdout


def tree(root: Path) -> dict[str, str]:
    """Every tracked-or-untracked file's content, excluding .git and run-time state."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if (
            path.is_file()
            and not rel.startswith((".git/", ".upgrader/"))
            and "__pycache__" not in path.parts
        ):
            out[rel] = path.read_text(errors="replace")
    return out


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    for rel, text in PROJECT_FILES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    git(root.parent, "init", "-q", "-b", "main", str(root))
    git(root, "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "initial")
    return root


def fake_run(stage: str, root: Path, *, failing: tuple[str, ...] = ()) -> dict[str, Any]:
    log = root / ".upgrader" / "logs" / f"django{stage.replace('.', '')}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text("FAILED\n" if failing else "OK\n")
    return TestRun(
        stage=stage,
        env=f"django{stage.replace('.', '')}",
        python="3.8.18",
        runner="django",
        command=("tox", "run"),
        passed=10 - len(failing),
        failed=len(failing),
        errors=0,
        skipped=0,
        failures=failing,
        error_ids=(),
        warnings=(
            DeprecationFinding(
                "app/views.py",
                1,
                "RemovedInDjango40Warning",
                "url() is deprecated",
                "project",
                "4.0",
            ),
        ),
        duration=0.5,
        elapsed=1.0,
        log=log,
        exit_code=1 if failing else 0,
    ).to_json()


class FakeStages:
    """Stages that change files like the real ones would, and record the calls."""

    def __init__(
        self,
        *,
        red_on: set[str] | None = None,
        interrupt_in: str | None = None,
        manual_items: int = 0,
        unmigrated_on: set[str] | None = None,
        makemigrations_crashes: bool = False,
        pre_test: bool = False,
        extra_failing: dict[str, tuple[str, ...]] | None = None,
    ) -> None:
        self.calls: list[str] = []
        self.extra_failing = extra_failing or {}  # stage -> more failing test ids
        self.red_on = red_on or set()
        self.interrupt_in = interrupt_in
        self.manual_items = manual_items
        self.unmigrated_on = unmigrated_on or set()
        self.makemigrations_crashes = makemigrations_crashes
        self.pre_test = pre_test

    def dependencies(self, project: Project, hop: Hop, options: StepOptions) -> DependencyOutcome:
        self.calls.append(f"dependencies {hop.target.name}")
        (project.root / "requirements.txt").write_text(f"Django=={hop.target.name}.0\n")
        if self.interrupt_in == "dependencies":
            self.interrupt_in = None
            raise KeyboardInterrupt
        constraints = project.root / ".upgrader" / "constraints" / f"django-{hop.target.name}.txt"
        constraints.parent.mkdir(parents=True, exist_ok=True)
        constraints.write_text(f"django=={hop.target.name}.0\n")
        return DependencyOutcome(
            changes=(DependencyChange("django", "2.2.28", f"{hop.target.name}.0", "newest patch"),),
            blocked=(),
            packages={"django": f"{hop.target.name}.0"},
            constraints=constraints.relative_to(project.root).as_posix(),
            files=("requirements.txt",),
            commands_to_run=(),
            notes=(),
        )

    def rewrite(self, project: Project, hop: Hop, packages: dict[str, str]) -> RewriteOutcome:
        self.calls.append(f"rewrite {hop.target.name}")
        views = project.root / "app" / "views.py"
        before = views.read_text()
        views.write_text("from django.urls import re_path\n")
        (project.root / "app" / "half_written.py").write_text("x = 1\n")
        if self.interrupt_in == "rewrite":
            self.interrupt_in = None
            raise KeyboardInterrupt
        (project.root / "app" / "half_written.py").unlink()
        diff = f"--- a/app/views.py\n+++ b/app/views.py\n@@ -1 +1 @@\n-{before}+from django.urls import re_path\n"
        return RewriteOutcome(
            rewrites=(RewriteCount("django-upgrade:django_urls", 1, ("app/views.py",)),),
            files=(FileDiff("app/views.py", diff, ("django-upgrade:django_urls",), 1, 1),),
            skipped=(),
            notes=(),
        )

    def verify(
        self,
        project: Project,
        stage: str,
        python: str,
        constraints: str | None,
        options: StepOptions,
    ) -> dict[str, Any]:
        self.calls.append(f"verify {stage}")
        # Like the real stage: the stage's env in upgrader's own tox.ini.
        tox_ini = project.root / ".upgrader" / "tox.ini"
        tox_ini.parent.mkdir(exist_ok=True)
        tox_ini.write_text(f"[testenv:django{stage.replace('.', '')}]\n")
        if self.pre_test:  # the project's pre-test `collectstatic`, run before its tests
            static = project.root / "staticfiles"
            static.mkdir(exist_ok=True)
            (static / f"app.{stage}.css").write_text("body {}\n")
            (static / "staticfiles.json").write_text(f'{{"stage": "{stage}"}}\n')
        if self.interrupt_in == "verify" and stage != "2.2":  # the hop's run, not the baseline
            self.interrupt_in = None
            raise KeyboardInterrupt
        failing = ("app.tests.T.test_x",) if stage in self.red_on else ()
        failing += self.extra_failing.get(stage, ())
        return fake_run(stage, project.root, failing=failing)

    def migrations(
        self,
        project: Project,
        stage: str,
        python: str,
        constraints: str | None,
        options: StepOptions,
    ) -> MigrationsOutcome:
        self.calls.append(f"migrations {stage}")
        path = project.root / "app" / "migrations" / f"0002_django_{stage.replace('.', '_')}.py"
        path.parent.mkdir(exist_ok=True)
        path.write_text("# generated\n")
        # What running makemigrations leaves besides migrations: not for a commit.
        (project.root / "db.sqlite3").write_bytes(b"SQLite format 3\0")
        cache = project.root / "app" / "__pycache__"
        cache.mkdir(exist_ok=True)
        (cache / "models.cpython-38.pyc").write_bytes(b"\x55\x0d")
        if self.interrupt_in == "migrations":
            self.interrupt_in = None
            raise KeyboardInterrupt
        if self.makemigrations_crashes:
            path.unlink()
            failed = "`manage.py makemigrations` failed on Django 3.2 (ImportError: boom)"
            return MigrationsOutcome((), (failed,), failed=failed)
        return MigrationsOutcome((path.relative_to(project.root).as_posix(),), ())

    def check_migrations(
        self,
        project: Project,
        stage: str,
        python: str,
        constraints: str | None,
        options: StepOptions,
    ) -> str | None:
        if stage in self.unmigrated_on:
            return f"`makemigrations --check` is not clean on Django {stage}: app has changes"
        return None

    def installed(
        self,
        project: Project,
        stage: str,
        python: str,
        constraints: str | None,
        options: StepOptions,
    ) -> dict[str, str]:
        """Like the real env: what the stage's constraints file pins."""
        if constraints is None or not (project.root / constraints).is_file():
            return {}
        pins = (project.root / constraints).read_text().split()
        return dict(line.lower().split("==", 1) for line in pins if "==" in line)

    def manual(
        self,
        project: Project,
        hop: Hop,
        packages: dict[str, str],
        dependencies: tuple[DependencyChange, ...],
    ) -> tuple[ManualItem, ...]:
        return tuple(
            ManualItem(f"x{i}", "app/views.py", 1, "something", "do this", "https://docs/")
            for i in range(self.manual_items)
        )


def machine(python: str) -> Interpreter:
    return Interpreter(Version(python + ".1"), Path(f"/fake/python{python}"), "test")


def step(root: Path, stages: FakeStages, **options: Any) -> Any:
    return Step(root, StepOptions(**options), stages=stages, find=machine).run()


def test_a_hop_is_a_branch_with_one_commit_per_phase_and_a_report(project: Path) -> None:
    base = git(project, "rev-parse", "HEAD").strip()
    stages = FakeStages()
    result = step(project, stages)
    assert result.exit_code == 0, result.message
    assert stages.calls == [
        "verify 2.2",
        "dependencies 3.2",
        "rewrite 3.2",
        "migrations 3.2",
        "verify 3.2",
    ]
    assert git(project, "branch", "--show-current").strip() == "upgrade/django-3.2"
    subjects = git(project, "log", "--format=%s", f"{base}..HEAD").splitlines()
    assert subjects == [
        "upgrade(django 3.2): upgrade report",
        "upgrade(django 3.2): tests",
        "upgrade(django 3.2): migrations",
        "upgrade(django 3.2): code, settings and template rewrites",
        "upgrade(django 3.2): dependency set",
    ]
    # makemigrations' side effects stay untracked; the migrations commit is migrations only.
    assert git(project, "status", "--porcelain") == SIDE_EFFECTS
    assert git(project, "show", "--format=", "--name-only", "HEAD~2").split() == [
        "app/migrations/0002_django_3_2.py"
    ]
    report = project / ".upgrader" / "reports" / "django-3.2"
    data = json.loads((report / "report.json").read_text())
    assert (data["from"], data["to"], data["status"]) == ("2.2", "3.2", "done")
    assert data["tests_after"]["passed"] == 10
    assert "app/views.py" in (report / "report.md").read_text()
    assert (report / "report.html").read_text().lstrip().lower().startswith("<!doctype html>")
    state = load_state(project)
    assert state.current is None and [h.status for h in state.history] == [COMPLETE]


def test_the_next_step_starts_from_the_last_hop_and_reuses_its_green_run(project: Path) -> None:
    step(project, FakeStages())
    stages = FakeStages()
    result = step(project, stages)
    assert result.exit_code == 0
    # No new baseline run: the last hop's green run is the baseline.
    assert stages.calls == ["dependencies 4.2", "rewrite 4.2", "migrations 4.2", "verify 4.2"]
    assert git(project, "branch", "--show-current").strip() == "upgrade/django-4.2"


def test_dirty_tree_and_missing_git_are_refused(project: Path, tmp_path: Path) -> None:
    (project / "app" / "views.py").write_text("# my work in progress\n")
    with pytest.raises(StateError, match=r"uncommitted changes: app/views\.py"):
        step(project, FakeStages())
    assert (project / "app" / "views.py").read_text() == "# my work in progress\n"
    plain = tmp_path / "plain"
    for rel, text in PROJECT_FILES.items():
        (plain / rel).parent.mkdir(parents=True, exist_ok=True)
        (plain / rel).write_text(text)
    with pytest.raises(StateError, match="not in a git repository") as info:
        step(plain, FakeStages())
    assert "--no-git" in (info.value.hint or "")


def test_a_held_lock_is_refused(project: Path) -> None:
    with HopLock(project, "another step"), pytest.raises(StateError, match="another upgrader run"):
        step(project, FakeStages())


def _verify_summary(project: Path, target: str) -> str:
    hop = next(h for h in load_state(project).history if h.target == target)
    return hop.phase("verify").summary or ""


def test_accepted_failures_are_judged_on_later_hops_without_the_flag(project: Path) -> None:
    stages = FakeStages(red_on={"2.2", "3.2", "4.2"})
    first = step(project, stages, accept_failing=True)
    assert first.exit_code == 0, first.message
    second = step(project, stages)  # 3.2 -> 4.2, --accept-failing not repeated
    assert second.exit_code == 0, second.message
    for target in ("3.2", "4.2"):
        summary = _verify_summary(project, target)
        assert (
            summary == f"tests on Django {target}: 9 passed, 1 failed, all accepted in the baseline"
        )
    # what was accepted is the baseline's failures, never a failure a hop adds
    last = load_state(project).history[-1].tests_after
    assert last is not None and last["accepted"] == ["app.tests.T.test_x"]


def test_a_green_run_still_says_green(project: Path) -> None:
    assert step(project, FakeStages()).exit_code == 0
    assert _verify_summary(project, "3.2").startswith("tests green on Django 3.2: 10 passed")


def test_continue_judges_against_the_accepted_baseline_without_the_flag(project: Path) -> None:
    stages = FakeStages(red_on={"2.2", "3.2"}, unmigrated_on={"3.2"})
    result = step(project, stages, accept_failing=True)
    assert result.exit_code == 1
    assert "fail only where the baseline accepts it, but `makemigrations --check`" in result.message
    stages.unmigrated_on = set()  # the developer adds the migration
    result = step(project, stages, resume=True)  # no --accept-failing
    assert result.exit_code == 0, result.message
    assert "all accepted in the baseline" in _verify_summary(project, "3.2")


def test_a_failure_the_hop_adds_is_not_accepted(project: Path) -> None:
    stages = FakeStages(red_on={"3.2"})
    assert (
        step(project, stages, accept_failing=True).exit_code == 1
    )  # green baseline: nothing to accept


def test_a_red_hop_names_its_new_failures_not_the_accepted_ones(project: Path) -> None:
    stages = FakeStages(red_on={"2.2", "3.2"}, extra_failing={"3.2": ("app.tests.T.test_new",)})
    result = step(project, stages, accept_failing=True)
    assert result.exit_code == 1
    assert "the tests fail on 3.2 (app.tests.T.test_new; 1 more fail as the baseline accepted)" in (
        result.message
    )
    assert "test_x" not in result.message.split("Report:")[0]


def test_red_baseline_stops_before_any_change(project: Path) -> None:
    with pytest.raises(TestsRedError, match=r"fail on its current Django 2\.2") as info:
        step(project, FakeStages(red_on={"2.2"}))
    assert "--accept-failing" in (info.value.hint or "")
    assert git(project, "branch", "--show-current").strip() == "main"
    assert load_state(project).current is None


def test_failing_tests_need_attention_then_continue_finishes(project: Path) -> None:
    stages = FakeStages(red_on={"3.2"})
    result = step(project, stages)
    assert result.exit_code == 1
    assert "app.tests.T.test_x" in result.message and "--continue" in result.message
    state = load_state(project)
    assert state.current is not None and state.current.status == NEEDS_ATTENTION
    report = json.loads(
        (project / ".upgrader" / "reports" / "django-3.2" / "report.json").read_text()
    )
    assert report["status"] == "needs-attention"
    assert report["tests_after"]["failures"] == ["app.tests.T.test_x"]
    lines = status_lines(project)
    assert any("needs-attention" in line and "2.2 -> 3.2" in line for line in lines)
    assert lines[-1] == "Ahead (to the newest LTS): 4.2 -> 5.2"
    # The next hop never starts on red.
    with pytest.raises(StateError, match="needs attention"):
        step(project, FakeStages())
    # The developer fixes the test, then continues.
    (project / "app" / "fix.py").write_text("fixed = True\n")
    fixed = FakeStages()
    result = step(project, fixed, resume=True)
    assert result.exit_code == 0, result.message
    assert fixed.calls == ["verify 3.2"]
    log = git(project, "log", "--format=%s", "-3")
    assert "manual fixes" in log
    assert load_state(project).history[-1].status == COMPLETE


@pytest.mark.parametrize("phase", ["dependencies", "rewrite", "migrations", "verify"])
def test_an_interrupted_hop_resumes_to_the_same_result(
    project: Path, tmp_path: Path, phase: str
) -> None:
    # The uninterrupted run, on a copy, is the reference.
    reference = tmp_path / "reference"
    subprocess.run(["cp", "-a", str(project), str(reference)], check=True)
    step(reference, FakeStages())
    with pytest.raises(KeyboardInterrupt):
        step(project, FakeStages(interrupt_in=phase))
    assert load_state(project).current is not None
    result = step(project, FakeStages())
    assert result.exit_code == 0, result.message
    assert tree(project) == tree(reference)
    assert git(project, "status", "--porcelain") == SIDE_EFFECTS
    ours = git(project, "log", "--format=%s", "main..HEAD")
    assert ours == git(reference, "log", "--format=%s", "main..HEAD")


def test_rollback_restores_the_exact_pre_hop_tree(project: Path) -> None:
    before = tree(project)
    step(project, FakeStages())
    assert tree(project) != before
    message = rollback(project)
    assert "back on main" in message
    assert tree(project) == before
    assert git(project, "status", "--porcelain") == ""  # upgrader's scaffold is ignored
    assert git(project, "branch", "--show-current").strip() == "main"
    assert "upgrade/django-3.2" not in git(project, "branch", "--list")
    assert load_state(project).history == ()


def test_rollback_of_an_interrupted_hop(project: Path) -> None:
    before = tree(project)
    with pytest.raises(KeyboardInterrupt):
        step(project, FakeStages(interrupt_in="rewrite"))
    rollback(project)
    assert tree(project) == before
    assert load_state(project).current is None


def test_no_git_keeps_backups_and_rolls_back(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    for rel, text in PROJECT_FILES.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    before = tree(root)
    result = step(root, FakeStages(), git=False)
    assert result.exit_code == 0, result.message
    assert (root / "app" / "views.py").read_text() == "from django.urls import re_path\n"
    assert (root / ".upgrader" / "backups" / "django-3.2" / "files" / "app" / "views.py").exists()
    rollback(root)
    assert tree(root) == before


def _plain_project(root: Path, extra: dict[str, str]) -> Path:
    for rel, text in {**PROJECT_FILES, **extra}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def test_no_git_rollback_keeps_excluded_files_and_removes_only_what_the_hop_made(
    tmp_path: Path,
) -> None:
    root = _plain_project(
        tmp_path / "plain",
        {
            "pyproject.toml": '[tool.upgrader]\nexclude = ["vendor/*"]\n',
            "vendor/lib.py": "from django.conf.urls import url\n",
            "app/my view.py": "X = 1\n",
        },
    )
    before = tree(root)
    assert step(root, FakeStages(), git=False).exit_code == 0
    manifest = json.loads((root / ".upgrader/backups/django-3.2/MANIFEST").read_text())
    assert "vendor/lib.py" not in manifest["files"]  # excluded: never copied
    assert {"vendor/lib.py", "app/my view.py"} <= set(manifest["present"])
    (root / "app" / "made_by_the_hop.py").write_text("Y = 2\n")
    rollback(root)
    assert tree(root) == before


def test_no_git_rollback_reads_an_old_one_path_per_line_manifest(tmp_path: Path) -> None:
    root = _plain_project(tmp_path / "plain", {"app/my view.py": "X = 1\n"})
    before = tree(root)
    assert step(root, FakeStages(), git=False).exit_code == 0
    manifest = root / ".upgrader/backups/django-3.2/MANIFEST"
    files = json.loads(manifest.read_text())["files"]
    manifest.write_text("\n".join(files) + "\n")  # as upgrader wrote it before JSON
    rollback(root)
    after = tree(root)
    assert after["app/my view.py"] == "X = 1\n"
    assert {rel: after[rel] for rel in before} == before  # every backed-up file restored
    # what the hop made is left: an old manifest cannot tell it from the user's excluded files
    assert "app/migrations/0002_django_3_2.py" in after


def test_no_git_rollback_refuses_a_manifest_path_outside_the_project(tmp_path: Path) -> None:
    root = _plain_project(tmp_path / "plain", {})
    assert step(root, FakeStages(), git=False).exit_code == 0
    manifest = root / ".upgrader/backups/django-3.2/MANIFEST"
    manifest.write_text(json.dumps({"version": 2, "files": ["../outside.py"], "present": []}))
    with pytest.raises(StateError, match=r"MANIFEST is damaged: '\.\./outside\.py'"):
        rollback(root)
    assert not (tmp_path / "outside.py").exists()


def test_blocked_dependencies_change_nothing(project: Path) -> None:
    with pytest.raises(ResolutionError, match=r"legacy-pkg: requires Django<3\.0"):
        step(project, Blocked())
    assert tree(project) == dict(PROJECT_FILES.items())


class BuildFails(FakeStages):
    def dependencies(self, project: Project, hop: Hop, options: StepOptions) -> DependencyOutcome:
        reason = (
            "django-allauth==0.46.0 failed to build while resolving Django 3.2 on Python 3.8 (uv)"
            '; Fix: [tool.upgrader] build-constraints = ["setuptools<70"]'
        )
        return DependencyOutcome(
            (), (BlockedPackage("django-allauth", reason),), {}, None, (), (), ()
        )


def test_a_package_that_did_not_build_is_named_not_called_no_working_set(project: Path) -> None:
    with pytest.raises(ResolutionError) as info:
        step(project, BuildFails())
    assert "django-allauth" in str(info.value) and "failed to build" in str(info.value)
    assert "no dependency set works" not in str(info.value)
    assert "Fix the build" in (info.value.hint or "")
    assert tree(project) == dict(PROJECT_FILES.items())


def collectstatic_output(root: Path, count: int = 120) -> dict[str, str]:
    """Untracked build output like ``collectstatic``'s: nothing a hop writes."""
    files = {f"staticfiles/admin/css/file{i}.css": f"/* {i} */\n" for i in range(count)}
    files["staticfiles/admin/js/core.js"] = "var x = 1;\n"
    files["staticfiles/rest_framework/docs/index.html"] = "{% load staticfiles %}\n"
    files["NOTES.md"] = "my own notes\n"
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return files


def stash_list(root: Path) -> str:
    return git(root, "stash", "list")


def test_untracked_build_output_stays_in_place_and_out_of_every_commit(project: Path) -> None:
    files = collectstatic_output(project)
    result = step(project, FakeStages())
    assert result.exit_code == 0, result.message
    assert {rel: (project / rel).read_text() for rel in files} == files
    committed = git(project, "log", "--format=", "--name-only", "main..HEAD").split()
    assert committed and not [p for p in committed if p.startswith("staticfiles/")]
    assert "NOTES.md" not in committed and "db.sqlite3" not in committed
    assert stash_list(project) == ""
    untracked = git(project, "status", "--porcelain", "--untracked-files=all").splitlines()
    assert len(untracked) == len(files) + 2  # + db.sqlite3 and the .pyc of makemigrations
    # makemigrations' db.sqlite3 and the user's files do not make the next hop refuse the tree.
    assert step(project, FakeStages()).exit_code == 0
    assert git(project, "branch", "--show-current").strip() == "upgrade/django-4.2"
    rollback(project)
    rollback(project)
    assert {rel: (project / rel).read_text() for rel in files} == files
    assert git(project, "branch", "--show-current").strip() == "main"
    assert not (project / "db.sqlite3").exists()  # the hop's own side effect is put aside
    assert git(project, "status", "--porcelain", "--untracked-files=all").count("??") == len(files)


def test_an_interrupted_hop_never_stashes_the_users_untracked_files(project: Path) -> None:
    files = collectstatic_output(project, count=3)
    with pytest.raises(KeyboardInterrupt):
        step(project, FakeStages(interrupt_in="rewrite"))
    result = step(project, FakeStages())
    assert result.exit_code == 0, result.message
    assert {rel: (project / rel).read_text() for rel in files} == files
    stashed = git(project, "stash", "show", "--include-untracked", "--name-only", "stash@{0}")
    assert stashed.split() == ["app/half_written.py", "app/views.py"]


@pytest.mark.parametrize(
    "rel", ["app/new_module.py", "app/templates/app/new.html", "requirements.txt"]
)
def test_untracked_files_where_the_hop_writes_are_refused(project: Path, rel: str) -> None:
    if rel == "requirements.txt":  # an untracked dependency declaration
        git(project, "rm", "-q", "--cached", "requirements.txt")
        git(project, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "untrack")
    path = project / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text("{% load staticfiles %}\n")
    with pytest.raises(StateError, match=f"untracked files where the hop writes: {rel}"):
        step(project, FakeStages())
    assert not (project / ".upgrader").exists()
    assert git(project, "branch", "--list").split() == ["*", "main"]


class Blocked(FakeStages):
    def dependencies(self, project: Project, hop: Hop, options: StepOptions) -> DependencyOutcome:
        (project.root / "requirements.txt").write_text("half-written\n")
        (project.root / "requirements-new.txt").write_text("half-written\n")
        return DependencyOutcome(
            (),
            (BlockedPackage("legacy-pkg", "requires Django<3.0", "1.0", "Django<3.0"),),
            {},
            None,
            (),
            (),
            (),
        )


class InstallFails(FakeStages):
    def verify(
        self,
        project: Project,
        stage: str,
        python: str,
        constraints: str | None,
        options: StepOptions,
    ) -> dict[str, Any]:
        (project.root / ".upgrader").mkdir(exist_ok=True)
        (project.root / ".upgrader" / "tox.ini").write_text("[tox]\n")
        raise VerifyError("could not install Django==2.2.28 for Python 3.8")


def repository(root: Path) -> dict[str, str]:
    """What a refused step must leave as it was."""
    state = root / ".upgrader" / "state.json"
    return {
        "head": git(root, "rev-parse", "HEAD"),
        "branch": git(root, "branch", "--show-current"),
        "branches": git(root, "branch", "--list"),
        "stash": stash_list(root),
        "status": git(root, "status", "--porcelain", "--untracked-files=all"),
        "state": state.read_text() if state.exists() else "",
        "tree": json.dumps(tree(root), sort_keys=True),
    }


@pytest.mark.parametrize(
    ("stages", "options", "error", "log_kept"),
    [
        pytest.param(FakeStages(red_on={"2.2"}), {}, TestsRedError, True, id="red-baseline"),
        pytest.param(InstallFails(), {}, VerifyError, False, id="install-failure"),
        pytest.param(Blocked(), {}, ResolutionError, True, id="no-dependency-set"),
        pytest.param(FakeStages(), {"to": "2.0"}, UpgraderError, False, id="target-older"),
        pytest.param(FakeStages(), {"resume": True}, StateError, False, id="nothing-to-continue"),
    ],
)
def test_a_refused_step_leaves_the_repository_as_it_found_it(
    project: Path, stages: FakeStages, options: dict[str, Any], error: type, log_kept: bool
) -> None:
    collectstatic_output(project, count=2)
    before = repository(project)
    with pytest.raises(error) as info:
        step(project, stages, **options)
    assert repository(project) == before
    state_dir = project / ".upgrader"
    if log_kept:  # the refusal points at a log: kept, git-ignored, and the hint says so
        assert sorted(p.name for p in state_dir.iterdir()) == [".gitignore", "README.md", "logs"]
        assert "rm -r .upgrader" in (getattr(info.value, "hint", None) or "")
    else:
        assert not state_dir.exists()


def test_a_refused_second_hop_leaves_the_first_as_it_was(project: Path) -> None:
    assert step(project, FakeStages()).exit_code == 0
    before = repository(project)
    with pytest.raises(ResolutionError) as info:
        step(project, Blocked())
    assert repository(project) == before
    assert "Nothing was kept: no branch, no hop in progress" in (info.value.hint or "")
    assert load_state(project).current is None


def test_open_manual_items_mean_not_done_until_continue_sees_them_fixed(project: Path) -> None:
    result = step(project, FakeStages(manual_items=2))
    assert (result.exit_code, result.manual_open) == (1, 2)
    assert "2 manual item(s) open" in result.message and "--continue" in result.message
    last = load_state(project).history[-1]
    assert (last.status, last.manual_open) == (MANUAL_OPEN, 2)
    line = next(line for line in status_lines(project) if "2.2 -> 3.2" in line)
    assert line.startswith(f"  {MANUAL_OPEN}") and "2 manual item(s) open" in line
    report = json.loads(
        (project / ".upgrader" / "reports" / "django-3.2" / "report.json").read_text()
    )
    assert len(report["manual"]) == 2
    assert report["status"] == MANUAL_OPEN
    # The developer fixes them and continues: checked again, now complete.
    (project / "app" / "views.py").write_text("from django.urls import path\n")
    stages = FakeStages()
    result = step(project, stages, resume=True)
    assert (result.exit_code, result.manual_open) == (0, 0), result.message
    assert stages.calls == ["verify 3.2"]
    assert "manual fixes" in git(project, "log", "--format=%s", "-3")
    state = load_state(project)
    assert state.current is None and [h.status for h in state.history] == [COMPLETE]


def test_a_hop_is_done_only_when_makemigrations_check_is_clean(project: Path) -> None:
    result = step(project, FakeStages(unmigrated_on={"3.2"}))
    assert result.exit_code == 1
    assert "the tests pass on 3.2, but `makemigrations --check` is not clean" in result.message
    state = load_state(project)
    assert state.current is not None and state.current.status == NEEDS_ATTENTION
    report = json.loads(
        (project / ".upgrader" / "reports" / "django-3.2" / "report.json").read_text()
    )
    assert report["status"] == "needs-attention"
    assert any("makemigrations --check` is not clean" in note for note in report["notes"])
    # --continue runs makemigrations again, then the tests and the check.
    stages = FakeStages()
    result = step(project, stages, resume=True)
    assert result.exit_code == 0, result.message
    assert stages.calls == ["migrations 3.2", "verify 3.2"]
    assert load_state(project).history[-1].migrations_check is None


def test_a_crashed_makemigrations_is_never_no_migration_needed(project: Path) -> None:
    result = step(project, FakeStages(makemigrations_crashes=True, unmigrated_on={"3.2"}))
    assert result.exit_code == 1
    subjects = git(project, "log", "--format=%B", "main..HEAD")
    assert "no migration needed" not in subjects
    assert "not checked: `manage.py makemigrations` failed" in subjects


def test_rollback_keeps_the_developers_commits_on_a_branch_it_names(project: Path) -> None:
    before = tree(project)
    result = step(project, FakeStages(red_on={"3.2"}))
    assert result.exit_code == 1
    (project / "app" / "fix.py").write_text("fixed = True\n")
    assert step(project, FakeStages(), resume=True).exit_code == 0  # a 'manual fixes' commit
    (project / "app" / "later.py").write_text("mine = True\n")
    git(project, "add", "app/later.py")
    git(project, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "my own change")
    tip = git(project, "rev-parse", "HEAD").strip()
    message = rollback(project)
    assert "2 commit(s) on upgrade/django-3.2 were not upgrader's" in message
    assert "my own change" in message and "manual fixes" in message
    assert "kept on branch upgrader-kept/django-3.2" in message
    assert git(project, "rev-parse", "upgrader-kept/django-3.2").strip() == tip
    assert tree(project) == before
    assert "upgrade/django-3.2" not in git(project, "branch", "--list").split()


def test_rollback_of_a_hop_with_only_upgraders_commits_keeps_no_branch(project: Path) -> None:
    step(project, FakeStages())
    assert "not upgrader's" not in rollback(project)
    assert git(project, "branch", "--list").split() == ["*", "main"]


def test_upgraders_own_leftovers_never_make_the_tree_dirty(project: Path) -> None:
    """An older upgrader's failed preflight left .upgrader/tox.ini untracked: not the user's."""
    (project / ".upgrader").mkdir()
    (project / ".upgrader" / "tox.ini").write_text("[tox]\nleft = behind\n")
    result = step(project, FakeStages())
    assert result.exit_code == 0, result.message
    assert git(project, "status", "--porcelain") == SIDE_EFFECTS


def test_a_later_phase_that_fails_says_how_to_resume_or_undo(project: Path) -> None:
    class RewriteFails(FakeStages):
        def rewrite(self, project: Project, hop: Hop, packages: dict[str, str]) -> RewriteOutcome:
            raise UpgraderError("django-upgrade could not run", hint="Install it.")

    with pytest.raises(UpgraderError) as info:
        step(project, RewriteFails())
    assert (info.value.hint or "").startswith("Install it. The Django 2.2 -> 3.2 hop stays")
    assert "`upgrader step` resumes it" in (info.value.hint or "")
    assert "`upgrader rollback` undoes it" in (info.value.hint or "")
    assert load_state(project).current is not None
    assert step(project, FakeStages()).exit_code == 0


def test_a_refusal_never_removes_what_another_run_made_meanwhile(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = HopLock.acquire

    def acquire(self: HopLock) -> None:  # another run made .upgrader/ and finished just now
        (project / ".upgrader" / "reports").mkdir(parents=True, exist_ok=True)
        (project / ".upgrader" / "reports" / "theirs.md").write_text("theirs\n")
        real(self)

    monkeypatch.setattr(HopLock, "acquire", acquire)
    with pytest.raises(TestsRedError):
        step(project, FakeStages(red_on={"2.2"}))
    assert (project / ".upgrader" / "reports" / "theirs.md").read_text() == "theirs\n"
    assert not (project / ".upgrader" / "tox.ini").exists()  # ours still goes


class Recorder:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def phase(self, name: str, message: str) -> None:
        self.lines.append(f"[{name}] {message}")

    def info(self, message: str) -> None:
        self.lines.append(message)


def test_a_resumed_hop_says_it_stashed_only_when_it_made_a_stash_entry(project: Path) -> None:
    with pytest.raises(KeyboardInterrupt):
        step(project, FakeStages(interrupt_in="verify"))  # leaves only .upgrader/ files
    recorder = Recorder()
    result = Step(project, StepOptions(), stages=FakeStages(), find=machine, reporter=recorder)
    assert result.run().exit_code == 0
    assert stash_list(project) == ""
    assert not [line for line in recorder.lines if "git stash" in line]


@pytest.mark.parametrize("manifest_tracked", [False, True])
def test_what_the_projects_pre_test_commands_write_is_never_committed(
    project: Path, manifest_tracked: bool
) -> None:
    """locallibrary's pre-test collectstatic: its output is no phase's work, hop after hop."""
    if manifest_tracked:  # a project that commits its collected manifest
        (project / "staticfiles").mkdir()
        (project / "staticfiles" / "staticfiles.json").write_text("{}\n")
        git(project, "add", "staticfiles")
        git(project, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "manifest")
    for _hop in ("3.2", "4.2"):
        result = step(project, FakeStages(pre_test=True))
        assert result.exit_code == 0, result.message
    committed = git(project, "log", "--format=", "--name-only", "main..HEAD").split()
    assert not [p for p in committed if p.startswith("staticfiles/")]
    status = git(project, "status", "--porcelain", "--untracked-files=all").splitlines()
    assert not [line for line in status if not line.startswith("??")]  # no tracked change
    if manifest_tracked:
        assert (project / "staticfiles" / "staticfiles.json").read_text() == "{}\n"


def test_without_git_a_dependency_phase_with_no_working_set_leaves_nothing(
    tmp_path: Path,
) -> None:
    root = tmp_path / "plain"
    for rel, text in PROJECT_FILES.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    before = tree(root)
    with pytest.raises(ResolutionError) as info:
        step(root, Blocked(), git=False)
    assert tree(root) == before  # requirements.txt put back, requirements-new.txt gone
    assert "Nothing was kept" in (info.value.hint or "")
    assert sorted(p.name for p in (root / ".upgrader").iterdir()) == [
        ".gitignore",
        "README.md",
        "logs",
    ]


def test_a_step_with_no_hop_to_make_says_so_before_it_looks_at_the_tree(project: Path) -> None:
    # simple-history after 6.1: its tests wrote a migration module; `step --to latest` was
    # refused on it although no hop was to be made (the tree is the user's to look at).
    written = project / "app" / "migrations" / "0099_written_by_a_test.py"
    written.parent.mkdir(parents=True, exist_ok=True)
    written.write_text("# a test's makemigrations\n")
    stages = FakeStages()
    result = step(project, stages, to="2.2")
    assert result.exit_code == 0, result.message
    assert "already at the target (--to 2.2): no hop to make" in result.message
    assert stages.calls == []
    assert written.read_text() == "# a test's makemigrations\n"
    with pytest.raises(StateError, match="untracked files where the hop writes"):
        step(project, stages)  # a real hop still refuses it


class MigrationWritingStages(FakeStages):
    """A test that runs makemigrations into a test app (simple-history's on 6.1)."""

    def verify(
        self,
        project: Project,
        stage: str,
        python: str,
        constraints: str | None,
        options: StepOptions,
    ) -> dict[str, Any]:
        run = super().verify(project, stage, python, constraints, options)
        if stage == "3.2":
            written = project.root / "app" / "migrations" / "0099_alter_thing_id.py"
            written.parent.mkdir(parents=True, exist_ok=True)
            written.write_text("# written by a test\n")
        return run


def test_files_the_hops_tests_write_are_named_and_left_uncommitted(project: Path) -> None:
    result = step(project, MigrationWritingStages())
    assert result.exit_code == 0, result.message
    rel = "app/migrations/0099_alter_thing_id.py"
    assert (project / rel).read_text() == "# written by a test\n"
    assert git(project, "status", "--porcelain", "--", rel).startswith("??")
    [hop] = load_state(project).history
    [note] = [n for n in hop.notes if "wrote" in n]
    assert note.startswith(f"The tests on Django 3.2 wrote {rel}: left in place")
    assert "makemigrations means the models differ from their migrations on Django 3.2" in note
    report = json.loads((project / ".upgrader/reports/django-3.2/report.json").read_text())
    assert note in report["notes"]
