"""The hop transaction: CI Pythons, the next hop's Python, reusable apps, .upgrader/ files."""

from __future__ import annotations

import dataclasses
import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.test_step import (
    PROJECT_FILES,
    FakeStages,
    Recorder,
    git,
    machine,
    step,
)
from upgrader.errors import StateError
from upgrader.hops import Hop
from upgrader.plan import DependencyChange, ManualItem
from upgrader.project import Project, detect_project
from upgrader.releases import get_release
from upgrader.step import (
    REVERTED_REWRITE,
    DependencyOutcome,
    MigrationsOutcome,
    RewriteOutcome,
    Step,
    StepOptions,
    load_state,
    save_state,
    status_lines,
)
from upgrader.step.stages import DefaultHopStages, python_update
from upgrader.verify.results import write_result_writer


@pytest.fixture
def project_root(tmp_path: Path) -> Path:
    return repository_with_project_in(tmp_path, "", PROJECT_FILES)


TRAVIS = 'language: python\npython:\n  - "3.5"\n  - "3.6"\n'


def repository_with_project_in(tmp_path: Path, sub: str, files: dict[str, str]) -> Path:
    top = tmp_path / "repo"
    for rel, text in files.items():
        path = top / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    git(tmp_path, "init", "-q", "-b", "main", str(top))
    git(top, "add", "-A")
    git(top, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "initial")
    return top / sub


def in_src(extra: dict[str, str]) -> dict[str, str]:
    files = {f"src/{rel}": text for rel, text in PROJECT_FILES.items() if rel != ".python-version"}
    return {**files, **extra}


def test_a_hop_that_keeps_its_python_still_drops_unsupported_ci_pythons(tmp_path: Path) -> None:
    """Django 3.2 runs on 3.6 (kept), not on 3.5: the CI file at the repository's top follows."""
    root = repository_with_project_in(
        tmp_path, "src", in_src({".travis.yml": TRAVIS, "src/.python-version": "3.6\n"})
    )
    project = detect_project(root)
    source, target = get_release("2.2"), get_release("3.2")
    assert source is not None and target is not None
    hop = Hop(source, target, "3.6", "3.6", machine("3.6"))
    assert not hop.python_changes
    update = python_update(project, hop)
    assert update.changed == ("../.travis.yml",)
    assert '"3.5"' not in (root.parent / ".travis.yml").read_text()
    assert any("CI Pythons 3.5" in note for note in update.notes)


class EditsTravis(FakeStages):
    """The dependency phase edits the CI file at the repository's top, as python_update does."""

    def dependencies(self, project: Project, hop: Hop, options: StepOptions) -> DependencyOutcome:
        outcome = super().dependencies(project, hop, options)
        travis = project.root.parent / ".travis.yml"
        travis.write_text(travis.read_text().replace('  - "3.5"\n', ""))
        return DependencyOutcome(
            outcome.changes,
            outcome.blocked,
            outcome.packages,
            outcome.constraints,
            (*outcome.files, "../.travis.yml"),
            outcome.commands_to_run,
            outcome.notes,
        )


def test_a_ci_file_above_the_project_is_committed_with_the_dependency_set(tmp_path: Path) -> None:
    root = repository_with_project_in(
        tmp_path, "src", in_src({".travis.yml": TRAVIS, "src/.python-version": "3.6\n"})
    )
    result = step(root, EditsTravis())
    assert result.exit_code == 0, result.message
    top = root.parent
    dependencies = git(top, "log", "--format=%H", "--grep=dependency set", "-1").strip()
    assert ".travis.yml" in git(top, "show", "--format=", "--name-only", dependencies).split()
    status = git(top, "status", "--porcelain").splitlines()
    assert not [line for line in status if not line.startswith("??")], status


