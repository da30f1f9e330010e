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

from upgrader.errors import StateError, VerifyError
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
    def from_json(cls, data: object) -> Baseline:
        """The baseline saved by ``to_json``; a ``StateError`` naming what is wrong otherwise."""
        if not isinstance(data, Mapping):
            raise _malformed(f"it holds {type(data).__name__}, not an object")
        stage = data.get("stage")
        if not isinstance(stage, str) or not stage:
            raise _malformed(f"'stage' is {stage!r}, not a Django version such as \"2.2\"")
        failing = data.get("failing", [])
        if not isinstance(failing, list) or not all(isinstance(t, str) for t in failing):
            raise _malformed(f"'failing' is {failing!r}, not a list of test ids")
        log = data.get("log", "")
        if not isinstance(log, str):
            raise _malformed(f"'log' is {log!r}, not a path")
        return cls(stage, frozenset(failing), log)


def _malformed(why: str) -> StateError:
    return StateError(
        f"the saved baseline (.upgrader/baseline.json) is malformed: {why}",
        hint="Delete .upgrader/baseline.json and run `upgrader verify --accept-failing` to "
        "record it again.",
    )


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
