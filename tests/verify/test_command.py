"""Pieces of ``upgrader verify``: the stage asked for, the saved baseline, the JSON schema."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from packaging.version import Version

from tests.verify.test_run import FAKE_TOX, PYTHON, fake_env
from upgrader.errors import StateError, UsageError
from upgrader.interpreters import Interpreter
from upgrader.project import Project
from upgrader.verify.baseline import Baseline
from upgrader.verify.command import (
    baseline_path,
    load_baseline,
    render_json,
    run_verify,
    save_baseline,
    stage_release,
)
from upgrader.verify.run import ToxInvocation


@pytest.mark.parametrize(
    ("stage", "expected"),
    [
        pytest.param(None, "2.2", id="default-is-the-current-django"),
        pytest.param("4.2", "4.2", id="explicit-stage"),
        pytest.param("3.2.25", "3.2", id="patch-release-names-its-series"),
    ],
)
def test_stage_release(tiny: Project, stage: str | None, expected: str) -> None:
    assert stage_release(tiny, stage).name == expected


@pytest.mark.parametrize(
    ("stage", "message"),
    [
        pytest.param("1.8", "not a stage upgrader knows", id="too-old"),
        pytest.param("banana", "not a Django version", id="nonsense"),
    ],
)
def test_stage_release_refuses(tiny: Project, stage: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        stage_release(tiny, stage)


def test_baseline_round_trip(tiny: Project) -> None:
    assert load_baseline(tiny.root) is None
    (tiny.root / ".upgrader").mkdir()
    baseline = Baseline("2.2", frozenset({"a.T.test_x"}), "log")
    save_baseline(tiny.root, baseline)
    assert load_baseline(tiny.root) == baseline


@pytest.mark.parametrize(
    "content",
    [
        pytest.param("{not json", id="not-json"),
        pytest.param("[1, 2]", id="not-an-object"),
    ],
)
def test_corrupt_baseline_is_a_clear_error(tiny: Project, content: str) -> None:
    path = baseline_path(tiny.root)
    path.parent.mkdir()
    path.write_text(content)
    with pytest.raises(StateError, match="not a readable baseline") as info:
        load_baseline(tiny.root)
    assert info.value.path == path


SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "upgrader/schema/verify-1.schema.json").read_text()
)


def _validate(document: object) -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.validate(document, SCHEMA, cls=jsonschema.Draft202012Validator)


@pytest.fixture
def replayed_tox(tmp_path: Path) -> ToxInvocation:
    """tox replaying real logs (tests/verify/test_run.py's stand-in): no network, no Django."""
    script = tmp_path / "fake_tox.py"
    script.write_text(FAKE_TOX)
    return ToxInvocation(executable=(sys.executable, str(script)))


@pytest.mark.parametrize(
    ("fixture", "exit_code", "results", "accept"),
    [
        pytest.param("django-2.2-py3.8-green.txt", 0, "", False, id="green"),
        pytest.param("django-2.2-py3.8-failing.txt", 1, "", False, id="failing"),
        pytest.param("django-2.2-py3.8-failing.txt", 1, "", True, id="baseline"),
        pytest.param("django-2.2-py3.8-import-error.txt", 1, "", False, id="import-error"),
        pytest.param("", 1, "writer-django-2.2.28-py3.6.json", False, id="result-writer"),
    ],
)
def test_verify_json_matches_its_schema(
    tiny: Project,
    replayed_tox: ToxInvocation,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fixture: str,
    exit_code: int,
    results: str,
    accept: bool,
) -> None:
    if results:
        fixture = fixture or "results/" + results.replace(".json", ".txt")
    for key, value in fake_env(tmp_path, "run", fixture, exit_code, results).items():
        monkeypatch.setenv(key, value)
    result = run_verify(tiny.root, python=PYTHON, tox=replayed_tox, accept_failing=accept)
    document = json.loads(render_json(result))
    _validate(document)
    assert document["schema"] == 1 and document["run"]["schema"] == 1
    assert document["ok"] == (result.exit_code == 0)
    if accept:
        assert document["baseline"]["failing"] == list(result.run.failing)
    if results:
        assert document["run"]["results"] == "result-writer"


def test_verify_json_of_a_run_with_warnings_matches_its_schema(
    tiny: Project, replayed_tox: ToxInvocation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in fake_env(tmp_path, "run", "django-4.2-py3.12-failing.txt", 1).items():
        monkeypatch.setenv(key, value)
    locked = tiny.root / ".upgrader" / "constraints" / "django-4.2.txt"
    locked.parent.mkdir(parents=True)
    locked.write_text("Django==4.2.30\n")
    python = Interpreter(Version("3.12.1"), Path(sys.executable), "config")
    document = json.loads(
        render_json(run_verify(tiny.root, "4.2", python=python, tox=replayed_tox))
    )
    _validate(document)
    assert document["run"]["warnings"], "the fixture's deprecation warnings are in the document"


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda d: d.pop("schema"), id="no-schema-key"),
        pytest.param(lambda d: d.update(schema=2), id="another-schema"),
        pytest.param(lambda d: d["run"].update(extra=1), id="unknown-key"),
        pytest.param(lambda d: d["run"].update(runner="nose"), id="unknown-runner"),
    ],
)
def test_the_schema_rejects_other_documents(
    tiny: Project,
    replayed_tox: ToxInvocation,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    change: Callable[[dict[str, Any]], object],
) -> None:
    for key, value in fake_env(tmp_path, "run", "django-2.2-py3.8-green.txt").items():
        monkeypatch.setenv(key, value)
    document = json.loads(render_json(run_verify(tiny.root, python=PYTHON, tox=replayed_tox)))
    change(document)
    with pytest.raises(jsonschema.ValidationError):
        _validate(document)
