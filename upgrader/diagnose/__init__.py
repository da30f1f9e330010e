"""``upgrader diagnose``: a red hop explains itself (which change broke which test).

- ``model``: the frozen data (``Change``, ``Cause``, ``Trial``, ``Diagnosis``).
- ``bisect``: the search over a ``TrialRunner`` (phases, then packages, then files/rules).
- ``worktree``: the real trials, in a temporary git worktree and the stage's tox env.
- ``frames``: a failing test's last project frame, from the hop's test log.
- ``run``: ``diagnose_hop`` (what ``step`` calls on red) and ``--revert-breaking``.
- ``render``: terminal text and ``diagnosis.md``.
"""

from __future__ import annotations

from upgrader.diagnose.model import Cause, Change, Diagnosis, Frame, Trial
from upgrader.diagnose.run import DEFAULT_BUDGET, diagnose_hop

__all__ = ["DEFAULT_BUDGET", "Cause", "Change", "Diagnosis", "Frame", "Trial", "diagnose_hop"]
