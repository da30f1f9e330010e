"""The verify stage: the project's own tests in a tox environment per Django stage.

- ``toxconfig``: ``.upgrader/tox.ini``, one ``djangoNN`` environment per stage.
- ``run``: ``verify_stage`` runs a stage and returns a ``TestRun``.
- ``parse`` / ``deprecations``: outcomes of pytest and Django's runner, deprecation warnings.
- ``baseline``: accepted failing tests and what a later run may not add.
- ``command``: ``run_verify`` and the renderers behind ``upgrader verify``.
"""

from __future__ import annotations

from upgrader.verify.baseline import Baseline, TestsFailedError, check_run, new_failures
from upgrader.verify.deprecations import DeprecationFinding, group_by_release, parse_warnings
from upgrader.verify.parse import Outcome, parse_outcome
from upgrader.verify.run import TestRun, ToxInvocation, verify_stage
from upgrader.verify.toxconfig import Stage, ToxEnv, env_name, tox_env, write_tox_ini

__all__ = [
    "Baseline",
    "DeprecationFinding",
    "Outcome",
    "Stage",
    "TestRun",
    "TestsFailedError",
    "ToxEnv",
    "ToxInvocation",
    "check_run",
    "env_name",
    "group_by_release",
    "new_failures",
    "parse_outcome",
    "parse_warnings",
    "tox_env",
    "verify_stage",
    "write_tox_ini",
]
