from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from packaging.version import Version

from upgrader.errors import UsageError
from upgrader.hops import choose_python, hop_path
from upgrader.interpreters import Interpreter
from upgrader.releases import get_release


def _names(hops: list) -> list[str]:  # type: ignore[type-arg]
    return [h.name for h in hops]


def _machine(*versions: str):  # type: ignore[no-untyped-def]
    def find(python: str) -> Interpreter | None:
        if python in versions:
            return Interpreter(Version(python + ".1"), Path(f"/opt/py{python}/bin/python"), "test")
        return None

    return find


@pytest.mark.parametrize(
    ("current", "to", "via", "expected"),
    [
        pytest.param(
            "2.2.28", "lts", "lts", ["2.2 -> 3.2", "3.2 -> 4.2", "4.2 -> 5.2"], id="lts-default"
        ),
        pytest.param(
            "2.2",
            "latest",
            "lts",
            ["2.2 -> 3.2", "3.2 -> 4.2", "4.2 -> 5.2", "5.2 -> 6.1"],
            id="latest",
        ),
        pytest.param("2.2", "4.2", "lts", ["2.2 -> 3.2", "3.2 -> 4.2"], id="explicit-target"),
        pytest.param("2.0", "3.2", "lts", ["2.0 -> 2.2", "2.2 -> 3.2"], id="from-non-lts"),
        pytest.param(
            "3.0.5", "lts", "lts", ["3.0 -> 3.2", "3.2 -> 4.2", "4.2 -> 5.2"], id="from-3.0"
        ),
        pytest.param("5.2", "lts", "lts", [], id="already-there"),
        pytest.param("4.1", "5.0", "lts", ["4.1 -> 4.2", "4.2 -> 5.0"], id="non-lts-target"),
    ],
)
def test_hop_path_via_lts(current: str, to: str, via: str, expected: list[str]) -> None:
    assert _names(hop_path(Version(current), "3.8", to=to, via=via)) == expected


def test_via_each_lists_every_feature_release() -> None:
    hops = hop_path(Version("2.2"), "3.8", to="latest", via="each")
    assert [h.target.name for h in hops] == [
        "3.0", "3.1", "3.2", "4.0", "4.1", "4.2", "5.0", "5.1", "5.2", "6.0", "6.1",
    ]  # fmt: skip
    assert all(a.target is b.source for a, b in itertools.pairwise(hops))


def test_python_kept_when_supported_then_raised_to_the_lowest_supported() -> None:
    hops = hop_path(
        Version("2.2"), "3.8", to="latest", via="lts", find_interpreter=_machine("3.8", "3.10")
    )
    assert [(h.python_from, h.python) for h in hops] == [
        ("3.8", "3.8"),
        ("3.8", "3.8"),
        ("3.8", "3.10"),
        ("3.10", "3.12"),
    ]
    assert hops[0].interpreter is not None and hops[0].interpreter.feature == "3.8"
    assert hops[3].interpreter is None  # no 3.12 on this fake machine


def test_python_above_the_range_comes_down_to_the_highest_supported() -> None:
    release = get_release("2.2")
    assert release is not None
    assert choose_python("3.11", release, lambda _p: True) == "3.9"


def test_unknown_python_picks_the_newest_available_on_the_machine() -> None:
    """Issue 16.8: not the oldest Python a Django supports (3.6 for 3.2, rarely installed)."""
    release = get_release("3.2")
    assert release is not None
    assert choose_python(None, release, lambda p: p in {"3.7", "3.9"}) == "3.9"
    assert choose_python(None, release, lambda _p: False) == "3.10"


def test_undeclared_python_starts_on_the_newest_the_current_django_supports_here() -> None:
    """The first hop starts from a Python the project's Django runs on this machine (its
    baseline runs there), and the plan says why."""
    hops = hop_path(Version("2.2.28"), None, to="4.2", find_interpreter=_machine("3.6", "3.8"))
    assert [(h.python_from, h.python) for h in hops] == [("3.8", "3.8"), ("3.8", "3.8")]
    assert "no Python declared" in hops[0].python_reason
    assert "newest Python Django 2.2.28 supports (3.5-3.9) found on this machine (3.6, 3.8)" in (
        hops[0].python_reason
    )
    assert hops[1].python_reason == "Python 3.8 kept: Django 4.2 supports 3.8-3.12"


def test_undeclared_python_respects_the_pinned_patch_release() -> None:
    """Django 2.2.8 is the first 2.2 on Python 3.8, 2.2.17 on 3.9: a 2.2.5 pin starts on 3.7."""
    hops = hop_path(
        Version("2.2.5"), None, to="3.2", find_interpreter=_machine("3.7", "3.8", "3.9")
    )
    assert hops[0].python_from == "3.7"


def test_python_reason_names_the_move() -> None:
    hops = hop_path(Version("4.2"), "3.8", to="5.2", find_interpreter=_machine("3.10"))
    assert hops[0].python_reason == (
        "Django 5.2 supports 3.10-3.14: the nearest to Python 3.8 is 3.10"
    )


def test_min_django_patch_for_a_late_added_python() -> None:
    (hop,) = hop_path(Version("2.2"), "3.10", to="3.2")
    assert (hop.python, hop.min_django_patch) == ("3.10", "3.2.9")


@pytest.mark.parametrize(
    ("current", "to", "message"),
    [
        pytest.param("3.2", "2.2", "older than", id="backwards"),
        pytest.param("2.2", "6.2", "not released yet", id="announced-only"),
        pytest.param("2.2", "9.9", "not a feature release", id="unknown-target"),
        pytest.param("1.8", "lts", "not in upgrader's release table", id="too-old"),
        pytest.param("2.2", "two", "not a Django version", id="garbage"),
    ],
)
def test_bad_targets_are_user_errors(current: str, to: str, message: str) -> None:
    with pytest.raises(UsageError, match=message) as info:
        hop_path(Version(current), "3.8", to=to)
    assert info.value.hint


def test_bad_via_is_a_user_error() -> None:
    with pytest.raises(UsageError):
        hop_path(Version("2.2"), "3.8", via="sometimes")


def test_undeclared_python_with_a_django_series_counts_its_patch_added_pythons() -> None:
    """--from 2.2 is the 2.2 series (2.2.28 installs): 3.9, added in 2.2.17, counts."""
    hops = hop_path(Version("2.2"), None, to="3.2", find_interpreter=_machine("3.7", "3.9"))
    assert hops[0].python_from == "3.9"
