"""``upgrader step``: one hop of the upgrade as a safe, resumable transaction.

A hop runs on its own branch, ``upgrade/django-X.Y``, made from the current head, in phases:

1. ``dependencies``: choose and resolve the dependency set for the target Django and Python,
   write the new pins back into the project's files, and write the stage's constraints file
   (``.upgrader/constraints/django-X.Y.txt``);
2. ``rewrite``: django-upgrade, our codemods and pyupgrade over code, settings and templates;
3. ``migrations``: ``manage.py makemigrations`` in the stage's environment, for the model state
   changes the hop brings (``index_together`` -> ``Meta.indexes`` renames, fields whose
   definition changed in Django); the new migrations are listed in the report for review;
4. ``verify``: the project's own tests on the target stage, in its tox environment;
5. ``report``: the per-step report (Markdown, HTML, JSON) in ``.upgrader/reports/django-X.Y/``.

Each phase ends in one commit with a clear message, and the state in ``.upgrader/state.json``
is saved after every phase (atomically), so ``upgrader step`` after a crash or Ctrl-C carries on
from the first unfinished phase. What an interrupted phase left half-done in the work tree is
put aside with ``git stash`` (never deleted) before the phase runs again.

A phase commits only what it made: untracked files that were there before the hop (build output
such as ``collectstatic``'s) are the user's and stay where they are, never committed or stashed;
the migrations phase commits migration modules only, so what running ``makemigrations`` leaves
(``db.sqlite3``, ``.pyc`` files, media) stays untracked too. Both are listed in the hop's
``left_alone`` and never make the tree dirty. The tree is refused only for changed tracked
files, or untracked files at paths the hop writes (Python modules, templates, dependency and
Python declarations). upgrader's own ``.upgrader/`` never makes the tree dirty.

A refused step leaves the repository as it found it: no branch, no hop in ``state.json``, no
``.upgrader/`` it did not have (only its git-ignored log, when the refusal points at one), the
same stash list and HEAD. A dependency phase that finds no working set abandons the hop the same
way.

Green tests with manual items still open (findings the rules could not fix) end the hop as
``manual-items-open``, not ``done``, and ``upgrader step`` exits 1; ``step --continue`` checks
again after the developer's fixes (``StepResult.manual_open`` is the count).

Failing tests after a hop mark it as needing attention: the report lists the failures; the
developer fixes them and runs ``upgrader step --continue``, which commits the fixes and
verifies again. The next hop never starts on red.

``--continue`` takes the project's own files as the one place to fix: when the fixes change a
dependency file (``requirements.txt``), the dependency phase runs again and the stage's
constraints follow it. A commit the developer adds on a finished hop's branch is unverified
(``status`` lists it) until ``--continue`` runs the hop's checks on it; the next hop's baseline
runs again over it. After the tests the hop saves what the stage's environment had installed
(``HopState.installed``); the report shows that set, and every commit on the branch.

Without git (``--no-git``), every file is copied to ``.upgrader/backups/django-X.Y/`` before the
hop touches anything; ``rollback`` puts them back.

The package, by what each module does (none of them imports this package; only ``transaction``
imports ``phases``, and nothing imports ``transaction``):

- ``model``: the data (frozen dataclasses, protocols, the phase and status names);
- ``state``: ``.upgrader/state.json`` read and written (what ``upgrader.deps`` and
  ``upgrader.diagnose`` import);
- ``paths``, ``commits``, ``backup``: paths relative to the repository's top, what each phase
  commits and its message, the no-git backups and the snapshot of ``.upgrader/``;
- ``phases`` and ``transaction``: the phases of a hop (:class:`HopPhases`) and the transaction
  that runs them (:class:`Step`);
- ``stages``: the real stages a hop composes; ``report``: the hop's report from its state;
- ``undo``: ``upgrader rollback`` and ``upgrader status`` (named so that ``rollback`` stays the
  function).

The names below are re-exported from their modules on first use, so importing
``upgrader.step.state`` (or the model) never imports the transaction and what it imports.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from upgrader.step.backup import RUNTIME_ENTRIES as RUNTIME_ENTRIES
    from upgrader.step.backup import backup_dir as backup_dir
    from upgrader.step.backup import restore_backup as restore_backup
    from upgrader.step.backup import take_backup as take_backup
    from upgrader.step.commits import PHASE_COMMITS as PHASE_COMMITS
    from upgrader.step.commits import TOOL_COMMIT as TOOL_COMMIT
    from upgrader.step.commits import stash_aside as stash_aside
    from upgrader.step.commits import uncommitted_work as uncommitted_work
    from upgrader.step.commits import unverified_commits as unverified_commits
    from upgrader.step.model import BRANCH_PREFIX as BRANCH_PREFIX
    from upgrader.step.model import COMPLETE as COMPLETE
    from upgrader.step.model import DIAGNOSE_BUDGET as DIAGNOSE_BUDGET
    from upgrader.step.model import DONE as DONE
    from upgrader.step.model import IN_PROGRESS as IN_PROGRESS
    from upgrader.step.model import MANUAL_OPEN as MANUAL_OPEN
    from upgrader.step.model import NEEDS_ATTENTION as NEEDS_ATTENTION
    from upgrader.step.model import PENDING as PENDING
    from upgrader.step.model import PHASES as PHASES
    from upgrader.step.model import REVERTED_REWRITE as REVERTED_REWRITE
    from upgrader.step.model import DependencyOutcome as DependencyOutcome
    from upgrader.step.model import DiagnoseHop as DiagnoseHop
    from upgrader.step.model import HopStages as HopStages
    from upgrader.step.model import HopState as HopState
    from upgrader.step.model import MigrationsOutcome as MigrationsOutcome
    from upgrader.step.model import PhaseRecord as PhaseRecord
    from upgrader.step.model import ProjectState as ProjectState
    from upgrader.step.model import RewriteOutcome as RewriteOutcome
    from upgrader.step.model import StepOptions as StepOptions
    from upgrader.step.model import StepReporter as StepReporter
    from upgrader.step.model import StepResult as StepResult
    from upgrader.step.paths import is_migration_module as is_migration_module
    from upgrader.step.phases import SilentReporter as SilentReporter
    from upgrader.step.state import STATE_FILE as STATE_FILE
    from upgrader.step.state import current_python as current_python
    from upgrader.step.state import load_state as load_state
    from upgrader.step.state import save_state as save_state
    from upgrader.step.state import state_path as state_path
    from upgrader.step.transaction import Step as Step
    from upgrader.step.transaction import TestsRedError as TestsRedError
    from upgrader.step.undo import rollback as rollback
    from upgrader.step.undo import status_lines as status_lines

# Where each name lives: ``from upgrader.step import X`` imports its module on first use.
HOMES: dict[str, str] = {
    "RUNTIME_ENTRIES": "backup",
    "backup_dir": "backup",
    "restore_backup": "backup",
    "take_backup": "backup",
    "PHASE_COMMITS": "commits",
    "TOOL_COMMIT": "commits",
    "stash_aside": "commits",
    "uncommitted_work": "commits",
    "unverified_commits": "commits",
    "BRANCH_PREFIX": "model",
    "COMPLETE": "model",
    "DIAGNOSE_BUDGET": "model",
    "DONE": "model",
    "IN_PROGRESS": "model",
    "MANUAL_OPEN": "model",
    "NEEDS_ATTENTION": "model",
    "PENDING": "model",
    "PHASES": "model",
    "REVERTED_REWRITE": "model",
    "DependencyOutcome": "model",
    "DiagnoseHop": "model",
    "HopStages": "model",
    "HopState": "model",
    "MigrationsOutcome": "model",
    "PhaseRecord": "model",
    "ProjectState": "model",
    "RewriteOutcome": "model",
    "StepOptions": "model",
    "StepReporter": "model",
    "StepResult": "model",
    "is_migration_module": "paths",
    "SilentReporter": "phases",
    "STATE_FILE": "state",
    "current_python": "state",
    "load_state": "state",
    "save_state": "state",
    "state_path": "state",
    "Step": "transaction",
    "TestsRedError": "transaction",
    "rollback": "undo",
    "status_lines": "undo",
}
__all__ = sorted(HOMES)


def __getattr__(name: str) -> Any:
    module = HOMES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # looked up once
    return value
