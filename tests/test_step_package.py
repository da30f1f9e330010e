"""The ``upgrader.step`` package (issue 14): its model is data, its state module is light, and
``from upgrader.step import X`` still finds every name where it now lives."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import upgrader.step
import upgrader.step.model as step_model
from tests.test_plan_model import ORCHESTRATORS_AND_STAGES, _reached
from tests.test_plan_model import (
    test_a_model_holds_frozen_dataclasses_only as holds_frozen_dataclasses_only,
)

# The step's own orchestrator and stages, which its model and state must never reach.
STEP_CODE = frozenset(
    {
        "upgrader.step.phases",
        "upgrader.step.transaction",
        "upgrader.step.stages",
        "upgrader.step.report",
        "upgrader.step.undo",
    }
)


def test_the_step_model_holds_frozen_dataclasses_only() -> None:
    holds_frozen_dataclasses_only(step_model)


@pytest.mark.parametrize("module", ["upgrader.step.model", "upgrader.step.state"])
def test_the_step_model_and_state_reach_no_orchestrator_or_stage(module: str) -> None:
    reached = _reached(module)
    assert "upgrader.step.model" in reached or module == "upgrader.step.model"
    banned = reached & (ORCHESTRATORS_AND_STAGES | STEP_CODE)
    assert not banned, sorted(banned)


def test_importing_the_state_module_does_not_import_the_transaction() -> None:
    """What ``upgrader.deps`` and ``upgrader.diagnose`` import to read the state (the package's
    ``__init__`` re-exports lazily, so it does not pull the transaction in)."""
    code = (
        "import sys, upgrader.step.state; "
        "print(sorted(m for m in sys.modules if m.startswith('upgrader.step')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    loaded = set(ast.literal_eval(out))
    assert "upgrader.step.state" in loaded
    assert not loaded & STEP_CODE, sorted(loaded & STEP_CODE)


def _submodules() -> list[ModuleType]:
    return [
        importlib.import_module(f"upgrader.step.{info.name}")
        for info in pkgutil.iter_modules(upgrader.step.__path__)
    ]


def test_every_name_of_the_package_is_the_one_of_its_home() -> None:
    """Every submodule imported first: a submodule named like a re-exported name (``rollback``)
    would shadow it on the package."""
    modules = {module.__name__: module for module in _submodules()}
    assert set(upgrader.step.__all__) == set(upgrader.step.HOMES)
    for name, home in upgrader.step.HOMES.items():
        value = getattr(upgrader.step, name)
        assert not inspect.ismodule(value), f"upgrader.step.{name} is a module"
        assert value is getattr(modules[f"upgrader.step.{home}"], name), name
    with pytest.raises(AttributeError, match="no attribute 'no_such_name'"):
        _ = upgrader.step.no_such_name


def test_the_type_checking_imports_match_the_homes() -> None:
    """mypy reads the ``if TYPE_CHECKING:`` imports, Python the table: they must agree."""
    assert upgrader.step.__file__ is not None
    with open(upgrader.step.__file__, encoding="utf-8") as source:
        tree = ast.parse(source.read())
    imported = {
        alias.name: (node.module or "").removeprefix("upgrader.step.")
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("upgrader.step.")
        for alias in node.names
    }
    assert imported == upgrader.step.HOMES


def test_the_state_folder_snapshot_ignores_another_runs_write_in_flight(tmp_path: Path) -> None:
    """A step refused for the lock writes ``.lock.<x>.tmp`` while the winner takes its snapshot
    (the real race of tests/e2e/test_concurrency.py): neither a file of ours nor a sign that the
    folder was there before."""
    from upgrader.step.backup import StateDirSnapshot

    folder = tmp_path / ".upgrader"
    folder.mkdir()
    (folder / "README.md").write_text("upgrader\n")
    (folder / ".lock.k2j9x1.tmp").write_text("pid 1\n")
    snapshot = StateDirSnapshot.take(tmp_path, existed=False)
    assert sorted(snapshot.files) == ["README.md"]
    assert snapshot.existed is False