def test_the_next_hop_starts_from_the_python_the_last_hop_moved_to(tmp_path: Path) -> None:
    # Django 2.2 on Python 3.5 (only .travis.yml says so): the 3.2 hop must move the Python.
    files = {rel: text for rel, text in PROJECT_FILES.items() if rel != ".python-version"}
    travis = 'language: python\npython:\n  - "3.5"\n'
    root = repository_with_project_in(tmp_path, "", {**files, ".travis.yml": travis})
    first = step(root, FakeStages())
    assert first.exit_code == 0, first.message
    moved_to = load_state(root).history[-1].python
    assert moved_to != "3.5"
    assert '"3.5"' in (root / ".travis.yml").read_text()  # a CI file the hop left as it was
    second = step(root, FakeStages())
    assert second.exit_code == 0, second.message
    last = load_state(root).history[-1]
    assert (last.source, last.python_from) == ("3.2", moved_to)


class RealMigrations(FakeStages):
    """The real migrations and check stages (no manage.py: nothing to run)."""

    def migrations(self, project: Project, *args: Any) -> MigrationsOutcome:
        self.calls.append("migrations")
        return DefaultHopStages().migrations(project, *args)

    def check_migrations(self, project: Project, *args: Any) -> str | None:
        return DefaultHopStages().check_migrations(project, *args)


def test_a_reusable_app_says_migrations_were_not_checked_and_why(tmp_path: Path) -> None:
    files = {rel: text for rel, text in PROJECT_FILES.items() if rel != "manage.py"}
    files["runtests.py"] = (
        "import django\nfrom django.conf import settings\n"
        "settings.configure(INSTALLED_APPS=['app'])\ndjango.setup()\n"
    )
    root = repository_with_project_in(tmp_path, "", files)
    assert detect_project(root).manage_py is None
    recorder = Recorder()
    from upgrader.step import Step

    result = Step(
        root, StepOptions(), stages=RealMigrations(), find=machine, reporter=recorder
    ).run()
    assert result.exit_code == 0, result.message
    console = next(line for line in recorder.lines if line.startswith("migrations:"))
    assert "no migration needed" not in console
    assert console.startswith("migrations: not checked: no manage.py"), console
    report = (root / ".upgrader" / "reports" / "django-3.2" / "report.md").read_text()
    assert "no migration needed" not in report
    assert "Migrations were not checked: no manage.py" in report


# What write_tox_ini writes beside .upgrader/tox.ini, which its envs read (here and in CI).
TOX_FILES = (
    "constraints/build-django32.txt",
    "constraints/uv-django32.toml",
    "constraints/project-requirements.txt",
)


class WritesToxFiles(FakeStages):
    def verify(self, project: Project, stage: str, *args: Any) -> dict[str, Any]:
        run = super().verify(project, stage, *args)
        upgrader_dir = project.root / ".upgrader"
        for rel in TOX_FILES:
            path = upgrader_dir / rel.replace("32", stage.replace(".", ""))
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"# for {stage}\n")
        write_result_writer(upgrader_dir)
        return run


def test_files_tox_ini_reads_are_committed_with_it_and_never_dirty(tmp_path: Path) -> None:
    project = repository_with_project_in(tmp_path, "", PROJECT_FILES)
    result = step(project, WritesToxFiles())
    assert result.exit_code == 0, result.message
    tracked = set(git(project, "ls-files", ".upgrader").split())
    wanted = {
        ".upgrader/tox.ini",
        ".upgrader/result_writer.py",
        *(f".upgrader/{rel}" for rel in TOX_FILES),
        *(f".upgrader/{rel.replace('32', '22')}" for rel in TOX_FILES),  # the baseline's
    }
    assert wanted <= tracked, wanted - tracked
    assert not [
        line for line in git(project, "status", "--porcelain").splitlines() if ".upgrader" in line
    ]
    # Written again (changed) by the next hop's runs: committed on that hop, never "dirty".
    (project / ".upgrader" / "constraints" / "uv-django32.toml").write_text("# edited\n")
    result = step(project, WritesToxFiles())
    assert result.exit_code == 0, result.message
    assert git(project, "status", "--porcelain", "--", ".upgrader") == ""


