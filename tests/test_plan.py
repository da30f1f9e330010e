from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema
import pytest
from packaging.version import Version
from rich.console import Console

from upgrader.hops import Hop
from upgrader.plan import (
    HopAnalysis,
    ManualItem,
    Plan,
    PlanOptions,
    RewriteCount,
    build_plan,
)
from upgrader.plan.render import render_json, render_markdown, render_text
from upgrader.project import (
    DjangoRequirement,
    Evidence,
    Project,
    PythonDeclaration,
)
from upgrader.project import (
    TestRunner as Runner,
)
from upgrader.serialize import from_data

SCHEMA = json.loads(
    (Path(__file__).resolve().parent.parent / "upgrader/schema/plan-1.schema.json").read_text()
)


def make_project(root: Path, django: str = "2.2.28", python: str | None = "3.8") -> Project:
    (root / "app").mkdir(parents=True, exist_ok=True)
    (root / "app" / "views.py").write_text("from django.conf.urls import url\n")
    return Project(
        root=root,
        manage_py=root / "manage.py",
        settings_module="app.settings",
        settings_file=root / "app" / "settings.py",
        django_version=Version(django),
        django_requirements=(
            DjangoRequirement(
                Evidence("requirements.txt", 1), "requirements", f"=={django}", Version(django)
            ),
        ),
        python_version=python,
        python_declarations=(PythonDeclaration(Evidence("runtime.txt", 1), "runtime.txt", python),)
        if python
        else (),
        test_runner=Runner("django", ("python", "manage.py", "test")),
    )


class RecordingStages:
    """A stand-in for the real stages: records what the plan asks, answers per hop."""

    def __init__(self) -> None:
        self.seen: list[tuple[Path, str]] = []

    def analyse(self, project: Project, hop: Hop, options: PlanOptions) -> HopAnalysis:
        self.seen.append((project.root, hop.name))
        # The stages get one scratch copy, rewritten hop after hop: each hop sees the last one's output.
        expected = f"# rewritten for {hop.source.name}\n" if self.seen[:-1] else "from django"
        assert (project.root / "app" / "views.py").read_text().startswith(expected)
        (project.root / "app" / "views.py").write_text(f"# rewritten for {hop.target.name}\n")
        return HopAnalysis(
            rewrites=(RewriteCount(f"codemods:rule_{hop.target.name}", 2, ("app/views.py",)),)
            if hop.target.name == "3.2"
            else (),
            manual=(
                ManualItem(
                    "is-ajax",
                    "app/views.py",
                    3,
                    "request.is_ajax() was removed",
                    "use headers",
                    "https://d/",
                ),
            )
            if hop.target.name == "4.2"
            else (),
        )


def fake_interpreter(python: str) -> None:
    return None


def test_plan_walks_the_path_on_a_scratch_copy(tmp_path: Path) -> None:
    project = make_project(tmp_path / "proj")
    stages = RecordingStages()
    plan = build_plan(project, PlanOptions(), stages=stages, find_interpreter=fake_interpreter)
    assert [(h.source, h.target, h.python) for h in plan.hops] == [
        ("2.2", "3.2", "3.8"),
        ("3.2", "4.2", "3.8"),
        ("4.2", "5.2", "3.10"),
    ]
    assert [name for _, name in stages.seen] == ["2.2 -> 3.2", "3.2 -> 4.2", "4.2 -> 5.2"]
    assert all(root != project.root for root, _ in stages.seen)
    # The project itself is untouched.
    assert (project.root / "app" / "views.py").read_text() == "from django.conf.urls import url\n"
    assert plan.hops[0].automatic_changes == 2
    assert plan.hops[1].manual[0].id == "is-ajax"
    assert any("No Python 3.10 on this machine" in n for n in plan.hops[2].notes)
    assert any("Python 3.8 -> 3.10" in n for n in plan.hops[2].notes)


def test_plan_json_validates_against_the_schema_and_round_trips(tmp_path: Path) -> None:
    plan = build_plan(
        make_project(tmp_path / "proj"),
        PlanOptions(to="latest"),
        stages=RecordingStages(),
        find_interpreter=fake_interpreter,
    )
    text = render_json(plan)
    data = json.loads(text)
    jsonschema.validate(data, SCHEMA)
    assert data["schema"] == 1
    assert [(h["from"], h["to"]) for h in data["hops"]][-1] == ("5.2", "6.1")
    assert from_data(Plan, data) == plan
    assert render_json(from_data(Plan, data)) == text


def test_schema_rejects_a_broken_document(tmp_path: Path) -> None:
    plan = build_plan(
        make_project(tmp_path / "proj"), stages=RecordingStages(), find_interpreter=fake_interpreter
    )
    data = json.loads(render_json(plan))
    data["hops"][0]["to"] = 3.2
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)


def test_already_at_target_is_an_empty_path_with_a_note(tmp_path: Path) -> None:
    plan = build_plan(
        make_project(tmp_path / "proj", django="5.2.3", python="3.12"),
        stages=RecordingStages(),
        find_interpreter=fake_interpreter,
    )
    assert plan.hops == ()
    assert plan.notes and "Already on Django 5.2.3" in plan.notes[0]
    jsonschema.validate(json.loads(render_json(plan)), SCHEMA)


def test_markdown_and_text_show_path_counts_and_manual_items(tmp_path: Path) -> None:
    plan = build_plan(
        make_project(tmp_path / "proj"), stages=RecordingStages(), find_interpreter=fake_interpreter
    )
    markdown = render_markdown(plan)
    assert markdown.startswith("# Django upgrade plan: 2.2 → 3.2 → 4.2 → 5.2")
    assert "| `codemods:rule_3.2` | 2 | app/views.py |" in markdown
    assert "- [ ] `app/views.py:3` **request.is_ajax() was removed**" in markdown
    buffer = io.StringIO()
    render_text(plan, Console(file=buffer, width=200, color_system=None))
    text = buffer.getvalue()
    assert "Path: 2.2 → 3.2 → 4.2 → 5.2" in text
    assert "app/views.py:3" in text
    assert "\x1b[" not in text  # no colour codes when not a terminal


def test_python_evidence_is_shown_once_each_and_bounded(tmp_path: Path) -> None:
    import dataclasses

    from upgrader.plan.render import SOURCES_SHOWN

    project = make_project(tmp_path / "proj")
    declarations = (
        PythonDeclaration(Evidence(".python-version", 1), ".python-version", "3.8"),
        *[PythonDeclaration(Evidence("tox.ini", 5), "tox.ini", "3.5")] * 3,
        *(PythonDeclaration(Evidence(".travis.yml", n), "ci", "3.6") for n in range(10, 20)),
    )
    project = dataclasses.replace(project, python_declarations=declarations)
    plan = build_plan(project, stages=RecordingStages(), find_interpreter=fake_interpreter)
    assert len(plan.current.python_sources) == 14  # the JSON keeps every one
    buffer = io.StringIO()
    render_text(plan, Console(file=buffer, width=400, color_system=None))
    line = next(ln for ln in buffer.getvalue().splitlines() if ln.startswith("Python 3.8"))
    assert line.count("tox.ini:5") == 1
    assert line.startswith("Python 3.8  (.python-version:1 (.python-version: 3.8); tox.ini:5")
    assert f"and {12 - SOURCES_SHOWN} more" in line
    markdown = render_markdown(plan)
    assert markdown.count("tox.ini:5") == 1 and f"and {12 - SOURCES_SHOWN} more" in markdown
