"""The bisection over a hop's changes, with trials decided by a model of which change breaks
which test (the real trials are in tests/e2e/test_diagnose.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from upgrader.diagnose.bisect import BUDGET_SPENT, Found, bisect_hop, causes, isolate
from upgrader.diagnose.model import DEPENDENCY, REWRITE, Change, Trial
from upgrader.diagnose.worktree import _first_collection_error

DJANGO = Change(DEPENDENCY, "django", "2.2.28", "3.2.25")
DRF = Change(DEPENDENCY, "djangorestframework", "3.9.4", "3.12.4")
SIX = Change(DEPENDENCY, "six", "1.15.0", "1.16.0")
PYTZ = Change(DEPENDENCY, "pytz", "2020.1", "2024.1")
API = Change(REWRITE, "app/api.py", rules=("url_to_path",))
VIEWS = Change(REWRITE, "app/views.py", rules=("ugettext",))
MODELS = Change(REWRITE, "app/models.py", rules=("on_delete",))


@dataclass
class Model:
    """A test fails when every change of one of its culprit sets is applied."""

    culprits: dict[str, list[frozenset[str]]]
    broken: set[frozenset[str]] = field(default_factory=set)  # dependency sets that don't install
    # a package the resolver blames when a set leaves it out: it must move with Django
    needs: dict[str, str] = field(default_factory=dict)  # package -> the bump it needs
    runs: list[tuple[frozenset[str], frozenset[str], frozenset[str]]] = field(default_factory=list)

    def run(
        self, dependencies: frozenset[str], files: frozenset[str], tests: frozenset[str]
    ) -> Trial:
        self.runs.append((dependencies, files, tests))
        if dependencies in self.broken:
            return Trial(tuple(dependencies), tuple(files), tuple(tests), None, 0.0, why="no")
        blamed = tuple(
            p for p, need in self.needs.items() if need in dependencies and p not in dependencies
        )
        if blamed:
            return Trial(
                tuple(dependencies),
                tuple(files),
                tuple(tests),
                None,
                0.0,
                why="conflict",
                conflicts=blamed,
            )
        applied = dependencies | files
        failing = tuple(
            sorted(t for t in tests if any(c <= applied for c in self.culprits.get(t, [])))
        )
        return Trial(tuple(dependencies), tuple(files), tuple(tests), failing, 0.0)


def by_test(found: list[Found]) -> dict[str, tuple[str, ...]]:
    return {t: tuple(c.name for c in f.changes) for f in found for t in f.tests}


def test_a_package_bump_and_a_rule_are_each_named() -> None:
    model = Model(
        {"t.api": [frozenset({"djangorestframework"})], "t.views": [frozenset({"app/views.py"})]}
    )
    found, unexplained, trials = bisect_hop(
        [DJANGO, DRF, SIX, PYTZ], [API, VIEWS, MODELS], frozenset({"t.api", "t.views"}), model
    )
    assert by_test(found) == {"t.api": ("djangorestframework",), "t.views": ("app/views.py",)}
    assert all(f.isolated for f in found)
    assert unexplained == frozenset()
    # phase trial first: every bump, no rewrite, both tests
    assert model.runs[0] == (
        frozenset({"django", "djangorestframework", "six", "pytz"}),
        frozenset(),
        frozenset({"t.api", "t.views"}),
    )
    every = frozenset({"django", "djangorestframework", "six", "pytz"})
    # then the rewrite trials: every bump kept (nothing new to install), only the rewrite test
    rewrite_runs = [r for r in model.runs[1:] if r[1]]
    assert rewrite_runs == model.runs[1 : 1 + len(rewrite_runs)]
    assert all(r[0] == every and r[2] == frozenset({"t.views"}) for r in rewrite_runs)
    # then Django alone, only the dependency test
    assert model.runs[1 + len(rewrite_runs)] == (
        frozenset({"django"}),
        frozenset(),
        frozenset({"t.api"}),
    )
    assert len(trials) == len(model.runs)


def test_django_alone_is_blamed_when_it_alone_turns_the_test_red() -> None:
    model = Model({"t.a": [frozenset({"django"})]})
    found, _unexplained, _trials = bisect_hop([DJANGO, DRF, SIX], [], frozenset({"t.a"}), model)
    assert by_test(found) == {"t.a": ("django",)}
    assert found[0].isolated


def test_a_test_red_only_with_two_bumps_together_names_the_group() -> None:
    model = Model({"t.a": [frozenset({"djangorestframework", "pytz"})]})
    found, _u, _t = bisect_hop([DJANGO, DRF, PYTZ], [], frozenset({"t.a"}), model)
    assert by_test(found) == {"t.a": ("djangorestframework", "pytz")}
    assert not found[0].isolated
    assert "together" in found[0].note


def test_a_set_that_does_not_install_leaves_the_tests_on_the_group() -> None:
    model = Model(
        {"t.a": [frozenset({"six"})]},
        broken={frozenset({"django", "djangorestframework"})},
    )
    found, _u, _t = bisect_hop([DJANGO, DRF, SIX, PYTZ], [], frozenset({"t.a"}), model)
    # Django + DRF does not install: the test stays on the whole group of other bumps
    assert [(sorted(by_test([f])["t.a"]), f.isolated) for f in found] == [
        (["djangorestframework", "pytz", "six"], False)
    ]
    # The note says why the smaller trial could not run (F90: it said only that it could not).
    assert found[0].note == "a smaller trial could not run: no"


def test_a_stopped_run_names_its_first_collection_error() -> None:
    log = (
        "collected 152 items / 5 errors / 147 selected\n"
        "ERROR tests/applications/test_forms.py - AttributeError: module 'collections' has "
        "no attribute 'MutableMapping'\n"
        "ERROR tests/core/test_commands.py - AttributeError: module 'collections' has...\n"
        "!!!!!!!!!!!!!!!!!!! Interrupted: 2 errors during collection !!!!!!!!!!!!!!!!!!!!\n"
    )
    assert _first_collection_error(log) == (
        "tests/applications/test_forms.py: AttributeError: module 'collections' has no "
        "attribute 'MutableMapping' (and 1 more module(s))"
    )
    assert _first_collection_error("ImportError while loading conftest\n") == ""


def test_a_test_no_trial_reproduces_is_not_isolated() -> None:
    model = Model({"t.a": [frozenset({"six"})]})
    found, _unexplained, _t = bisect_hop(
        [DJANGO, SIX, PYTZ], [], frozenset({"t.a", "t.ghost"}), model
    )
    assert by_test(found)["t.a"] == ("six",)
    ghost = next(f for f in found if "t.ghost" in f.tests)
    assert not ghost.isolated


def test_a_test_that_passes_on_the_dependency_set_goes_to_the_rewrite() -> None:
    model = Model({"t.m": [frozenset({"app/models.py"})]})
    found, unexplained, _t = bisect_hop(
        [DJANGO], [API, VIEWS, MODELS], frozenset({"t.m", "t.ghost"}), model
    )
    # t.ghost fails in the hop but in no trial: every halving leaves it unplaced
    assert by_test(found)["t.m"] == ("app/models.py",)
    assert not any("t.ghost" in f.tests and f.isolated for f in found)
    assert unexplained == frozenset()


def test_isolate_runs_only_the_tests_left_in_each_half() -> None:
    seen: list[tuple[tuple[str, ...], frozenset[str]]] = []
    units = [Change(REWRITE, f"f{i}.py") for i in range(8)]

    def apply(chosen: object) -> frozenset[str]:
        names = tuple(c.name for c in chosen)  # type: ignore[attr-defined]
        red = frozenset({"a"} if "f6.py" in names else set())
        seen.append((names, red))
        return red

    found = isolate(units, frozenset({"a"}), apply)
    assert by_test(found) == {"a": ("f6.py",)}
    # f0-f3 green, f4-f7 red; f4-f5 green, f6-f7 red; f6 red: a red first half spares the second
    assert [names for names, _red in seen] == [
        ("f0.py", "f1.py", "f2.py", "f3.py"),
        ("f4.py", "f5.py", "f6.py", "f7.py"),
        ("f4.py", "f5.py"),
        ("f6.py", "f7.py"),
        ("f6.py",),
    ]


def test_causes_merge_tests_with_the_same_changes() -> None:
    merged = causes(
        [
            Found(frozenset({"b"}), (DRF,), True),
            Found(frozenset({"a"}), (DRF,), True),
            Found(frozenset({"c"}), (VIEWS,), False, "x"),
        ]
    )
    assert [(c.tests, c.changes, c.isolated) for c in merged] == [
        (("a", "b"), (DRF,), True),
        (("c",), (VIEWS,), False),
    ]
    assert merged[0].rule_free and not merged[1].rule_free


def test_a_bump_django_needs_goes_with_it_and_is_tried_alone_on_the_old_django() -> None:
    # DRF 3.9 does not install with Django 3.2: the resolver blames it; its own bump breaks t.a
    model = Model(
        {"t.a": [frozenset({"djangorestframework"})], "t.b": [frozenset({"django"})]},
        needs={"djangorestframework": "django"},
    )
    found, _u, trials = bisect_hop([DJANGO, DRF, SIX, PYTZ], [], frozenset({"t.a", "t.b"}), model)
    assert by_test(found) == {
        "t.a": ("djangorestframework",),
        "t.b": ("django", "djangorestframework"),
    }
    assert all(f.isolated for f in found)
    assert [t.conflicts for t in trials][:1] == [("djangorestframework",)]
    # DRF's bump alone, on the old Django, for the tests red with Django and DRF
    assert (
        frozenset({"djangorestframework"}),
        frozenset(),
        frozenset({"t.a", "t.b"}),
    ) in model.runs


def test_a_trial_already_run_for_the_same_changes_is_reused() -> None:
    # phase trial (all bumps, both tests), then Django alone conflicts; Django + DRF is the
    # phase trial's set again: reused, not run twice
    model = Model(
        {"t.a": [frozenset({"djangorestframework"})], "t.v": [frozenset({"app/views.py"})]},
        needs={"djangorestframework": "django"},
    )
    found, _u, trials = bisect_hop([DJANGO, DRF], [VIEWS], frozenset({"t.a", "t.v"}), model)
    assert by_test(found) == {"t.a": ("djangorestframework",), "t.v": ("app/views.py",)}
    sets = [(r[0], r[1]) for r in model.runs]
    assert len(sets) == len(set(sets)) == len(trials)


@dataclass
class Budgeted(Model):
    """The model, with a budget of ``allowed`` trials."""

    allowed: int = 1

    def run(
        self, dependencies: frozenset[str], files: frozenset[str], tests: frozenset[str]
    ) -> Trial:
        if len(self.runs) >= self.allowed:
            self.runs.append((dependencies, files, tests))
            return Trial(
                tuple(dependencies), tuple(files), tuple(tests), None, 0.0, why=BUDGET_SPENT
            )
        return super().run(dependencies, files, tests)


def test_a_spent_budget_leaves_the_tests_on_the_group_not_isolated() -> None:
    model = Budgeted({"t.v": [frozenset({"app/views.py"})]}, allowed=1)
    found, _u, trials = bisect_hop([DJANGO], [API, VIEWS, MODELS], frozenset({"t.v"}), model)
    assert trials[0].failing == () and trials[1].why == BUDGET_SPENT
    assert [(sorted(by_test([f])["t.v"]), f.isolated) for f in found] == [
        (["app/api.py", "app/models.py", "app/views.py"], False)
    ]


@dataclass
class NeedsRewrite(Model):
    """The code as it was does not import on the new Django without ``needed`` rewritten
    (djangogirls' ``django.utils.six`` on 3.2, F31): such a trial stops before any test."""

    needed: str = "app/views.py"

    def run(
        self, dependencies: frozenset[str], files: frozenset[str], tests: frozenset[str]
    ) -> Trial:
        if "django" in dependencies and self.needed not in files:
            self.runs.append((dependencies, files, tests))
            why = "the test command stopped before running any test: ImportError: six"
            return Trial(tuple(dependencies), tuple(files), tuple(tests), None, 0.0, why=why)
        return super().run(dependencies, files, tests)


def test_bumps_are_split_with_the_rewrite_kept_when_the_dependency_set_alone_cannot_run() -> None:
    # djangogirls' F31: 13 bumps, the tests red because of one (django-recaptcha's); the
    # dependency set without the rewrite does not import on the new Django.
    model = NeedsRewrite({"t.captcha": [frozenset({"djangorestframework"})]})
    found, unexplained, trials = bisect_hop(
        [DJANGO, DRF, SIX, PYTZ], [API, VIEWS, MODELS], frozenset({"t.captcha"}), model
    )
    assert by_test(found) == {"t.captcha": ("djangorestframework",)}
    [cause] = found
    assert cause.isolated and unexplained == frozenset()
    assert "the whole rewrite kept in every trial" in cause.note
    assert "ImportError: six" in cause.note  # why the set alone could not run
    every_file = frozenset({"app/api.py", "app/views.py", "app/models.py"})
    assert trials[0].failing is None and not trials[0].files  # the phase trial
    assert all(frozenset(t.files) == every_file for t in trials[1:]), trials
    assert len(trials) > 2  # not one lump after one trial


def test_the_lump_stays_when_not_even_the_hops_own_set_runs() -> None:
    model = NeedsRewrite({"t.a": [frozenset({"six"})]}, needed="app/missing.py")
    found, _u, trials = bisect_hop([DJANGO, SIX], [API, VIEWS], frozenset({"t.a"}), model)
    assert len(trials) == 2  # the phase trial, then the hop's whole set: neither runs
    [lump] = found
    assert not lump.isolated and len(lump.changes) == 4
    assert lump.note == (
        "the dependency set alone could not run (the test command stopped before running any "
        "test: ImportError: six)"
    )


def test_a_test_red_because_of_the_kept_rewrite_goes_on_django_saying_the_rewrite_was_kept() -> (
    None
):
    # red because of a rewritten file, which every trial must keep: the search cannot tell it
    # from Django (the bump every trial applies); the note says the rewrite was never left out
    model = NeedsRewrite({"t.m": [frozenset({"app/models.py"})]})
    found, _u, _t = bisect_hop([DJANGO, SIX], [API, VIEWS, MODELS], frozenset({"t.m"}), model)
    [cause] = found
    assert [c.name for c in cause.changes] == ["django"]
    assert "the whole rewrite kept in every trial" in cause.note