class PinsFromRequirements(FakeStages):
    """Like the real stages: the stage's set comes from requirements.txt (Django moved to the
    target), and the env installs the constraints file; the tests fail with compressor 2.3."""

    def dependencies(self, project: Project, hop: Hop, options: StepOptions) -> DependencyOutcome:
        self.calls.append(f"dependencies {hop.target.name}")
        requirements = project.root / "requirements.txt"
        lines = requirements.read_text().splitlines()
        pins = [
            f"Django=={hop.target.name}.0" if line.startswith("Django") else line for line in lines
        ]
        requirements.write_text("\n".join(pins) + "\n")
        constraints = project.root / ".upgrader" / "constraints" / f"django-{hop.target.name}.txt"
        constraints.parent.mkdir(parents=True, exist_ok=True)
        constraints.write_text("\n".join(p.lower() for p in pins) + "\n")
        chosen = dict(p.lower().split("==") for p in pins)
        return DependencyOutcome(
            changes=(
                DependencyChange("django", "2.2.28", chosen["django"], "the target"),
                DependencyChange(
                    "django-compressor",
                    chosen["django-compressor"],
                    chosen["django-compressor"],
                    "kept",
                ),
            ),
            blocked=(),
            packages=chosen,
            constraints=constraints.relative_to(project.root).as_posix(),
            files=("requirements.txt",),
            commands_to_run=(),
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
        if constraints and "django-compressor==2.3" in (project.root / constraints).read_text():
            self.red_on.add(stage)
        else:
            self.red_on.discard(stage)
        return super().verify(project, stage, python, constraints, options)


def compressor_project(tmp_path: Path) -> Path:
    files = {**PROJECT_FILES, "requirements.txt": "Django==2.2.28\ndjango-compressor==2.3\n"}
    return repository_with_project_in(tmp_path, "", files)


def report_of(root: Path, stage: str = "3.2") -> dict[str, Any]:
    path = root / ".upgrader" / "reports" / f"django-{stage}" / "report.json"
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def test_continue_resolves_the_stage_again_from_the_users_requirements_fix(tmp_path: Path) -> None:
    root = compressor_project(tmp_path)
    assert step(root, PinsFromRequirements()).exit_code == 1  # compressor 2.3 fails on 3.2
    # The one fix, in the project's own file: the stage's set must follow it.
    requirements = root / "requirements.txt"
    requirements.write_text(requirements.read_text().replace("compressor==2.3", "compressor==3.1"))
    stages = PinsFromRequirements()
    result = step(root, stages, resume=True)
    assert result.exit_code == 0, result.message
    assert stages.calls == ["dependencies 3.2", "verify 3.2"]
    constraints = (root / ".upgrader" / "constraints" / "django-3.2.txt").read_text()
    assert "django-compressor==3.1" in constraints
    subjects = git(root, "log", "--format=%s", "main..HEAD").splitlines()
    assert subjects[:3] == [
        "upgrade(django 3.2): upgrade report",
        "upgrade(django 3.2): tests",
        "upgrade(django 3.2): dependency set",
    ]
    assert "upgrade(django 3.2): manual fixes" in subjects
    # The report is what was verified: compressor 2.3 (where the hop found it) -> 3.1 installed.
    report = report_of(root)
    rows = {row["name"]: (row["current"], row["chosen"]) for row in report["dependencies"]}
    assert rows["django-compressor"] == ("2.3", "3.1")
    assert load_state(root).history[-1].installed["django-compressor"] == "3.1"


def test_continue_without_a_dependency_fix_resolves_nothing_again(tmp_path: Path) -> None:
    root = compressor_project(tmp_path)
    assert step(root, PinsFromRequirements()).exit_code == 1
    constraints = root / ".upgrader" / "constraints" / "django-3.2.txt"
    (root / "app" / "fix.py").write_text("fixed = True\n")
    constraints.write_text(constraints.read_text().replace("2.3", "3.1"))  # upgrader's file
    again = PinsFromRequirements()
    assert step(root, again, resume=True).exit_code == 0
    assert again.calls == ["verify 3.2"]


def test_a_commit_on_a_green_hop_is_unverified_until_continue_checks_it(project_root: Path) -> None:
    root = project_root
    assert step(root, FakeStages()).exit_code == 0
    assert not [line for line in status_lines(root) if "unverified" in line]
    settings = root / "site_cfg" / "settings.py"
    settings.write_text(
        settings.read_text() + "DEFAULT_AUTO_FIELD = 'django.db.models.AutoField'\n"
    )
    git(root, "add", "site_cfg/settings.py")
    git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "DEFAULT_AUTO_FIELD")
    mine = git(root, "rev-parse", "HEAD").strip()
    line = next(line for line in status_lines(root) if "unverified" in line)
    assert f"1 unverified commit(s) on upgrade/django-3.2 ({mine[:10]} DEFAULT_AUTO_FIELD)" in line
    assert "`upgrader step --continue`" in line
    stages = FakeStages()
    result = step(root, stages, resume=True)
    assert result.exit_code == 0, result.message
    assert stages.calls == ["verify 3.2"]
    assert not [line for line in status_lines(root) if "unverified" in line]
    # The report lists every commit on the branch, the developer's included.
    commits = report_of(root)["commits"]
    assert [c["phase"] for c in commits] == [
        "dependencies",
        "rewrite",
        "migrations",
        "verify",
        "report",
        "your commit",
        "verify",  # the report's own commit comes after it
    ]
    assert commits[5]["sha"] == mine
    # Nothing else to continue now.
    with pytest.raises(StateError, match="nothing to continue"):
        step(root, FakeStages(), resume=True)


