"""Defaults more than one part of upgrader shares, defined once (a module of constants only, so
the command line can read them without importing the stages)."""

from __future__ import annotations

# Seconds for all the trials of a diagnosis: ``upgrader step --diagnose-budget`` and
# ``upgrader diagnose --budget`` (step.DIAGNOSE_BUDGET, diagnose.DEFAULT_BUDGET).
DIAGNOSE_BUDGET = 900.0
