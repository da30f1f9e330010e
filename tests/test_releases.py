from __future__ import annotations

import datetime as dt
import re

import pytest
from packaging.version import Version

from upgrader import releases
from upgrader.errors import UsageError
from upgrader.releases import RELEASES, get_release, newest, newest_lts, series_name


def test_table_covers_every_feature_release_from_1_11_to_6_2() -> None:
    names = [r.name for r in RELEASES]
    assert names == [
        "1.11", "2.0", "2.1", "2.2", "3.0", "3.1", "3.2", "4.0", "4.1", "4.2",
        "5.0", "5.1", "5.2", "6.0", "6.1", "6.2",
    ]  # fmt: skip


def test_table_is_ordered_and_consistent() -> None:
    versions = [r.version for r in RELEASES]
    assert versions == sorted(versions)
    for release in RELEASES:
        assert release.python, release.name
        pythons = [Version(p) for p in release.python_versions]
        assert pythons == sorted(pythons), release.name
        for support in release.python:
            if support.since:
                assert series_name(Version(support.since)) == release.name
        assert re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", release.released)
        assert re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", release.end_of_support)
        assert release.release_notes.startswith("https://docs.djangoproject.com/")
        assert all(source in releases.SOURCES for source in release.sources)


@pytest.mark.parametrize(
    ("name", "lts", "low", "high"),
    [
        pytest.param("2.2", True, "3.5", "3.9", id="2.2-lts"),
        pytest.param("3.2", True, "3.6", "3.10", id="3.2-lts"),
        pytest.param("4.0", False, "3.8", "3.10", id="4.0"),
        pytest.param("5.2", True, "3.10", "3.14", id="5.2-lts"),
        pytest.param("6.0", False, "3.12", "3.14", id="6.0"),
    ],
)
def test_known_facts(name: str, lts: bool, low: str, high: str) -> None:
    release = get_release(name)
    assert release is not None
    assert (release.lts, release.min_python, release.max_python) == (lts, low, high)


def test_newest_lts_and_newest_ignore_announced_releases() -> None:
    assert newest_lts().name == "5.2"
    assert newest().name == "6.1"
    assert newest_lts(include_announced=True).name == "6.2"


@pytest.mark.parametrize(
    ("text", "series"),
    [
        pytest.param("2.2.28", "2.2", id="patch"),
        pytest.param("3.2", "3.2", id="feature"),
        pytest.param("4", "4.0", id="major-only"),
        pytest.param("2028.0.1", "2028.0", id="calendar-version"),
        pytest.param("6.1rc1", "6.1", id="pre-release"),
    ],
)
def test_series_name(text: str, series: str) -> None:
    assert series_name(Version(text)) == series


def test_calendar_versions_sort_after_6_2_and_are_unknown_not_broken() -> None:
    assert Version("2028.0") > get_release("6.2").version  # type: ignore[union-attr]
    assert get_release("2028.0") is None


def test_parse_version_rejects_nonsense_with_a_hint() -> None:
    with pytest.raises(UsageError) as info:
        releases.parse_version("three point two")
    assert info.value.hint


def test_support_window_uses_end_of_month_for_month_only_dates() -> None:
    release = get_release("5.2")
    assert release is not None
    assert release.is_supported_on(dt.date(2028, 4, 30))
    assert not release.is_supported_on(dt.date(2028, 5, 1))
    assert not get_release("2.2").is_supported_on(dt.date(2026, 11, 21))  # type: ignore[union-attr]