def test_the_next_hop_runs_a_fresh_baseline_over_unverified_commits(project_root: Path) -> None:
    root = project_root
    assert step(root, FakeStages()).exit_code == 0
    (root / "app" / "mine.py").write_text("mine = True\n")
    git(root, "add", "app/mine.py")
    git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "mine")
    stages = FakeStages()
    assert step(root, stages).exit_code == 0
    assert stages.calls[0] == "verify 3.2"  # the baseline, run again


@pytest.mark.parametrize(("stage", "folded"), [("5.2", True), ("4.2", False)])
def test_the_migrations_phase_folds_index_together_pairs_from_django_5_1(
    tmp_path: Path, stage: str, folded: bool
) -> None:
    from tests.test_migrations import CREATE, REMOVE

    files = {rel: text for rel, text in PROJECT_FILES.items() if rel != "manage.py"}
    files["runtests.py"] = "import django\nfrom django.conf import settings\nsettings.configure()\n"
    files["app/migrations/__init__.py"] = ""
    files["app/migrations/0001_initial.py"] = CREATE
    files["app/migrations/0002_remove.py"] = REMOVE.replace("orders", "app")
    root = repository_with_project_in(tmp_path, "", files)
    outcome = DefaultHopStages().migrations(
        detect_project(root), stage, "3.12", None, StepOptions()
    )
    assert outcome.edited == (("app/migrations/0001_initial.py",) if folded else ())
    assert outcome.created == () and outcome.not_checked is not None
    text = (root / "app" / "migrations" / "0001_initial.py").read_text()
    assert ("('user', 'status')" in text) is not folded


# --- the stored baseline, a service outage, a dead app (F7, F16) -------------------------------


def _save_baseline(root: Path, stage: str, failing: list[str]) -> None:
    from upgrader.verify.baseline import Baseline
    from upgrader.verify.command import save_baseline

    (root / ".upgrader").mkdir(exist_ok=True)
    save_baseline(root, Baseline(stage, frozenset(failing)))


def test_the_first_hop_takes_the_baseline_verify_accepted(tmp_path: Path) -> None:
    root = repository_with_project_in(tmp_path, "", PROJECT_FILES)
    _save_baseline(root, "2.2", ["app.tests.T.test_x"])
    stages = FakeStages(red_on={"2.2", "3.2"})
    result = step(root, stages)  # no --accept-failing: baseline.json accepted the failure
    assert result.exit_code == 0, result.message
    last = load_state(root).history[-1]
    assert last.tests_before is not None and last.tests_before["accepted"] == ["app.tests.T.test_x"]
    assert last.tests_after is not None and last.tests_after["accepted"] == ["app.tests.T.test_x"]


def test_a_failure_beyond_the_stored_baseline_is_refused_naming_it(tmp_path: Path) -> None:
    from upgrader.step import TestsRedError

    root = repository_with_project_in(tmp_path, "", PROJECT_FILES)
    _save_baseline(root, "2.2", ["app.tests.T.test_other"])
    with pytest.raises(TestsRedError, match=r"beyond the baseline accepted in \.upgrader/baseline"):
        step(root, FakeStages(red_on={"2.2"}))
    assert load_state(root).current is None


