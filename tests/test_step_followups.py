"""The hop transaction: CI Pythons, the next hop's Python, reusable apps, .upgrader/ files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.test_step import (
    PROJECT_FILES,
    FakeStages,
    Recorder,
    git,
    machine,
    step,
)
from upgrader.hops import Hop
from upgrader.project import Project, detect_project
from upgrader.releases import get_release
from upgrader.step import (
    DependencyOutcome,
    MigrationsOutcome,
    StepOptions,
    load_state,
)
from upgrader.step_stages import DefaultHopStages, python_update
from upgrader.verify.results import write_result_writer

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
