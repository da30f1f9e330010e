"""The plan says everything the stages found: test environment, why a Python, the date cut-off."""

from __future__ import annotations

import dataclasses
import io
import json
import os
import subprocess
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, ClassVar

import jsonschema
import pytest
from rich.console import Console

from tests.test_plan import SCHEMA, RecordingStages, fake_interpreter, make_project
from upgrader.deps import era
from upgrader.hops import Hop
from upgrader.plan import HopAnalysis, Plan, PlanOptions, build_plan
from upgrader.plan import stages as plan_stages
from upgrader.plan.render import render_json, render_markdown, render_text
from upgrader.project import Evidence, Project, PythonDeclaration
from upgrader.serialize import from_data


def text_of(plan: Plan) -> str:
    out = io.StringIO()
    render_text(plan, Console(file=out, width=200, highlight=False, color_system=None))
    return out.getvalue()


def environment_project(root: Path) -> Project:
    project = make_project(root)
    (root / "tox.ini").write_text(
        "[testenv]\n"
        "setenv =\n"
        "    DJANGO_DEBUG = 1\n"
        "deps =\n"
        "    pytest-django\n"
        "commands =\n"
        "    python manage.py collectstatic --noinput\n"
        "    python manage.py test\n"
    )
    (root / "app" / "settings.py").write_text(
        "import os\nSECRET_KEY = os.environ.get('APP_SECRET', 'x')\n"
    )
    return dataclasses.replace(project, settings_files=(root / "app" / "settings.py",))


def test_plan_shows_the_test_environment_with_its_evidence(tmp_path: Path) -> None:
    project = environment_project(tmp_path / "proj")
    plan = build_plan(project, stages=RecordingStages(), find_interpreter=fake_interpreter)
    environment = plan.test_environment
    assert [(v.name, v.value, v.evidence) for v in environment.env] == [
        ("DJANGO_DEBUG", "1", "tox.ini:3")
    ]
    assert [(v.name, v.value, v.evidence, v.detail) for v in environment.pass_env] == [
        ("APP_SECRET", None, "app/settings.py:2", "read by the settings")
    ]
    assert [i.value for i in environment.pre_test] == ["python manage.py collectstatic --noinput"]
    assert [i.value for i in environment.requirements] == ["pytest-django"]

    text = text_of(plan)
    assert "Test environment (every stage):" in text
    assert "set DJANGO_DEBUG=1  (tox.ini:3, setenv)" in text
    assert "pass through APP_SECRET  (app/settings.py:2, read by the settings)" in text
    assert "before the tests: python manage.py collectstatic --noinput  (tox.ini:7" in text
    assert "test requirement: pytest-django  (tox.ini:5" in text
    markdown = render_markdown(plan)
    assert "- **Test environment (every stage):**" in markdown
    assert "  - set DJANGO_DEBUG=1  (tox.ini:3, setenv)" in markdown

    data = json.loads(render_json(plan))
    jsonschema.validate(data, SCHEMA)
    assert data["schema"] == 1
    assert data["test_environment"]["env"] == [
        {"name": "DJANGO_DEBUG", "value": "1", "evidence": "tox.ini:3", "detail": "setenv"}
    ]
    assert data["test_environment"]["pass_env"][0]["value"] is None
    assert from_data(Plan, data) == plan


def test_pytest_settings_and_notes_are_shown(tmp_path: Path) -> None:
    project = make_project(tmp_path / "proj")
    (project.root / "pytest.ini").write_text(
        "[pytest]\nDJANGO_SETTINGS_MODULE = app.test_settings\n"
    )
    (project.root / ".travis.yml").write_text("env:\n  global:\n    - secure: abcdef\n")
    plan = build_plan(project, stages=RecordingStages(), find_interpreter=fake_interpreter)
    assert plan.test_environment.settings is not None
    assert plan.test_environment.settings.value == "app.test_settings"
    text = text_of(plan)
    assert "tests' settings: app.test_settings  (pytest.ini:2, DJANGO_SETTINGS_MODULE)" in text
    assert "note: an encrypted Travis variable: never copied  (.travis.yml" in text
    jsonschema.validate(json.loads(render_json(plan)), SCHEMA)


def test_an_empty_test_environment_says_so(tmp_path: Path) -> None:
    plan = build_plan(
        make_project(tmp_path / "proj"), stages=RecordingStages(), find_interpreter=fake_interpreter
    )
    assert plan.test_environment.empty
    assert "Test environment: nothing to set" in text_of(plan)
    assert "- **Test environment:** nothing to set" in render_markdown(plan)


def test_a_document_without_the_new_keys_still_validates_and_loads(tmp_path: Path) -> None:
    plan = build_plan(
        make_project(tmp_path / "proj"), stages=RecordingStages(), find_interpreter=fake_interpreter
    )
    data = json.loads(render_json(plan))
    del data["test_environment"], data["current"]["python_reason"]
    del data["current"]["settings_evidence"]
    jsonschema.validate(data, SCHEMA)
    assert from_data(Plan, data).test_environment.empty