def test_a_baseline_stored_on_another_django_is_not_used(tmp_path: Path) -> None:
    from upgrader.step import TestsRedError

    root = repository_with_project_in(tmp_path, "", PROJECT_FILES)
    _save_baseline(root, "2.1", ["app.tests.T.test_x"])
    recorder = Recorder()
    with pytest.raises(TestsRedError, match=r"before any change: app\.tests\.T\.test_x"):
        Step(
            root, StepOptions(), stages=FakeStages(red_on={"2.2"}), find=machine, reporter=recorder
        ).run()
    assert any("recorded on Django 2.1, not on Django 2.2" in line for line in recorder.lines)


POSTGRES_DOWN = """\
ERROR: test_{n} (core.tests.EventTests)
----------------------------------------------------------------------
Traceback (most recent call last):
  File "/p/.upgrader/cache/tox/django22/lib/python3.8/site-packages/django/db/backends/base/base.py", line 217, in ensure_connection
    self.connect()
psycopg2.OperationalError: could not connect to server: Connection refused
\tIs the server running on host "localhost" (127.0.0.1) and accepting
\tTCP/IP connections on port 5432?


The above exception was the direct cause of the following exception:

django.db.utils.OperationalError: could not connect to server: Connection refused
\tIs the server running on host "localhost" (127.0.0.1) and accepting
\tTCP/IP connections on port 5432?

"""


class NoDatabase(FakeStages):
    """Every baseline test errors on the CI's PostgreSQL, which is not running here."""

    def verify(
        self,
        project: Project,
        stage: str,
        python: str,
        constraints: str | None,
        options: StepOptions,
    ) -> dict[str, Any]:
        run = super().verify(project, stage, python, constraints, options)
        ids = [f"core.tests.EventTests.test_{n}" for n in range(6)]
        Path(run["log"]).write_text("".join(POSTGRES_DOWN.format(n=n) for n in range(6)))
        return {**run, "errors": 6, "passed": 0, "error_ids": ids, "green": False, "exit_code": 1}


def test_accept_failing_is_refused_when_the_failures_are_a_missing_database(
    tmp_path: Path,
) -> None:
    from upgrader.step import TestsRedError

    workflow = (
        "jobs:\n  build:\n    runs-on: ubuntu-latest\n    services:\n      postgres:\n"
        "        image: postgres:10.8\n        ports:\n          - 5432:5432\n"
    )
    root = repository_with_project_in(
        tmp_path, "", {**PROJECT_FILES, ".github/workflows/django.yml": workflow}
    )
    with pytest.raises(TestsRedError) as info:
        step(root, NoDatabase(), accept_failing=True)
    assert "6 failing test(s) fail to connect to PostgreSQL on port 5432" in info.value.message
    assert "the project's CI runs postgres:10.8 on 5432:5432" in (info.value.hint or "")
    assert "DATABASE_URL" in (info.value.hint or "")
    assert load_state(root).current is None
    assert git(root, "branch", "--show-current").strip() == "main"


class DeadApp(FakeStages):
    """The real stage's answer for a kept app that imports what Django 3.0 removed."""

    REASON = (
        "django-date-extensions 3.0 (its newest release) breaks on Django 3.2: its "
        "django_date_extensions/fields.py:10 imports "
        "`django.utils.encoding.python_2_unicode_compatible`, removed in Django 3.0. Replace it "
        "with a maintained package, vendor a patched copy into the project, or map it to a fork "
        "for the stage environments in pyproject.toml: [tool.upgrader] replace-requirements = "
        '{"django-date-extensions" = "django-date-extensions @ '
        'git+https://github.com/you/django-date-extensions@fixed"}'
    )

    def dependencies(self, project: Project, hop: Hop, options: StepOptions) -> DependencyOutcome:
        from upgrader.plan import BlockedPackage

        self.calls.append(f"dependencies {hop.target.name}")
        blocked = (BlockedPackage("django-date-extensions", self.REASON, "3.0", "x==3.0"),)
        return DependencyOutcome((), blocked, {}, None, (), (), ())


