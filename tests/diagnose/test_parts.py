"""Frames from test logs, a trial's dependency set, the tox posargs shim, the rendering."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.deps.conftest import Dist, build_wheel
from upgrader.deps.resolve import find_uv
from upgrader.diagnose.frames import failure_frames
from upgrader.diagnose.model import DEPENDENCY, REWRITE, Cause, Change, Diagnosis, Frame, Trial
from upgrader.diagnose.render import cause_line, render_markdown, render_text
from upgrader.diagnose.toxargs import SELECTION_ENV, command
from upgrader.diagnose.worktree import WorktreeTrials, trial_pins, unresolved

DJANGO_LOG = """\
test_ok (shop.tests.ApiTests) ... ok
test_api (shop.tests.ApiTests) ... ERROR

======================================================================
ERROR: test_api (shop.tests.ApiTests)
----------------------------------------------------------------------
Traceback (most recent call last):
  File "{root}/shop/tests.py", line 12, in test_api
    self.assertEqual(render_total(3), "3.00")
  File "{root}/shop/api.py", line 40, in render_total
    return plantedpkg.fmt(value)
  File "{root}/.upgrader/cache/tox/django32/lib/python3.10/site-packages/plantedpkg/__init__.py", line 3, in fmt
    raise AttributeError("fmt is gone")
AttributeError: fmt is gone

======================================================================
FAIL: test_view (shop.tests.ViewTests.test_view)
----------------------------------------------------------------------
Traceback (most recent call last):
  File "{root}/shop/tests.py", line 30, in test_view
    self.assertEqual(1, 2)
AssertionError: 1 != 2

----------------------------------------------------------------------
Ran 3 tests in 0.010s
"""

PYTEST_LOG = """\
=================================== FAILURES ===================================
____________________________ ApiTests.test_api ____________________________

    def test_api():
>       render_total(3)

shop/tests.py:12:
_ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _
shop/api.py:40: in render_total
    return plantedpkg.fmt(value)
.upgrader/cache/tox/django32/lib/python3.10/site-packages/plantedpkg/__init__.py:3: in fmt
E   AttributeError: fmt is gone
=========================== short test summary info ============================
FAILED shop/tests.py::ApiTests::test_api - AttributeError: fmt is gone
"""


def test_django_runner_traceback_last_project_frame(tmp_path: Path) -> None:
    log = DJANGO_LOG.format(root=tmp_path)
    frames = failure_frames(
        log,
        [
            "shop.tests.ApiTests.test_api",
            "shop.tests.ViewTests.test_view",
            "shop.tests.ApiTests.test_ok",
        ],
        [tmp_path],
    )
    assert frames == {
        "shop.tests.ApiTests.test_api": Frame("shop/api.py", 40, "AttributeError: fmt is gone"),
        "shop.tests.ViewTests.test_view": Frame("shop/tests.py", 30, "AssertionError: 1 != 2"),
    }


def test_pytest_traceback_last_project_frame(tmp_path: Path) -> None:
    frames = failure_frames(PYTEST_LOG, ["shop/tests.py::ApiTests::test_api"], [tmp_path])
    assert frames == {
        "shop/tests.py::ApiTests::test_api": Frame("shop/api.py", 40, "AttributeError: fmt is gone")
    }


def test_a_frame_outside_the_project_is_not_the_projects(tmp_path: Path) -> None:
    log = DJANGO_LOG.format(root="/elsewhere")
    assert failure_frames(log, ["shop.tests.ApiTests.test_api"], [tmp_path]) == {}


LOCKED = """\
# via pip-compile
django==3.2.25
    # via -r requirements.in
