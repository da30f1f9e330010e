"""Dependency choices against real, recorded PyPI metadata of old packages (issue 17).

Each test is a case seen on a real project: unpinned requirements given the oldest release
ever published, false blockers built from the newest release only, Requires-Python taken for
installability, Django apps called "does not depend on Django". No network: ``recorded.py``.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from packaging.version import Version

from tests.deps.helpers import declared
from tests.deps.recorded import RecordedIndex
from upgrader.deps.choose import (
    Blocked,
    Choice,
    Choices,
    Target,
    baseline_versions,
    choose_versions,
    has_wheel_for,
    target_tags,
)

LINUX = (
    "manylinux_2_17_x86_64",
    "manylinux2014_x86_64",
    "manylinux_2_12_x86_64",
    "manylinux2010_x86_64",
    "manylinux_2_5_x86_64",
    "manylinux1_x86_64",
    "linux_x86_64",
)
UTC = timezone.utc


@pytest.fixture(scope="module")
def pypi() -> RecordedIndex:
    return RecordedIndex()


def _only(result: Choices, name: str) -> Choice:
    found = [c for c in result.choices if c.name == name]
    assert len(found) == 1, result
    return found[0]


def _blocked(result: Choices, name: str) -> Blocked:
    found = [b for b in result.blocked if b.name == name]
    assert len(found) == 1, result
    return found[0]


UNPINNED = ["Django==2.2.13", "faker", "pytz", "lxml", "freezegun", "mysqlclient"]


def test_the_baseline_is_what_pip_gave_as_of_the_cutoff(pypi: RecordedIndex) -> None:
    decls = [declared(raw) for raw in UNPINNED]
    got = baseline_versions(
        decls, Target("2.2", "3.7"), pypi, as_of=datetime(2020, 6, 15, tzinfo=UTC)
    )
    # The newest release of each uploaded by 2020-06-15 that runs on Python 3.7.
    assert got == {
        "faker": "4.1.0",
        "freezegun": "0.3.15",
        "lxml": "4.5.1",
        "mysqlclient": "1.4.6",
        "pytz": "2020.1",
    }


def test_unpinned_requirements_are_kept_at_the_baseline_not_the_oldest(
    pypi: RecordedIndex,
) -> None:
    decls = [declared(raw) for raw in UNPINNED]
    baseline = {"faker": "4.1.0", "freezegun": "0.3.15", "lxml": "4.5.1", "pytz": "2020.1"}
    result = choose_versions(decls, Target("3.2", "3.8"), pypi, baseline=baseline, platforms=LINUX)
    for name, version in baseline.items():
        choice = _only(result, name)
        assert (choice.current, choice.chosen) == (version, version)
        assert choice.reason.startswith(f"unpinned: kept at what the baseline resolved, {version}")
    oldest = {"faker": "0.0.2", "pytz": "2004a0", "lxml": "1.3.2", "freezegun": "0.0.1"}
    for name, version in oldest.items():
        assert pypi.releases(name).releases[0].version == Version(version)  # still published


def test_unpinned_without_a_baseline_gets_the_newest_that_works(pypi: RecordedIndex) -> None:
    decls = [declared(raw) for raw in UNPINNED]
    result = choose_versions(decls, Target("3.2", "3.8"), pypi, platforms=LINUX)
    # faker 35.2.2 is the last for Python 3.8 (36.0 needs >=3.9); never faker 0.0.2.
    assert _only(result, "faker").chosen == "35.2.2"
    assert _only(result, "freezegun").chosen == "1.5.5"
    assert "newest release that works (no baseline to start from)" in _only(result, "pytz").reason
    assert not result.blocked


def test_never_below_the_baseline(pypi: RecordedIndex) -> None:
    # An unpinned package that the baseline resolved high stays there (no downgrade).
    decls = [declared("Django==2.2.13"), declared("faker>=1.0")]
    result = choose_versions(
        decls, Target("3.2", "3.8"), pypi, baseline={"faker": "8.1.0"}, platforms=LINUX
    )
    choice = _only(result, "faker")
    assert Version(choice.chosen) >= Version("8.1.0")
    assert choice.reason.startswith("declared >=1.0: kept at what the baseline resolved, 8.1.0")


def test_urllib3_is_not_blocked_on_python_3_7(pypi: RecordedIndex) -> None:
    # Seen: "urllib3: no release supports Python 3.7" (1.26 does).
    decls = [declared(raw) for raw in ("Django==2.2.5", "requests==2.22.0", "urllib3")]
    as_of = datetime(2019, 9, 1, tzinfo=UTC)
    baseline = baseline_versions(decls, Target("2.2", "3.7"), pypi, as_of=as_of)
    assert baseline == {"urllib3": "1.25.3"}
    result = choose_versions(decls, Target("3.2", "3.7"), pypi, baseline=baseline)
    assert not result.blocked
    assert _only(result, "urllib3").chosen == "1.25.3"
    unpinned = choose_versions(decls, Target("3.2", "3.7"), pypi)
    assert _only(unpinned, "urllib3").chosen == "1.25.11"  # the newest requests 2.22 admits


def test_a_true_blocker_names_the_conflicting_pair(pypi: RecordedIndex) -> None:
    decls = [declared(raw) for raw in ("Django==2.2.5", "requests==2.22.0", "urllib3==1.26.5")]
    result = choose_versions(decls, Target("3.2", "3.7"), pypi)
    blocked = _blocked(result, "urllib3")
    assert "Python" not in blocked.reason  # every release was read: Python is not the cause
    assert "urllib3 >= 1.26.5 (pinned ==1.26.5; a hop never downgrades)" in blocked.reason
    assert "requests 2.22.0 requires urllib3!=1.25.0,!=1.25.1,<1.26,>=1.21.1" in blocked.reason
    assert blocked.what_it_requires == "urllib3!=1.25.0,!=1.25.1,<1.26,>=1.21.1"
    # Which side of the pair can move: requests 2.25.0 admits urllib3<1.27.
    assert blocked.reason.endswith(
        "requests 2.25.0 is the first release whose requirements admit urllib3 1.26.5: "
        "upgrade requests, or pin urllib3 lower"
    )


def test_celery_has_releases_for_python_3_6(pypi: RecordedIndex) -> None:
    # Seen: "celery: no release supports Python 3.6" (4.4.7 and 5.0/5.1 do).
    result = choose_versions(
        [declared("Django==2.2.5"), declared("celery")], Target("3.2", "3.6"), pypi
    )
    assert _only(result, "celery").chosen == "5.1.2"
    kept = choose_versions(
        [declared("Django==2.2.5"), declared("celery==4.4.7")], Target("3.2", "3.6"), pypi
    )
    assert _only(kept, "celery").chosen == "4.4.7"


def test_a_python_blocker_is_built_from_every_release(pypi: RecordedIndex) -> None:
    result = choose_versions(
        [declared("Django==2.2.5"), declared("celery==5.2.7")], Target("3.2", "3.6"), pypi
    )
    blocked = _blocked(result, "celery")
    assert "no release" not in blocked.reason
    assert blocked.reason.startswith(
        "celery==5.2.7 (pinned ==5.2.7) needs Requires-Python >=3.7, and so does every newer"
    )
    assert "the releases for Python 3.6 (0.1.2 to 5.1.2 (150 releases)) are older" in blocked.reason


@pytest.mark.parametrize(
    ("raw", "chosen", "why"),
    [
        pytest.param("Pillow==8.2.0", "8.3.2", "8.2.0 has no wheel for CPython 3.10", id="pillow"),
        pytest.param(
            "psycopg2-binary==2.8.6",
            "2.9.1",
            "2.8.6 has no wheel for CPython 3.10",
            id="psycopg2-binary",
        ),
    ],
)
def test_requires_python_is_not_installability(
    pypi: RecordedIndex, raw: str, chosen: str, why: str
) -> None:
    decls = [declared("Django==3.2.5"), declared(raw)]
    result = choose_versions(decls, Target("4.2", "3.10"), pypi, platforms=LINUX)
    choice = _only(result, declared(raw).name)
    assert choice.chosen == chosen
    assert why in choice.reason
    release = pypi.releases(declared(raw).name).get(chosen)
    assert release is not None and has_wheel_for(release, target_tags("3.10", LINUX))


def test_only_an_sdist_fits_is_said(pypi: RecordedIndex) -> None:
    # mysqlclient publishes Windows wheels only: on Linux every release builds from source.
    result = choose_versions(
        [declared("Django==2.2.13"), declared("mysqlclient==1.4.6")],
        Target("3.2", "3.8"),
        pypi,
        platforms=LINUX,
    )
    choice = _only(result, "mysqlclient")
    assert choice.chosen == "1.4.6"
    assert "only an sdist fits CPython 3.8 on manylinux_2_17_x86_64" in choice.reason


def test_django_apps_without_django_metadata_are_unverified(pypi: RecordedIndex) -> None:
    # django-date-extensions' from_db_value(context) breaks on Django 3.0; its metadata is silent.
    decls = [
        declared("Django==2.2.5"),
        declared("django-date-extensions==3.0"),
        declared("django-markdown-deux"),
    ]
    result = choose_versions(
        decls, Target("3.2", "3.7"), pypi, baseline={"django-markdown-deux": "1.0.5"}
    )
    for name in ("django-date-extensions", "django-markdown-deux"):
        reason = _only(result, name).reason
        assert "does not depend on Django" not in reason
        assert f"unverified: a Django app (its name, {name})" in reason
    assert _only(result, "django-markdown-deux").chosen == "1.0.5"


def test_an_installed_app_counts_as_a_django_app(pypi: RecordedIndex) -> None:
    from upgrader.deps.choose import django_app_evidence

    assert django_app_evidence("markdown-deux", ["markdown_deux"]) == (
        "markdown_deux is in INSTALLED_APPS"
    )
    assert django_app_evidence("sorl-thumbnail", ["sorl.thumbnail"]) == (
        "sorl.thumbnail is in INSTALLED_APPS"
    )
    assert django_app_evidence("django-tinymce", []) == "its name, django-tinymce"
    assert django_app_evidence("faker", ["django.contrib.admin", "myapp"]) == ""


def test_a_baseline_guess_fits_the_projects_own_pins(pypi: RecordedIndex) -> None:
    # pretalx: requests==2.22.*, urllib3 and responses unpinned. Each on its own, the newest for
    # Python 3.7 is urllib3 2.0.7 and responses 0.23.3 (needs requests>=2.30): neither ran
    # beside requests 2.22, and taking them made a false blocker and moved requests.
    decls = [declared(raw) for raw in ("Django==2.2.5", "requests==2.22.*", "urllib3", "responses")]
    baseline = baseline_versions(decls, Target("2.2", "3.7"), pypi, as_of=None)
    assert baseline["requests"] == "2.22.0"
    assert Version(baseline["urllib3"]) < Version("1.26")
    responses = pypi.releases("responses").get(baseline["responses"])
    assert responses is not None
    result = choose_versions(decls, Target("3.2", "3.7"), pypi, baseline=baseline)
    assert not result.blocked
    assert _only(result, "requests").chosen == "2.22.0"