def test_a_dead_app_stops_the_hop_before_anything_changes(tmp_path: Path) -> None:
    from upgrader.errors import ResolutionError

    root = repository_with_project_in(tmp_path, "", PROJECT_FILES)
    stages = DeadApp()
    with pytest.raises(ResolutionError) as info:
        step(root, stages)
    assert info.value.message == "Django 3.2 cannot start: " + DeadApp.REASON
    assert "no dependency set works" not in info.value.message
    assert "Nothing was kept" in (info.value.hint or "")
    assert not any(call.startswith("rewrite") for call in stages.calls)
    assert load_state(root).current is None
    assert git(root, "status", "--porcelain").strip() == ""


class StandInDiagnosis:
    """Stands in for ``upgrader.diagnose`` (diagnose_hop + render_text): records its calls."""

    def __init__(self, fails_with: BaseException | None = None) -> None:
        self.calls: list[tuple[Path, float, float]] = []
        self.fails_with = fails_with

    def __call__(
        self, root: Path, *, budget: float, timeout: float, progress: Callable[[str], None]
    ) -> str:
        self.calls.append((root, budget, timeout))
        progress("trial 1 of 2")
        if self.fails_with is not None:
            raise self.fails_with
        state = load_state(root).current  # called after the red hop's report is saved
        assert state is not None and state.status == "needs-attention" and state.report_dir
        return "Diagnosis of the Django 2.2 -> 3.2 hop: django 3.2.0 breaks app.tests.T.test_x\n"


def _step_diagnosed(
    root: Path, stages: FakeStages, diagnosis: StandInDiagnosis, **options: Any
) -> Any:
    return Step(root, StepOptions(**options), stages=stages, find=machine, diagnose=diagnosis).run()


def test_a_green_hop_is_not_diagnosed(project_root: Path) -> None:
    diagnosis = StandInDiagnosis()
    result = _step_diagnosed(project_root, FakeStages(), diagnosis)
    assert result.exit_code == 0, result.message
    assert diagnosis.calls == []


def test_a_red_hop_is_diagnosed_after_its_report_and_the_text_is_shown(project_root: Path) -> None:
    diagnosis = StandInDiagnosis()
    recorder = Recorder()
    result = Step(
        project_root,
        StepOptions(diagnose_budget=120.0, timeout=60.0),
        stages=FakeStages(red_on={"3.2"}),
        find=machine,
        reporter=recorder,
        diagnose=diagnosis,
    ).run()
    assert result.exit_code == 1
    assert diagnosis.calls == [(project_root, 120.0, 60.0)]
    assert result.message.endswith("django 3.2.0 breaks app.tests.T.test_x")
    assert "`upgrader step --continue`" in result.message  # the red line comes first
    assert any("trial 1 of 2" in line for line in recorder.lines)


def test_no_diagnosis_with_diagnose_off(project_root: Path) -> None:
    diagnosis = StandInDiagnosis()
    result = _step_diagnosed(project_root, FakeStages(red_on={"3.2"}), diagnosis, diagnose=False)
    assert result.exit_code == 1 and diagnosis.calls == []


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (RuntimeError("worktree vanished"), "RuntimeError: worktree vanished"),
        (StateError("no dependency commit to replay"), "no dependency commit to replay"),
        (KeyboardInterrupt(), "interrupted"),  # Ctrl-C skips the diagnosis, not the report
    ],
)
def test_a_failing_diagnosis_never_changes_the_hops_outcome(
    project_root: Path, error: BaseException, said: str
) -> None:
    diagnosis = StandInDiagnosis(fails_with=error)
    result = _step_diagnosed(project_root, FakeStages(red_on={"3.2"}), diagnosis)
    assert result.exit_code == 1 and len(diagnosis.calls) == 1
    last = result.message.splitlines()[-1]
    assert last == (
        f"The diagnosis failed ({said}); the hop's outcome is unchanged: `upgrader diagnose` "
        "tries again."
    )
    current = load_state(project_root).current
    assert current is not None and current.status == "needs-attention"
    # the hop stays resumable as any red hop: the fix, then --continue, finishes it
    (project_root / "app" / "fix.py").write_text("fixed = True\n")
    assert _step_diagnosed(project_root, FakeStages(), diagnosis, resume=True).exit_code == 0


