"""Which of a hop's changes turns each failing test red: the search, over any trial runner.

``bisect_hop`` splits the hop's changes first by phase (the dependency set alone, then the
rewrite on top), then the rewrite file by file (each file with the rules that changed it, on the
whole dependency set, so those trials install nothing new) and the dependencies package by
package (Django alone first, then the other bumps on top of it).
When the dependency set alone cannot run (the code as it was does not import on the new
Django), the hop's whole set is tried and, when it reproduces the failures, the bumps are split
with the whole rewrite kept in every trial (the causes say so).
Within a group it halves the changes (``isolate``): the tests that fail with the first half
are searched there, the others with the second half alone; a test red only with changes from
both halves is blamed on the group. Only the tests still unexplained are run in each trial.

A trial that cannot run (its dependency set does not install, or the budget is spent) leaves
its tests blamed on the whole group, not isolated (``Cause.isolated``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from upgrader.diagnose.model import DJANGO, Cause, Change, Trial

Failing = frozenset[str] | None
BUDGET_SPENT = "the budget was spent"


class TrialRunner(Protocol):
    def run(
        self, dependencies: frozenset[str], files: frozenset[str], tests: frozenset[str]
    ) -> Trial:
        """Run ``tests`` with the dependency bumps and rewritten files named applied (every
        other change of the hop left out); ``Trial.failing`` is None when it could not run."""
        ...


@dataclass(frozen=True)
class Found:
    tests: frozenset[str]
    changes: tuple[Change, ...]
    isolated: bool
    note: str = ""


Apply = Callable[[Sequence[Change]], Failing]


def isolate(
    units: Sequence[Change],
    tests: frozenset[str],
    apply: Apply,
    why: Callable[[], str] = lambda: "",
) -> list[Found]:
    """The smallest group of ``units`` each of ``tests`` fails with (they fail with all of them);
    ``why``: why the trial ``apply`` just ran could not run (``Search.why``), for the note."""
    if not tests:
        return []
    if len(units) <= 1:
        return [Found(tests, tuple(units), True)]
    half = len(units) // 2
    first, second = units[:half], units[half:]
    with_first = apply(first)
    if with_first is None:
        return [Found(tests, tuple(units), False, _could_not_run(why()))]
    red_first = tests & with_first
    found = isolate(first, red_first, apply, why)
    rest = tests - red_first
    if rest:
        with_second = apply(second)
        if with_second is None:
            found.append(Found(rest, tuple(units), False, _could_not_run(why())))
            return found
        red_second = rest & with_second
        found += isolate(second, red_second, apply, why)
        together = rest - red_second
        if together:
            found.append(
                Found(together, tuple(units), False, "red only with these changes together")
            )
    return found


def _could_not_run(why: str) -> str:
    """ "a smaller trial could not run: the test command stopped before running any test (exit
    code 1; tests/a.py: AttributeError: ...)" (the diagnosis of djangogirls' 5.2 hop said only
    the first half, F90)."""
    return f"a smaller trial could not run: {why}" if why else "a smaller trial could not run"


@dataclass
class Search:
    """One diagnosis' trials, run through ``runner``, recorded in ``trials``."""

    runner: TrialRunner
    trials: list[Trial] = field(default_factory=list)
    # (bumps, files) -> (tests run, failing among them; None: the set could not run)
    seen: dict[tuple[frozenset[str], frozenset[str]], tuple[frozenset[str], Failing]] = field(
        default_factory=dict
    )
    whys: dict[tuple[frozenset[str], frozenset[str]], str] = field(default_factory=dict)
    why: str = ""  # why the last set ``run`` answered None for could not run

    def last_why(self) -> str:
        return self.why

    def run(self, deps: frozenset[str], files: frozenset[str], tests: frozenset[str]) -> Failing:
        """The failing ``tests`` with these changes; a trial already run for them is reused."""
        known = self.seen.get((deps, files))
        if known is not None:
            ran, failing = known
            if failing is None:
                self.why = self.whys.get((deps, files), "")
                return None  # the same set again: it still does not install
            if tests <= ran:
                return failing & tests
        trial = self.runner.run(deps, files, tests)
        self.trials.append(trial)
        failing = None if trial.failing is None else frozenset(trial.failing) & tests
        if trial.why != BUDGET_SPENT:
            self.seen[(deps, files)] = (tests, failing)
        if failing is None:
            self.why = trial.why
            self.whys[(deps, files)] = trial.why
        return failing


def _names(changes: Sequence[Change]) -> frozenset[str]:
    return frozenset(c.name for c in changes)


