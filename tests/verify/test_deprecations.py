"""Deprecation warnings read from real runs: file:line, origin, release, de-duplication."""

from __future__ import annotations

from pathlib import Path

import pytest

from upgrader.verify.deprecations import (
    NOT_DJANGO,
    PROJECT,
    THIRD_PARTY,
    DeprecationFinding,
    group_by_release,
    parse_warnings,
    removed_in,
)

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize(
    ("category", "release"),
    [
        pytest.param("RemovedInDjango30Warning", "3.0", id="3.0"),
        pytest.param("RemovedInDjango31Warning", "3.1", id="3.1"),
        pytest.param("RemovedInDjango40Warning", "4.0", id="4.0"),
        pytest.param("RemovedInDjango51Warning", "5.1", id="5.1"),
        pytest.param("RemovedInDjango60Warning", "6.0", id="6.0"),
        pytest.param("RemovedInDjango62Warning", "6.2", id="announced-6.2"),
        pytest.param("RemovedInDjango110Warning", "1.10", id="old-two-digit-minor"),
        pytest.param("RemovedInDjango20280Warning", "2028.0", id="calendar-version"),
        pytest.param("RemovedInDjango2028Warning", "2028.0", id="year-named-django-6.1"),
        pytest.param("RemovedInDjango70Warning", "2028.0", id="alias-of-the-year-named-class"),
        pytest.param("RemovedInDjango20281Warning", "2028.1", id="second-release-of-a-year"),
        pytest.param("RemovedInDjango20291Warning", "2029.1", id="calendar-version-not-in-table"),
        pytest.param("DeprecationWarning", None, id="plain-deprecation"),
        pytest.param("PendingDeprecationWarning", None, id="pending-deprecation"),
    ],
)
def test_removed_in(category: str, release: str | None) -> None:
    assert removed_in(category) == release


def test_django_runner_output_project_warning_with_file_and_line() -> None:
    text = (FIXTURES / "django-2.2-py3.8-failing.txt").read_text("utf-8")
    assert parse_warnings(text, Path("/tmp/tiny22")) == (
        DeprecationFinding(
            file="notes/clock.py",
            line=5,
            category="RemovedInDjango31Warning",
            message="FixedOffset is deprecated in favor of datetime.timezone",
            origin=PROJECT,
            removed_in="3.1",
            catalogue_id="timezone-fixedoffset",  # the plan knew it
        ),
    )


def test_a_warning_no_catalogue_entry_matches_has_no_id() -> None:
    text = "/tmp/p/a.py:3: RemovedInDjango40Warning: something upgrader has never heard of\n"
    (finding,) = parse_warnings(text, Path("/tmp/p"))
    assert finding.catalogue_id is None
    assert DeprecationFinding.from_json(finding.to_json()) == finding


@pytest.mark.parametrize(
    "fixture",
    [
        pytest.param("django-4.2-py3.12-failing.txt", id="django-runner"),
        pytest.param("pytest-4.2-py3.12-failing.txt", id="pytest-warnings-summary"),
    ],
)
def test_project_and_third_party_warnings_are_told_apart(fixture: str) -> None:
    text = (FIXTURES / fixture).read_text("utf-8")
    findings = parse_warnings(text, Path("/tmp/tiny42"))
    assert [(f.origin, f.location, f.category) for f in findings] == [
        (PROJECT, "notes/clock.py:5", "RemovedInDjango50Warning"),
        (THIRD_PARTY, "django/conf/__init__.py:267", "RemovedInDjango50Warning"),
    ]
    assert findings[1].message.startswith("The USE_L10N setting is deprecated.")


def test_duplicates_are_counted_once_per_location() -> None:
    line = "/p/app/views.py:7: RemovedInDjango40Warning: force_text() is deprecated\n"
    other = "/p/app/views.py:9: RemovedInDjango40Warning: force_text() is deprecated\n"
    findings = parse_warnings(line * 3 + other, Path("/p"))
    assert [(f.location, f.count) for f in findings] == [
        ("app/views.py:7", 3),
        ("app/views.py:9", 1),
    ]


@pytest.mark.parametrize(
    ("line", "origin", "file"),
    [
        pytest.param("/p/app/models.py:3", PROJECT, "app/models.py", id="absolute-in-project"),
        pytest.param("app/models.py:3", PROJECT, "app/models.py", id="relative-to-root"),
        pytest.param(
            "/p/.upgrader/cache/tox/django22/lib/python3.8/site-packages/rest_framework/fields.py:3",
            THIRD_PARTY,
            "rest_framework/fields.py",
            id="site-packages-inside-the-project-tox-env",
        ),
        pytest.param(
            "/usr/lib/python3/dist-packages/six.py:3", THIRD_PARTY, "six.py", id="dist-packages"
        ),
        pytest.param(
            "/root/.pyenv/versions/3.8.18/lib/python3.8/imp.py:3",
            THIRD_PARTY,
            "/root/.pyenv/versions/3.8.18/lib/python3.8/imp.py",
            id="standard-library-outside-the-project",
        ),
        pytest.param("/p/.venv/lib/x.py:3", THIRD_PARTY, "/p/.venv/lib/x.py", id="project-venv"),
    ],
)
def test_origin(line: str, origin: str, file: str) -> None:
    (finding,) = parse_warnings(f"{line}: DeprecationWarning: old\n", Path("/p"))
    assert (finding.origin, finding.file, finding.line) == (origin, file, 3)


def test_other_warning_categories_are_ignored() -> None:
    text = (
        "/p/a.py:1: ResourceWarning: unclosed file\n"
        "/p/a.py:2: UserWarning: hmm\n"
        "/p/a.py:3: RuntimeWarning: DateTimeField received a naive datetime\n"
    )
    assert parse_warnings(text, Path("/p")) == ()


def test_grouped_by_release_oldest_first_other_last() -> None:
    text = (
        "/p/a.py:1: DeprecationWarning: imp is deprecated\n"
        "/p/a.py:2: RemovedInDjango51Warning: index_together\n"
        "/p/a.py:3: RemovedInDjango40Warning: force_text\n"
        "/p/a.py:4: RemovedInDjango20280Warning: future\n"
        "/p/a.py:5: RemovedInDjango40Warning: ugettext\n"
    )
    groups = group_by_release(parse_warnings(text, Path("/p")))
    assert list(groups) == ["4.0", "5.1", "2028.0", NOT_DJANGO]
    assert [f.line for f in groups["4.0"]] == [3, 5]


def test_json_round_trip() -> None:
    finding = DeprecationFinding("a.py", 1, "RemovedInDjango40Warning", "m", PROJECT, "4.0", 2)
    assert DeprecationFinding.from_json(finding.to_json()) == finding