def test_plan_says_why_each_python(tmp_path: Path) -> None:
    reason = "runtime.txt:1 (runtime.txt: python-3.8.18) names Python 3.8"
    base = make_project(tmp_path / "proj")
    other = PythonDeclaration(Evidence(".python-version", 1), ".python-version", "3.8")
    project = dataclasses.replace(
        base,
        python_reason=reason,
        python_declarations=(*base.python_declarations, other),
    )
    plan = build_plan(project, stages=RecordingStages(), find_interpreter=fake_interpreter)
    assert plan.current.python_reason == reason
    assert "Python 3.8 kept: Django 3.2 supports 3.6-3.10." in plan.hops[0].notes
    assert (
        "Python 3.8 -> 3.10: Django 5.2 supports 3.10-3.14: the nearest to Python 3.8 is 3.10."
        in plan.hops[2].notes
    )
    text = text_of(plan)
    # The reason names runtime.txt:1: the other evidence follows it, each piece once.
    assert f"Python 3.8: {reason}  (also .python-version:1 (.python-version: 3.8))\n" in text
    assert "Python 3.8 kept: Django 3.2 supports 3.6-3.10." in text
    assert f"**Python now:** 3.8: {reason} (also .python-version:1" in render_markdown(plan)
    data = json.loads(render_json(plan))
    jsonschema.validate(data, SCHEMA)
    assert data["current"]["python_reason"] == reason
    alone = dataclasses.replace(project, python_declarations=base.python_declarations)
    plan = build_plan(alone, stages=RecordingStages(), find_interpreter=fake_interpreter)
    assert f"Python 3.8: {reason}\n" in text_of(plan)


def test_settings_configured_in_code_are_shown_with_their_line(tmp_path: Path) -> None:
    project = dataclasses.replace(
        make_project(tmp_path / "proj"),
        settings_module=None,
        settings_file=None,
        settings_evidence=Evidence("runtests.py", 78, "settings.configure(...)"),
    )
    plan = build_plan(project, stages=RecordingStages(), find_interpreter=fake_interpreter)
    assert "Settings: configured in code (runtests.py:78)" in text_of(plan)
    assert "- **Settings:** configured in code (runtests.py:78)" in render_markdown(plan)
    data = json.loads(render_json(plan))
    jsonschema.validate(data, SCHEMA)
    assert (data["current"]["settings"], data["current"]["settings_evidence"]) == (
        None,
        "runtests.py:78",
    )
    named = dataclasses.replace(project, settings_module="app.settings", settings_evidence=None)
    plan = build_plan(named, stages=RecordingStages(), find_interpreter=fake_interpreter)
    assert "Settings: app.settings\n" in text_of(plan)
    nothing = dataclasses.replace(project, settings_evidence=None)
    plan = build_plan(nothing, stages=RecordingStages(), find_interpreter=fake_interpreter)
    assert "Settings: not found" in text_of(plan)


def git(root: Path, *args: str, date: str = "2021-03-04T05:06:07+00:00") -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


class AsOfStages:
    """Records the ``as_of`` build_plan gives the default stages (no index, no rewrites)."""

    made: ClassVar[list[object]] = []

    def __init__(self, *, as_of: object = "auto") -> None:
        AsOfStages.made.append(as_of)

    def analyse(self, project: Project, hop: Hop, options: PlanOptions) -> HopAnalysis:
        return HopAnalysis()


def test_plan_gives_the_stages_the_baseline_cutoff_of_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(tmp_path / "proj")
    root = project.root
    (root / "requirements.txt").write_text("Django==2.2.28\nfaker\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "requirements.txt")
    git(root, "commit", "-q", "-m", "deps")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "code", date="2022-01-01T00:00:00+00:00")
    # Django's upload time would be read from the index: the release table's date instead.
    monkeypatch.setattr(era, "django_uploaded", lambda version, index=None: None)
    monkeypatch.setattr(plan_stages, "DefaultStages", AsOfStages)
    AsOfStages.made = []
    build_plan(project, find_interpreter=fake_interpreter)
    assert AsOfStages.made == [datetime(2021, 3, 4, 5, 6, 7, tzinfo=timezone.utc)]
    # Without a dependency stage there is nothing to date.
    AsOfStages.made = []
    build_plan(project, PlanOptions(dependencies=False), find_interpreter=fake_interpreter)
    assert AsOfStages.made == [None]


def test_default_stages_pass_as_of_to_the_dependency_stage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[Any] = []

    def fake_plan_dependencies(*args: Any, **kwargs: Any) -> None:
        seen.append(kwargs.get("as_of", "missing"))
        return None

    monkeypatch.setattr(plan_stages, "plan_dependencies", fake_plan_dependencies)
    moment = datetime(2020, 5, 1, tzinfo=timezone.utc)
    project = make_project(tmp_path / "proj")
    plan = build_plan(
        project,
        PlanOptions(rewrites=False),
        stages=plan_stages.DefaultStages(as_of=moment),
        find_interpreter=fake_interpreter,
    )
    assert seen == [moment] * len(plan.hops)
    assert plan_stages.DefaultStages().as_of == "auto"
