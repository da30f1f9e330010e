"""Issue 20: the report says what was verified and reviewed, ``check`` honours ``reviewed``, and a
reusable app's next hop needs no ``--from``."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from tests.test_check import project as check_project
from tests.test_step import PROJECT_FILES, FakeStages, git, step
from tests.test_step_followups import DeclaresNoDjango, repository_with_project_in
from upgrader.check import run_check
from upgrader.errors import DetectionError
from upgrader.hops import Hop
from upgrader.plan import DependencyChange
from upgrader.project import Project
from upgrader.step import DependencyOutcome, StepOptions, load_state, rollback, status_lines
from upgrader.step.state import recorded_django


def report_of(root: Path, stage: str) -> dict[str, Any]:
    path = root / ".upgrader" / "reports" / f"django-{stage}" / "report.json"
    data: dict[str, Any] = json.loads(path.read_text())
    return data


# --- upgrader check and [tool.upgrader] reviewed ---------------------------------------------


REVIEWED = '[tool.upgrader]\nreviewed = ["conf-urls-url notes/old_urls.py"]\n'


def _found(run: Any) -> list[tuple[str, str]]:
    return [(f.file, f.id) for _p, _t, result in run.projects for f in result.findings]


def test_check_leaves_out_the_findings_reviewed_names(tmp_path: Path) -> None:
    root = check_project(tmp_path / "p", pyproject=REVIEWED)
    files = [root / "notes/old_urls.py", root / "notes/other_urls.py"]
    run = run_check(files, target="5.2")
    assert _found(run) == [("notes/other_urls.py", "conf-urls-url")]
    [(_project, _target, result)] = run.projects
    assert result.reviewed == 1 and run.breaking == 1
    # the whole project, as `upgrader check PROJECT` runs it
    whole = _found(run_check([root], target="5.2"))
    assert ("notes/other_urls.py", "conf-urls-url") in whole
    assert ("notes/old_urls.py", "conf-urls-url") not in whole


def test_check_without_reviewed_reports_every_finding(tmp_path: Path) -> None:
    root = check_project(tmp_path / "p")
    run = run_check([root / "notes/old_urls.py"], target="5.2")
    assert _found(run) == [("notes/old_urls.py", "conf-urls-url")]
    assert run.projects[0][2].reviewed == 0


def test_a_reviewed_line_leaves_the_other_lines_of_the_file_checked(tmp_path: Path) -> None:
    root = check_project(
        tmp_path / "p",
        pyproject='[tool.upgrader]\nreviewed = ["conf-urls-url notes/old_urls.py:9"]\n',
    )
    assert _found(run_check([root / "notes/old_urls.py"], target="5.2")) == [
        ("notes/old_urls.py", "conf-urls-url")
    ]


# --- the report's tests_before / tests_after: the accepted failures --------------------------


def test_the_report_lists_the_failures_the_baseline_accepted(tmp_path: Path) -> None:
    from upgrader.verify.baseline import Baseline
    from upgrader.verify.command import save_baseline

    root = repository_with_project_in(tmp_path, "", PROJECT_FILES)
    (root / ".upgrader").mkdir(exist_ok=True)
    save_baseline(root, Baseline("2.2", frozenset({"app.tests.T.test_x"})))
    result = step(root, FakeStages(red_on={"2.2", "3.2"}))
    assert result.exit_code == 0, result.message
    report = report_of(root, "3.2")
    assert report["tests_before"]["accepted"] == ["app.tests.T.test_x"]
    assert report["tests_after"]["accepted"] == ["app.tests.T.test_x"]
    markdown = (root / ".upgrader" / "reports" / "django-3.2" / "report.md").read_text()
    assert "- `app.tests.T.test_x` (accepted in the baseline)" in markdown
    html = (root / ".upgrader" / "reports" / "django-3.2" / "report.html").read_text()
    assert "(accepted in the baseline)" in html


def test_a_green_report_accepts_nothing(tmp_path: Path) -> None:
    root = repository_with_project_in(tmp_path, "", PROJECT_FILES)
    assert step(root, FakeStages()).exit_code == 0
    report = report_of(root, "3.2")
    assert report["tests_before"]["accepted"] == [] and report["tests_after"]["accepted"] == []
    assert report["reviewed"] == []


# --- a reusable app's next hop: the Django the last hop recorded ------------------------------


def reusable_app(tmp_path: Path) -> Path:
    return repository_with_project_in(
        tmp_path, "", {**PROJECT_FILES, "requirements.txt": "six==1.16.0\n"}
    )


def test_a_reusable_apps_next_hop_starts_at_the_last_hops_target(tmp_path: Path) -> None:
    root = reusable_app(tmp_path)
    assert step(root, DeclaresNoDjango(), django_from="2.2").exit_code == 0
    assert recorded_django(load_state(root)) == "3.2"
    # The next hop, as a user runs it: no --from, the files still name no Django.
    stages = DeclaresNoDjango()
    result = step(root, stages)
    assert result.exit_code == 0, result.message
    assert stages.seen == ["dependencies 3.2", "rewrite 3.2"]
    assert [(h.source, h.target) for h in load_state(root).history] == [
        ("2.2", "3.2"),
        ("3.2", "4.2"),
    ]
    assert git(root, "branch", "--show-current").strip() == "upgrade/django-4.2"


def test_a_reusable_app_with_no_hop_yet_still_needs_from(tmp_path: Path) -> None:
    root = reusable_app(tmp_path)
    with pytest.raises(DetectionError):
        step(root, DeclaresNoDjango())
    assert load_state(root).history == ()


# --- the dependency table: a chosen release the stage env does not have ----------------------


class ChoosesAnExtra(FakeStages):
    """The dependency phase chooses a package the stage's environment never installs (a marker
    or an extra the stage leaves out): its row must not read as verified."""

    def dependencies(self, project: Project, hop: Hop, options: StepOptions) -> DependencyOutcome:
        outcome = super().dependencies(project, hop, options)
        extra = DependencyChange("pywin32", "300", "306", "newest release")
        return dataclasses.replace(outcome, changes=(*outcome.changes, extra))


def test_a_chosen_package_the_env_lacks_is_said_to_be_unverified(tmp_path: Path) -> None:
    root = repository_with_project_in(tmp_path, "", PROJECT_FILES)
    assert step(root, ChoosesAnExtra()).exit_code == 0
    rows = {row["name"]: row for row in report_of(root, "3.2")["dependencies"]}
    assert rows["django"]["chosen"] == "3.2.0" and rows["django"]["reason"] == "newest patch"
    assert rows["pywin32"]["chosen"] == "306"
    assert rows["pywin32"]["reason"] == (
        "newest release; not installed in the stage's environment (not verified)"
    )


def test_status_and_rollback_of_a_reusable_app_need_no_from(tmp_path: Path) -> None:
    root = reusable_app(tmp_path)
    assert step(root, DeclaresNoDjango(), django_from="2.2").exit_code == 0
    lines = status_lines(root)
    assert "Django now: 3.2" in lines
    assert "  done   Django 2.2 -> 3.2 on Python 3.8 (upgrade/django-3.2)" in lines
    assert "Rolled back the Django 2.2 -> 3.2 hop: back on main." in rollback(root)
    assert load_state(root).history == ()
    with pytest.raises(DetectionError):  # nothing recorded any more: --from again
        status_lines(root)


def test_a_from_given_again_at_the_next_hop_does_not_take_it_back(tmp_path: Path) -> None:
    """benchmarks' walk passes the first hop's --from at every step (FINDINGS F72's walk)."""
    root = reusable_app(tmp_path)
    assert step(root, DeclaresNoDjango(), django_from="2.2").exit_code == 0
    stages = DeclaresNoDjango()
    result = step(root, stages, django_from="2.2")
    assert result.exit_code == 0, result.message
    assert stages.seen == ["dependencies 3.2", "rewrite 3.2"]
    assert [h.target for h in load_state(root).history] == ["3.2", "4.2"]
