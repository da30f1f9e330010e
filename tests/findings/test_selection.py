"""Hop selection: which findings a hop must fix and which it only warns about."""

from __future__ import annotations

import pytest
from packaging.version import Version

from upgrader.findings import Finding, relevant


def finding(deprecation_id: str) -> Finding:
    return Finding("app/x.py", 1, 0, deprecation_id, "")


def verdict(
    deprecation_id: str,
    source: str,
    target: str,
    python_to: str | None = None,
    packages: dict[str, str] | None = None,
) -> str | None:
    hop = relevant(
        [finding(deprecation_id)],
        Version(source),
        Version(target),
        python_to,
        {name: Version(v) for name, v in (packages or {}).items()},
    )
    if hop.breaking:
        return "breaking"
    if hop.deprecated:
        return "deprecated"
    return None


@pytest.mark.parametrize(
    ("deprecation_id", "source", "target", "expected"),
    [
        pytest.param("is-ajax", "2.2", "3.2", "deprecated", id="deprecated-3.1-reached"),
        pytest.param("is-ajax", "3.2", "4.2", "breaking", id="removed-4.0-crossed"),
        pytest.param("is-ajax", "3.2", "4.0", "breaking", id="removed-4.0-reached"),
        pytest.param("is-ajax", "2.2", "3.0", None, id="not-yet-deprecated"),
        pytest.param("is-ajax", "4.2", "5.2", None, id="already-removed-before-hop"),
        pytest.param("is-ajax", "2.2.28", "4.2.16", "breaking", id="patch-versions"),
        pytest.param("utils-six", "2.2", "3.2", "breaking", id="removed-without-warning"),
        pytest.param("utils-six", "2.1", "2.2", None, id="no-warning-period"),
        pytest.param("model-save-positional-args", "4.2", "5.2", "deprecated", id="save-5.1"),
        pytest.param("model-save-positional-args", "5.2", "6.0", "breaking", id="save-6.0"),
        pytest.param("use-tz-default", "3.2", "4.2", "deprecated", id="default-flip-warned"),
        pytest.param("use-tz-default", "4.2", "5.2", "breaking", id="default-flip-applies"),
        pytest.param("admins-managers-tuples", "5.2", "6.1", "deprecated", id="removed-in-2028.0"),
        pytest.param(
            "admins-managers-tuples", "6.2", "2028.0", "breaking", id="calendar-versioning"
        ),
    ],
)
def test_django_scope(deprecation_id: str, source: str, target: str, expected: str | None) -> None:
    assert verdict(deprecation_id, source, target) == expected


@pytest.mark.parametrize(
    ("python_to", "expected"),
    [
        pytest.param(None, None, id="python-unknown"),
        pytest.param("3.8", "deprecated", id="python-3.8"),
        pytest.param("3.11", "deprecated", id="python-3.11"),
        pytest.param("3.12", "breaking", id="python-3.12"),
        pytest.param("3.13", "breaking", id="python-3.13"),
    ],
)
def test_python_scope(python_to: str | None, expected: str | None) -> None:
    assert verdict("unittest-aliases", "4.2", "5.2", python_to) == expected


@pytest.mark.parametrize(
    ("packages", "expected"),
    [
        pytest.param({}, None, id="package-not-in-hop"),
        pytest.param({"djangorestframework": "3.9.4"}, "deprecated", id="drf-3.9"),
        pytest.param({"djangorestframework": "3.10.0"}, "breaking", id="drf-3.10"),
        pytest.param({"DjangoRestFramework": "3.15.2"}, "breaking", id="name-not-canonical"),
        pytest.param({"djangorestframework": "3.7.7"}, None, id="drf-3.7"),
    ],
)
def test_package_scope(packages: dict[str, str], expected: str | None) -> None:
    assert verdict("drf-list-detail-route", "2.2", "3.2", packages=packages) == expected


def test_django_filter_calendar_versions() -> None:
    assert (
        verdict("django-filter-view-attributes", "3.2", "4.2", packages={"django-filter": "21.1"})
        == "deprecated"
    )
    assert (
        verdict("django-filter-view-attributes", "3.2", "4.2", packages={"django_filter": "22.1"})
        == "breaking"
    )


def test_splits_a_mixed_list_in_order() -> None:
    findings = [finding("is-ajax"), finding("conf-urls-url"), finding("length-is"), finding("pytz")]
    hop = relevant(findings, Version("3.2"), Version("4.2"), "3.10", {})
    assert [f.id for f in hop.breaking] == ["is-ajax", "conf-urls-url"]
    assert [f.id for f in hop.deprecated] == ["length-is", "pytz"]
    breaking, deprecated = hop  # unpacks as a pair
    assert (breaking, deprecated) == (hop.breaking, hop.deprecated)


def test_a_python_that_is_not_a_version_is_a_usage_error() -> None:
    import pytest as _pytest
    from packaging.version import Version as _V

    from upgrader.errors import UsageError
    from upgrader.findings import relevant

    with _pytest.raises(UsageError, match="'banana' is not a Python version"):
        relevant([], _V("4.2"), _V("5.2"), python_to="banana")


def test_a_pytz_use_is_deprecated_while_pytz_stays_installed() -> None:
    # Django 5.0 removed its pytz support; the project's own pytz.timezone() keeps working while
    # pytz is in the hop's set (FINDINGS F26). localize()/normalize() stay breaking.
    assert verdict("pytz", "4.2", "5.2") == "breaking"
    assert verdict("pytz", "4.2", "5.2", packages={"pytz": "2019.1"}) == "deprecated"
    assert verdict("pytz-localize", "4.2", "5.2", packages={"pytz": "2019.1"}) == "breaking"