def _dependencies(
    search: Search,
    dependencies: Sequence[Change],
    tests: frozenset[str],
    files: frozenset[str] = frozenset(),
) -> list[Found]:
    """The dependency phase: Django alone (with the bumps the resolver says it needs, and
    those alone on the old Django when they fail without it), then each other bump on top;
    ``files``: the rewritten files every trial keeps (none, unless the tests need them to run)."""
    django = [c for c in dependencies if c.name == DJANGO]
    others = [c for c in dependencies if c.name != DJANGO]
    if not django or not others:
        units = list(dependencies)
        if len(units) == 1:
            return [Found(tests, tuple(units), True)]
        return isolate(
            units, tests, lambda chosen: search.run(_names(chosen), files, tests), search.last_why
        )
    found: list[Found] = []
    base = list(django)
    alone: Failing = None
    for _attempt in range(3):
        alone = search.run(_names(base), files, tests)
        if alone is not None:
            break
        blamed = set(search.trials[-1].conflicts)
        needed = [c for c in others if c.name in blamed and c not in base]
        if not needed:
            break
        base += needed
    rest = tests
    if alone is not None:
        rest = tests - alone
        companions = base[len(django) :]
        if alone and companions:
            # Django needs these bumps: do they break the tests on the old Django too?
            without = search.run(_names(companions), files, alone)
            theirs = alone & without if without is not None else frozenset()
            if theirs:
                found.append(Found(theirs, tuple(companions), True))
            if alone - theirs:
                found.append(
                    Found(alone - theirs, tuple(base), True, "Django with the bumps it needs")
                )
        elif alone:
            found.append(Found(alone, tuple(django), True))
    remaining = [c for c in others if c not in base]
    if not rest:
        return found
    if not remaining:
        return [*found, Found(rest, tuple(base), alone is not None)]
    fixed = _names(base)
    return found + isolate(
        remaining,
        rest,
        lambda chosen: search.run(fixed | _names(chosen), files, rest),
        search.last_why,
    )


def _with_the_rewrite(
    search: Search,
    dependencies: Sequence[Change],
    rewrites: Sequence[Change],
    failing: frozenset[str],
) -> tuple[list[Found], frozenset[str]]:
    """The dependency set alone could not run (the code as it was does not run on the new
    Django, e.g. ``django.utils.six`` gone): the bumps are searched with the whole rewrite kept
    in every trial, once the hop's own changes reproduce the failures; the rewrite is not split
    (without all of it the tests do not run). Every cause says so."""
    why = search.trials[-1].why if search.trials else ""
    alone = "the dependency set alone could not run" + (f" ({why})" if why else "")
    lump = [Found(failing, (*dependencies, *rewrites), False, alone)]
    if not dependencies or why == BUDGET_SPENT:
        return lump, frozenset()
    files = _names(rewrites)
    whole = search.run(_names(dependencies), files, failing)
    if whole is None:
        return lump, frozenset()
    reproduced = failing & whole
    note = f"the whole rewrite kept in every trial: {alone}"
    found = [
        Found(f.tests, f.changes, f.isolated, f"{f.note}; {note}" if f.note else note)
        for f in _dependencies(search, dependencies, reproduced, files)
    ]
    return found, failing - reproduced


def bisect_hop(
    dependencies: Sequence[Change],
    rewrites: Sequence[Change],
    failing: frozenset[str],
    runner: TrialRunner,
) -> tuple[list[Found], frozenset[str], list[Trial]]:
    """Causes found, tests no trial reproduced, and the trials run (see the module doc)."""
    search = Search(runner)
    found: list[Found] = []
    all_deps = _names(dependencies)
    if rewrites:
        phase = search.run(all_deps, frozenset(), failing)
        if phase is None:
            kept, left = _with_the_rewrite(search, dependencies, rewrites, failing)
            return kept, left, search.trials
        dep_tests = failing & phase
    else:
        dep_tests = failing
    rewrite_tests = failing - dep_tests

    # The rewrite first: its trials keep the phase trial's dependency set (nothing to install).
    unexplained: frozenset[str] = frozenset()
    if rewrite_tests:
        if not rewrites:
            unexplained = rewrite_tests
        else:

            def apply_files(units: Sequence[Change]) -> Failing:
                return search.run(all_deps, _names(units), rewrite_tests)

            found += isolate(list(rewrites), rewrite_tests, apply_files, search.last_why)
    if dep_tests:
        found += _dependencies(search, dependencies, dep_tests)
    return found, unexplained, search.trials


def causes(found: Sequence[Found]) -> tuple[Cause, ...]:
    """``found`` merged by change set: one cause per set of changes, its tests sorted."""
    merged: dict[tuple[Change, ...], tuple[set[str], bool, str]] = {}
    for item in found:
        tests, isolated, note = merged.get(item.changes, (set(), True, ""))
        merged[item.changes] = (tests | item.tests, isolated and item.isolated, note or item.note)
    return tuple(
        Cause(tests=tuple(sorted(tests)), changes=changes, isolated=isolated, note=note)
        for changes, (tests, isolated, note) in merged.items()
    )
