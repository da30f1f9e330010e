"""The plan's, the report's and verify's models are data apart from the code that makes them
(issue 14): frozen dataclasses only, and nothing they import reaches an orchestrator or a stage."""

from __future__ import annotations

import dataclasses
import inspect
from types import ModuleType
from typing import Protocol

import pytest

import upgrader.plan.model as plan_model
import upgrader.report.model as report_model
import upgrader.verify.model as verify_model
from tests.test_architecture import house_graph

# What a model must never reach, directly or through what it imports: the entries and stages.
ORCHESTRATORS_AND_STAGES = frozenset(
    {
        "upgrader.deps.plan",
        "upgrader.plan",
        "upgrader.plan.stages",
        "upgrader.report",
        "upgrader.report.convert",
        "upgrader.report.write",
        "upgrader.rewrite",
        "upgrader.rewrite.engine",
        "upgrader.rewrite.stages",
        "upgrader.step",
        "upgrader.step.phases",
        "upgrader.step.report",
        "upgrader.step.stages",
        "upgrader.step.transaction",
        "upgrader.verify.run",
    }
)


def _reached(module: str) -> set[str]:
    graph = house_graph()
    seen: set[str] = set()
    todo = [module]
    while todo:
        for target in graph[todo.pop()]:
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


@pytest.mark.parametrize(
    "module", [plan_model, report_model, verify_model], ids=lambda m: m.__name__
)
def test_a_model_holds_frozen_dataclasses_only(module: ModuleType) -> None:
    classes = [
        value
        for value in vars(module).values()
        if inspect.isclass(value) and value.__module__ == module.__name__
    ]
    assert classes
    loose = [
        c.__name__
        for c in classes
        if Protocol not in c.__mro__
        and not (dataclasses.is_dataclass(c) and c.__dataclass_params__.frozen)  # type: ignore[attr-defined]
    ]
    assert not loose, f"{module.__name__} holds classes that are not frozen dataclasses: {loose}"


@pytest.mark.parametrize(
    "module", ["upgrader.plan.model", "upgrader.report.model", "upgrader.verify.model"]
)
def test_a_model_reaches_no_orchestrator_or_stage(module: str) -> None:
    assert set(house_graph()) >= ORCHESTRATORS_AND_STAGES, "a module listed here is gone: update"
    reached = _reached(module)
    assert reached  # the graph knows the module and what it imports
    assert not reached & ORCHESTRATORS_AND_STAGES, sorted(reached & ORCHESTRATORS_AND_STAGES)


def test_the_report_reads_test_runs_from_the_verify_model_not_the_runner() -> None:
    imported = set(house_graph()["upgrader.report.convert"])
    assert "upgrader.verify.model" in imported
    assert "upgrader.verify.run" not in imported


def test_the_stages_import_the_plan_model_not_the_orchestrator() -> None:
    imported = set(house_graph()["upgrader.plan.stages"])
    assert "upgrader.plan.model" in imported
    assert "upgrader.plan" not in imported
