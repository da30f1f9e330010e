from __future__ import annotations

import pytest
from packaging.utils import canonicalize_name
from packaging.version import Version

from upgrader.deps import known
from upgrader.releases import get_release

ROWS: list[object] = [*known.REPLACEMENTS, *known.MINIMUM_VERSIONS, *known.PYTHON_MINIMUMS]


@pytest.mark.parametrize("row", [pytest.param(r, id=repr(r)[:60]) for r in ROWS])
def test_every_row_names_a_source(row: object) -> None:
    source = getattr(row, "source")  # noqa: B009
    assert source.startswith("https://")


def test_minimum_rows_name_real_series_and_versions() -> None:
    for row in known.MINIMUM_VERSIONS:
        assert get_release(row.django) is not None, row
        Version(row.minimum)
        assert canonicalize_name(row.package) == row.package


def test_replacement_actions_are_known() -> None:
    for row in known.REPLACEMENTS:
        assert row.action in ("rename", "code", "abandoned")
        assert (row.action == "rename") <= (row.replacement is not None)


@pytest.mark.parametrize(
    ("name", "django", "expected"),
    [
        pytest.param("djangorestframework", "2.2", None, id="no row below the first series"),
        pytest.param("djangorestframework", "3.2", ("3.2", "3.12"), id="tie: the row naming 3.2"),
        pytest.param("Django_REST_framework", "4.2", None, id="unknown name"),
        pytest.param("djangorestframework", "5.2", ("5.2", "3.16"), id="exact series"),
        pytest.param("django-filter", "5.2", ("5.0", "23.4"), id="newer series: older row floors"),
    ],
)
def test_minimum_version(name: str, django: str, expected: tuple[str, str] | None) -> None:
    row = known.minimum_version(name, django)
    assert (None if row is None else (row.django, row.minimum)) == expected


@pytest.mark.parametrize(
    ("name", "django", "replaced"),
    [
        pytest.param("python-memcached", "3.2", False, id="memcached kept before 4.1"),
        pytest.param("python_memcached", "4.2", True, id="memcached replaced from 4.1"),
        pytest.param("django-nose", "3.2", True, id="abandoned at any hop"),
        pytest.param("requests", "4.2", False, id="unknown package"),
    ],
)
def test_replacement_for(name: str, django: str, replaced: bool) -> None:
    assert (known.replacement_for(name, django) is not None) is replaced