plantedpkg==2.0
sqlparse==0.4.4
asgiref==3.7.2
"""
CHANGES = [
    Change(DEPENDENCY, "django", "2.2.28", "3.2.25"),
    Change(DEPENDENCY, "plantedpkg", "1.0", "2.0"),
    Change(DEPENDENCY, "asgiref", None, "3.7.2"),
    Change(DEPENDENCY, "pytz", "2020.1", None),
]


def test_trial_pins_put_bumps_left_out_back_at_their_old_version() -> None:
    assert trial_pins(LOCKED, CHANGES, frozenset({"django"})) == {
        "django": "3.2.25",
        "plantedpkg": "1.0",
        "pytz": "2020.1",
        "sqlparse": "0.4.4",
    }
    every = frozenset(c.name for c in CHANGES)
    assert trial_pins(LOCKED, CHANGES, every) == {
        "asgiref": "3.7.2",
        "django": "3.2.25",
        "plantedpkg": "2.0",
        "sqlparse": "0.4.4",
    }


def test_toxargs_puts_the_selection_after_a_double_dash() -> None:
    line = command(["run", "-e", "django32"], {SELECTION_ENV: '["a.tests.T.test_x", "b"]'})
    assert line[1:] == ["-m", "tox", "run", "-e", "django32", "--", "a.tests.T.test_x", "b"]
    assert command(["run"], {})[1:] == ["-m", "tox", "run"]


def test_cause_lines_name_the_change_and_the_frame() -> None:
    bump = Cause(
        ("shop.tests.ApiTests.test_api",),
        (Change(DEPENDENCY, "plantedpkg", "1.0", "2.0"),),
        True,
        frames=(("shop.tests.ApiTests.test_api", Frame("shop/api.py", 40, "AttributeError: x")),),
    )
    assert cause_line(bump) == (
        "test shop.tests.ApiTests.test_api fails because of plantedpkg 1.0 -> 2.0 (rule-free); "
        "the traceback's last project frame is shop/api.py:40 (AttributeError: x)"
    )
    rule = Cause(
        ("a", "b"),
        (Change(REWRITE, "shop/views.py", rules=("r1",), diff="@@ -1 +1 @@\n-x\n+y"),),
        True,
    )
    assert cause_line(rule) == "tests a, b fail because of rule r1 in shop/views.py"
    diagnosis = Diagnosis(
        "2.2",
        "3.2",
        "upgrade/django-3.2",
        ("a", "b", "shop.tests.ApiTests.test_api"),
        (bump, rule),
        (),
        (Trial(("django",), (), ("a",), None, 1.0, why="does not install"),),
        10.0,
        60.0,
        False,
        reference=5.0,
    )
    text = render_text(diagnosis)
    assert (
        "3 failing test(s), 2 cause(s) found in 1 trial(s), 10.0s, 2.0x the hop's test run" in text
    )
    markdown = render_markdown(diagnosis)
    assert "  -x\n  +y" in markdown
    assert "cannot run: does not install" in markdown


def test_a_trial_past_the_budget_is_not_started(tmp_path: Path) -> None:
    import subprocess

    from upgrader.diagnose.bisect import BUDGET_SPENT

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    ticks = iter([0.0, 5.0, 5.0])
    trials = WorktreeTrials(
        tmp_path,
        target="3.2",
        python="3.8",
        dependency_commit="HEAD",
        rewrite_commit=None,
        constraints=None,
        changes=CHANGES,
        files=(),
        budget=4.0,
        timeout=60.0,
        clock=lambda: next(ticks),
    )
    trial = trials.run(frozenset({"django"}), frozenset(), frozenset({"t"}))
    assert trial.failing is None and trial.why == BUDGET_SPENT


@pytest.mark.skipif(find_uv() is None, reason="uv is not installed")
def test_a_set_that_does_not_resolve_names_what_uv_blames(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    for dist in (
        Dist("Django", "2.2.28"),
        Dist("Django", "3.2.25"),
        Dist("plantedpkg", "1.0", requires_dist=("Django<3.0",)),
        Dist("plantedpkg", "2.0", requires_dist=("Django>=2.2",)),
    ):
        build_wheel(dist, wheels)
    offline = f"--no-index\n--find-links {wheels}\n"
    bad = tmp_path / "bad.txt"
    bad.write_text(offline + "django==3.2.25\nplantedpkg==1.0\n")
    why, conflicts = unresolved(bad, "3.8") or ("resolved", ())
    assert why.startswith("the trial's set does not resolve: ") and "\n" not in why
    assert conflicts == ("plantedpkg",)
    good = tmp_path / "good.txt"
    good.write_text(offline + "django==3.2.25\nplantedpkg==2.0\n")
    assert unresolved(good, "3.8") is None
    # with an interpreter given uv looks for none; the answers are the same
    here = f"{sys.version_info[0]}.{sys.version_info[1]}"
    assert unresolved(good, here, Path(sys.executable)) is None
    given = unresolved(bad, here, Path(sys.executable))
    assert given is not None and given[1] == ("plantedpkg",)
