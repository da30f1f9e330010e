"""The data of ``upgrader diagnose``: the changes a hop made, trials, and what broke which test.

Frozen dataclasses only (written with ``upgrader.serialize`` as ``diagnosis.json``).
"""

from __future__ import annotations

from dataclasses import dataclass

DEPENDENCY, REWRITE = "dependency", "rewrite"
DJANGO = "django"


@dataclass(frozen=True)
class Change:
    """One change of a hop that a trial applies or leaves out.

    A dependency bump (``kind == "dependency"``: ``name`` is the canonical package name,
    ``old``/``new`` its versions) or one file of the rewrite commit (``kind == "rewrite"``:
    ``name`` is the path relative to the project root, ``rules`` the rules that changed it,
    ``diff`` its unified diff).
    """

    kind: str
    name: str
    old: str | None = None
    new: str | None = None
    rules: tuple[str, ...] = ()
    diff: str = ""

    @property
    def label(self) -> str:
        if self.kind == DEPENDENCY:
            return f"{self.name} {self.old or '(none)'} -> {self.new or '(removed)'}"
        rules = ", ".join(self.rules) if self.rules else "the rewrite"
        return f"rule {rules} in {self.name}"


@dataclass(frozen=True)
class Frame:
    """The last frame of the project's own code in a failing test's traceback."""

    file: str  # relative to the project root
    line: int
    error: str = ""  # the exception line ("AttributeError: ...")


@dataclass(frozen=True)
class Cause:
    """Tests that go red with ``changes`` applied and pass without them (the smallest set the
    bisection found: one change when it isolated one, several when only they together do)."""

    tests: tuple[str, ...]
    changes: tuple[Change, ...]
    isolated: bool  # False: the budget ran out, or no smaller consistent trial was possible
    frames: tuple[tuple[str, Frame], ...] = ()  # test id -> its last project frame
    catalogue: tuple[str, ...] = ()  # ids of upgrader.findings.catalogue entries it matches
    note: str = ""

    @property
    def phase(self) -> str:
        return self.changes[0].kind if self.changes else ""

    @property
    def rule_free(self) -> bool:
        return all(c.kind == DEPENDENCY for c in self.changes)


@dataclass(frozen=True)
class Trial:
    """One re-run of the failing tests with some of the hop's changes applied."""

    dependencies: tuple[str, ...]  # the bumps applied (package names)
    files: tuple[str, ...]  # the rewritten files applied
    tests: tuple[str, ...]  # the tests run
    failing: tuple[str, ...] | None  # None: the trial could not run (set does not install)
    elapsed: float
    log: str = ""
    why: str = ""  # why it could not run
    # Packages the resolver's error blames when the trial's set did not install.
    conflicts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reverted:
    """A rewrite undone for one file by ``--revert-breaking``, now a manual item."""

    file: str
    rules: tuple[str, ...]
    commit: str | None
    tests: tuple[str, ...]


@dataclass(frozen=True)
class Diagnosis:
    """What ``diagnose_hop`` found for the hop ``source -> target``."""

    source: str
    target: str
    branch: str | None
    failing: tuple[str, ...]  # the hop's failing tests (accepted ones left out)
    causes: tuple[Cause, ...]
    unexplained: tuple[str, ...]  # failing tests no trial reproduced (flaky, or the migrations)
    trials: tuple[Trial, ...]
    elapsed: float  # seconds, all trials and set-up
    budget: float
    budget_spent: bool  # the budget ran out before every test was isolated
    reference: float | None = None  # seconds of the hop's own test run (tests_after)
    reverted: tuple[Reverted, ...] = ()
    report_dir: str | None = None
