"""The baseline: the tests that already fail before the first hop, and what a later run may not add.

Before the first hop the project's current stage must be green. When it is not, the user either
fixes it or accepts the failing tests (``--accept-failing``): they are recorded as a ``Baseline``,
and every later stage is judged against it: a hop may keep those failures (or fix them) but may
not add a failing test. Test ids are compared as the parsers write them, which is the same on
every Python (see ``upgrader.verify.parse``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from upgrader.errors import VerifyError
from upgrader.verify.run import TestRun


class TestsFailedError(VerifyError):
    """A stage's tests ran and failed beyond what the baseline accepts."""

    __test__ = False  # not a pytest test class, despite the name
    exit_code = 1


@dataclass(frozen=True)
class Baseline:
    """Failing test ids accepted on ``stage`` (the project's Django before the first hop)."""

    stage: str
    failing: frozenset[str]
    log: str = ""  # the run that recorded them

    @classmethod
    def from_run(cls, run: TestRun) -> Baseline:
        return cls(run.stage, frozenset(run.failing), str(run.log))

    def to_json(self) -> dict[str, object]:
        return {"stage": self.stage, "failing": sorted(self.failing), "log": self.log}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Baseline:
        failing = data.get("failing", [])
        if not isinstance(failing, list):
            raise VerifyError(f"the saved baseline is malformed: 'failing' is {failing!r}")
        return cls(str(data["stage"]), frozenset(str(t) for t in failing), str(data.get("log", "")))


def new_failures(baseline: Baseline | None, run: TestRun) -> tuple[str, ...]:
    """The tests failing in ``run`` that the baseline did not accept (all of them without one)."""
    accepted = baseline.failing if baseline is not None else frozenset()
    return tuple(test for test in run.failing if test not in accepted)


def passes(run: TestRun, baseline: Baseline | None = None) -> bool:
    """Green, or failing only tests the baseline accepts.

    A run that exits non-zero with no failing test id (e.g. pytest's "no tests ran") never passes.
    """
    return not new_failures(baseline, run) and (run.green or bool(run.failing))


def fixed_since(baseline: Baseline, run: TestRun) -> tuple[str, ...]:
    """Accepted failures that pass now (worth telling: the baseline can shrink)."""
    return tuple(sorted(baseline.failing - set(run.failing)))


def _listing(tests: tuple[str, ...], limit: int = 20) -> str:
    shown = "\n".join(f"  {test}" for test in tests[:limit])
    more = len(tests) - limit
    return shown + (f"\n  ... and {more} more" if more > 0 else "")


def check_run(run: TestRun, baseline: Baseline | None = None) -> None:
    """Raise ``TestsFailedError``, listing what failed, unless the run ``passes``."""
    if passes(run, baseline):
        return
    added = new_failures(baseline, run)
    if added:
        what = "new failing tests" if baseline is not None else "failing tests"
        hint = (
            "Fix them, or accept the current failures with --accept-failing (a later hop may "
            "not add any)."
            if baseline is None
            else "A hop may not add failures: fix these before continuing."
        )
        raise TestsFailedError(
            f"Django {run.stage}: {len(added)} {what} (log: {run.log}):\n{_listing(added)}",
            hint=hint,
            path=run.log,
        )
    raise TestsFailedError(
        f"Django {run.stage}: the test command exited with code {run.exit_code} (log: {run.log})",
        hint="Read the end of the log.",
        path=run.log,
    )
