"""Pieces of ``upgrader verify``: the stage asked for, the saved baseline."""

from __future__ import annotations

import pytest

from upgrader.errors import StateError, UsageError
from upgrader.project import Project
from upgrader.verify.baseline import Baseline
from upgrader.verify.command import baseline_path, load_baseline, save_baseline, stage_release


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