def test_the_step_diagnosis_budget_is_the_diagnose_default() -> None:
    from upgrader.diagnose import DEFAULT_BUDGET
    from upgrader.step import DIAGNOSE_BUDGET

    assert StepOptions().diagnose_budget == DIAGNOSE_BUDGET == DEFAULT_BUDGET


def _revert_like_diagnose(root: Path) -> None:
    """What ``upgrader diagnose --revert-breaking`` does to app/views.py: put back, committed,
    and listed as a ``reverted-rewrite`` manual item of the hop."""
    state = load_state(root)
    current = state.current
    assert current is not None
    base = current.phase("dependencies").commit
    assert base is not None
    (root / "app" / "views.py").write_text(git(root, "show", f"{base}:app/views.py"))
    git(root, "add", "app/views.py")
    git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "revert rewrite")
    item = ManualItem(REVERTED_REWRITE, "app/views.py", 1, "django_urls was reverted", "", "")
    current = dataclasses.replace(current, manual=(*current.manual, item))
    save_state(root, dataclasses.replace(state, current=current))


def test_continue_keeps_a_reverted_rewrite_until_its_file_is_changed_by_hand(
    project_root: Path,
) -> None:
    assert step(project_root, FakeStages(red_on={"3.2"})).exit_code == 1
    _revert_like_diagnose(project_root)
    # --continue: green now, but the reverted rewrite is still to be made by hand
    result = step(project_root, FakeStages(), resume=True)
    assert result.exit_code == 1 and result.manual_open == 1, result.message
    [kept] = load_state(project_root).history[-1].manual
    assert (kept.id, kept.file) == (REVERTED_REWRITE, "app/views.py")
    # the developer makes the change by hand: the item is gone, the hop is done
    (project_root / "app" / "views.py").write_text("from django.urls import path\n")
    result = step(project_root, FakeStages(), resume=True)
    assert result.exit_code == 0, result.message
    last = load_state(project_root).history[-1]
    assert last.manual == () and last.status == "done"


class DeclaresNoDjango(FakeStages):
    """A reusable app: its files never name Django; records the Django each stage is given."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def dependencies(self, project: Project, hop: Hop, options: StepOptions) -> DependencyOutcome:
        self.seen.append(f"dependencies {project.django_version}")
        outcome = super().dependencies(project, hop, options)
        (project.root / "requirements.txt").write_text("six==1.16.0\n")
        return outcome

    def rewrite(self, project: Project, hop: Hop, packages: dict[str, str]) -> RewriteOutcome:
        self.seen.append(f"rewrite {project.django_version}")
        return super().rewrite(project, hop, packages)


def test_a_project_that_declares_no_django_is_taken_at_the_hops_source(tmp_path: Path) -> None:
    root = repository_with_project_in(
        tmp_path, "", {**PROJECT_FILES, "requirements.txt": "six==1.16.0\n"}
    )
    stages = DeclaresNoDjango()
    result = step(root, stages, django_from="2.2")
    assert result.exit_code == 0, result.message
    assert stages.seen == ["dependencies 2.2", "rewrite 2.2"]


def test_installed_set_reads_the_environments_pins_and_leaves_out_path_installs(
    tmp_path: Path,
) -> None:
    """A real environment: one package from a folder index (``name==version``), one installed
    from a wheel's path (``name @ file://...``, the project itself in a stage env)."""
    from tests.deps.conftest import Dist, build_wheel
    from upgrader.deps.resolve import find_uv
    from upgrader.step.stages import installed_set

    uv = find_uv()
    assert uv is not None
    build_wheel(Dist("Django_Foo", "1.0"), tmp_path)
    by_path = build_wheel(Dist("by-path", "2.0"), tmp_path)
    env = tmp_path / "env"
    python = env / "bin" / "python"
    subprocess.run([uv, "venv", "-q", "--offline", str(env)], check=True, capture_output=True)
    install = ["pip", "install", "-q", "--offline", "--python", str(python), "--no-index"]
    source = ["--find-links", str(tmp_path), "django-foo", str(by_path)]
    subprocess.run([uv, *install, *source], check=True, capture_output=True)
    assert installed_set(python) == {"django-foo": "1.0"}
