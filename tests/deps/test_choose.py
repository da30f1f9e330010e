from __future__ import annotations

from pathlib import Path

import pytest

from tests.deps.conftest import LocalIndex, django_classifiers
from tests.deps.helpers import declared
from upgrader.deps.choose import (
    Blocked,
    Choice,
    Choices,
    Target,
    choose_django,
    choose_versions,
)
from upgrader.deps.index import PackageIndex

TARGET = Target(django="4.2", python="3.10")


def _django(index: LocalIndex) -> LocalIndex:
    index.add("Django", "2.2.28", requires_python=">=3.5")
    index.add("Django", "4.2.1", requires_python=">=3.8")
    index.add("Django", "4.2.2", requires_python=">=3.8")
    index.add("Django", "4.2.3", requires_python=">=3.8", yanked="bad release")
    index.add("Django", "5.0", requires_python=">=3.10")
    return index


@pytest.fixture
def client(local_index: LocalIndex, tmp_path: Path) -> PackageIndex:
    _django(local_index)
    # A Django package whose Requires-Dist has no upper bound: classifiers tell.
    local_index.add(
        "plugin", "1.0", requires_dist=("Django>=1.11",), classifiers=django_classifiers("2.2")
    )
    local_index.add(
        "plugin", "1.1", requires_dist=("Django>=1.11",), classifiers=django_classifiers("3.2")
    )
    local_index.add(
        "plugin",
        "1.2",
        requires_dist=("Django>=3.2",),
        classifiers=django_classifiers("3.2", "4.2"),
    )
    local_index.add(
        "plugin",
        "2.0",
        requires_dist=("Django>=4.2",),
        classifiers=django_classifiers("4.2", "5.0"),
    )
    local_index.add("plugin", "3.0", requires_dist=("Django>=5.0",), requires_python=">=3.10")
    # Requires-Python moves past the hop's Python; one release yanked.
    local_index.add("pyonly", "1.0")
    local_index.add("pyonly", "1.5", yanked=True)
    local_index.add("pyonly", "2.0", requires_python=">=3.12")
    # Declares an upper bound on Django that the target exceeds, in every release.
    local_index.add("stuck", "1.0", requires_dist=("Django<3.0",))
    local_index.add("stuck", "1.1", requires_dist=("Django>=2.2,<4.0",))
    # The curated table knows DRF's minimum for 4.2 (3.14).
    for version in ("3.9.4", "3.13.1", "3.14.0", "3.15.0"):
        local_index.add("djangorestframework", version, requires_dist=("django>=2.2",))
    local_index.add("djangorestframework-simplejwt", "5.3.0", requires_dist=("django>=3.2",))
    local_index.add("djangorestframework-jwt", "1.11.0", requires_dist=())
    return local_index.build().client(tmp_path / "cache")


def _only(result: Choices, name: str) -> Choice:
    found = [c for c in result.choices if c.name == name]
    assert len(found) == 1, result
    return found[0]


@pytest.mark.parametrize(
    ("raw", "strategy", "expected"),
    [
        pytest.param("plugin==1.0", "minimal", "1.2", id="minimal: first release declaring 4.2"),
        pytest.param("plugin==1.0", "latest", "2.0", id="latest: newest that works, not 3.0"),
        pytest.param("plugin==2.0", "minimal", "2.0", id="minimal keeps a pin that works"),
        pytest.param("plugin>=1.0,<1.2", "minimal", "1.2", id="range excluding the target"),
        pytest.param("pyonly==1.0", "latest", "1.0", id="requires-python and yanked skipped"),
        pytest.param("djangorestframework==3.9.4", "minimal", "3.14.0", id="curated minimum"),
    ],
)
def test_choice(client: PackageIndex, raw: str, strategy: str, expected: str) -> None:
    result = choose_versions([declared(raw)], TARGET, client, strategy=strategy)
    choice = _only(result, declared(raw).name)
    assert choice.chosen == expected
    assert choice.reason and choice.evidence


def test_classifier_is_the_evidence(client: PackageIndex) -> None:
    choice = _only(choose_versions([declared("plugin==1.0")], TARGET, client), "plugin")
    assert choice.current == "1.0"
    assert "Framework :: Django :: 4.2" in choice.evidence
    assert "first release declaring Django 4.2" in choice.reason


def test_curated_table_is_cited(client: PackageIndex) -> None:
    result = choose_versions([declared("djangorestframework==3.9.4")], TARGET, client)
    choice = _only(result, "djangorestframework")
    assert "django-rest-framework.org" in choice.evidence


def test_django_newest_patch_skips_yanked(client: PackageIndex) -> None:
    result = choose_versions([declared("Django==2.2.28")], TARGET, client)
    choice = _only(result, "django")
    assert (choice.current, choice.chosen) == ("2.2.28", "4.2.2")


@pytest.mark.parametrize(
    ("baseline", "current"),
    [
        pytest.param({"django": "2.2.28"}, "2.2.28", id="baseline"),
        pytest.param(None, None, id="none"),
    ],
)
def test_an_app_that_declares_no_django_still_gets_the_django_choice(
    client: PackageIndex, baseline: dict[str, str] | None, current: str | None
) -> None:
    """A reusable app's files name no Django: its locked set still pins the stage's Django."""
    result = choose_versions([declared("plugin==2.0")], TARGET, client, baseline=baseline)
    choice = _only(result, "django")
    assert (choice.current, choice.chosen) == (current, "4.2.2")
    assert choice.reason == "newest patch of Django 4.2 for Python 3.10"


def test_django_blocked_by_python(client: PackageIndex) -> None:
    blocked = choose_django(client, Target("4.2", "3.6"))
    assert isinstance(blocked, Blocked)
    assert blocked.newest_available == "4.2.3"
    assert "Python 3.6" in blocked.reason


def test_blocked_package_is_explained(client: PackageIndex) -> None:
    result = choose_versions([declared("stuck==1.0")], TARGET, client)
    assert [c.name for c in result.choices] == ["django"]
    (blocked,) = result.blocked
    assert blocked.name == "stuck"
    assert blocked.newest_available == "1.1"
    assert blocked.what_it_requires == "Django<4.0,>=2.2"
    assert "admits Django 4.2.2" in blocked.reason


def test_known_replacement_renames(client: PackageIndex) -> None:
    result = choose_versions([declared("djangorestframework-jwt==1.11.0")], TARGET, client)
    (replacement,) = result.replacements
    assert replacement.replacement == "djangorestframework-simplejwt"
    assert replacement.chosen == "5.3.0"
    assert replacement.action == "rename"
    assert [c.name for c in result.choices] == ["django"]


def test_unknown_package_is_blocked_not_crashed(client: PackageIndex) -> None:
    result = choose_versions([declared("not-there==1.0")], TARGET, client)
    (blocked,) = result.blocked
    assert "not-there was not found" in blocked.reason


def test_marker_excluding_the_python_is_left_alone(client: PackageIndex) -> None:
    result = choose_versions([declared('plugin==1.0; python_version < "3.0"')], TARGET, client)
    assert [c.name for c in result.choices] == ["django"]
    assert "marker excludes Python 3.10" in result.notes[0]


def test_requires_dist_between_chosen_packages_raises_the_other(
    local_index: LocalIndex, tmp_path: Path
) -> None:
    _django(local_index)
    local_index.add("tester", "5.3.5")
    local_index.add("tester", "5.4.0")
    local_index.add("tester", "6.0.0")
    local_index.add(
        "tester-django",
        "4.2.0",
        requires_dist=("tester>=5.4.0", "Django>=2.2"),
        classifiers=django_classifiers("4.2"),
    )
    client = local_index.build().client(tmp_path / "cache")
    result = choose_versions(
        [declared("tester==5.3.5"), declared("tester-django==4.2.0")], TARGET, client
    )
    choice = _only(result, "tester")
    assert choice.chosen == "5.4.0"
    assert choice.reason == "pinned ==5.3.5; tester-django 4.2.0 requires tester>=5.4.0"
    assert "Requires-Dist of tester-django 4.2.0" in choice.evidence


def test_python_minimum_from_the_curated_table(local_index: LocalIndex, tmp_path: Path) -> None:
    _django(local_index)
    for version in ("5.3.5", "6.2.4", "6.2.5", "7.0.0"):
        local_index.add("pytest", version, requires_python=">=3.5")
    client = local_index.build().client(tmp_path / "cache")
    result = choose_versions([declared("pytest==5.3.5")], TARGET, client)
    choice = _only(result, "pytest")
    assert choice.chosen == "6.2.5"
    assert "first to run on Python 3.10" in choice.reason
    assert choice.evidence.startswith("known: https://docs.pytest.org/")


def test_compiled_file_entries_are_locks(client: PackageIndex) -> None:
    decls = [
        declared("plugin>=1.0", file="requirements.in"),
        declared("plugin==1.1", file="requirements.txt", line=8),
        declared("pyonly==1.0", file="requirements.txt", line=9),  # transitive only
    ]
    result = choose_versions(decls, TARGET, client, locked_files={"requirements.txt"})
    assert [c.name for c in result.choices] == ["django", "plugin"]
    assert _only(result, "plugin").current == "1.1"


def test_requirement_under_a_declared_extra_counts(local_index: LocalIndex, tmp_path: Path) -> None:
    _django(local_index)
    # The base requirement says nothing; the "django" extra bounds Django (pytest-django 4.14 style).
    local_index.add("extra-pkg", "1.0", requires_dist=('Django<4.0; extra == "django"',))
    local_index.add("extra-pkg", "2.0", requires_dist=('Django>=4.2; extra == "django"',))
    client = local_index.build().client(tmp_path / "cache")
    with_extra = choose_versions([declared("extra-pkg[django]==1.0")], TARGET, client)
    assert _only(with_extra, "extra-pkg").chosen == "2.0"
    without = choose_versions([declared("extra-pkg==1.0")], TARGET, client)
    assert _only(without, "extra-pkg").chosen == "1.0"


def test_djangos_own_requirements_raise_a_declared_pin(
    local_index: LocalIndex, tmp_path: Path
) -> None:
    local_index.add("Django", "4.2.2", requires_dist=("sqlparse>=0.3.1", "asgiref<4,>=3.6.0"))
    local_index.add("sqlparse", "0.3.0")
    local_index.add("sqlparse", "0.3.1")
    local_index.add("sqlparse", "0.4.0")
    client = local_index.build().client(tmp_path / "cache")
    result = choose_versions(
        [declared("Django==2.2.28"), declared("sqlparse==0.3.0")], TARGET, client
    )
    choice = _only(result, "sqlparse")
    assert choice.chosen == "0.3.1"
    assert choice.reason == "pinned ==0.3.0; django 4.2.2 requires sqlparse>=0.3.1"


def test_unpinned_range_with_no_release_inside_goes_above(client: PackageIndex) -> None:
    result = choose_versions([declared("plugin<0.5")], TARGET, client)
    assert _only(result, "plugin").chosen == "1.2"


def _pluggy_pair(local_index: LocalIndex, tmp_path: Path, *, keeper: bool = True) -> PackageIndex:
    """pytest releases as on PyPI: 3.9.1 takes any pluggy, 5.4.x and 6.2.4 need pluggy<1.0,
    6.2.5 admits pluggy 1.x; the pytest-django release the hop needs requires pytest>=5.4.0."""
    local_index.add("Django", "3.2.25", requires_python=">=3.6")
    local_index.add("pluggy", "0.13.1")
    local_index.add("pluggy", "1.0.0")
    local_index.add("pytest", "3.9.1", requires_dist=("pluggy>=0.7",))
    for version in ("5.4.0", "5.4.3", "6.2.4"):
        local_index.add("pytest", version, requires_dist=("pluggy<1.0.0a1,>=0.12",))
    if keeper:
        local_index.add("pytest", "6.2.5", requires_dist=("pluggy<2.0,>=0.12",))
    local_index.add(
        "tester-django",
        "4.2.0",
        requires_dist=("pytest>=5.4.0", "Django>=2.2"),
        classifiers=django_classifiers("3.2"),
    )
    return local_index.build().client(tmp_path / "cache")


DJANGOGIRLS = Target(django="3.2", python="3.7")
PLUGGY_DECLS = [
    declared("pytest==3.9.1", file="requirements.in"),
    declared("tester-django==4.2.0", file="requirements.in"),
    declared("pytest==3.9.1", file="requirements.txt"),
    declared("pluggy==1.0.0", file="requirements.txt"),  # only in the lock: via pytest
    declared("tester-django==4.2.0", file="requirements.txt"),
]


def test_a_move_keeps_a_transitive_package_at_the_baselines_version(
    local_index: LocalIndex, tmp_path: Path
) -> None:
    # djangogirls' 3.2 hop: pytest 5.4.0 would take the lock's pluggy 1.0.0 down to 0.13.1.
    client = _pluggy_pair(local_index, tmp_path)
    locked = {"requirements.txt"}
    choice = _only(
        choose_versions(PLUGGY_DECLS, DJANGOGIRLS, client, locked_files=locked), "pytest"
    )
    assert choice.chosen == "6.2.5"
    assert choice.reason == (
        "pinned ==3.9.1; tester-django 4.2.0 requires pytest>=5.4.0; pytest 5.4.0 requires "
        "pluggy<1.0.0a1,>=0.12 (the baseline has 1.0.0): 6.2.5 is the first release whose "
        "requirements keep the baseline's versions (a hop never downgrades)"
    )
    # Without the lock's pluggy (nothing known underneath) the smallest move is taken.
    plain = [d for d in PLUGGY_DECLS if d.name != "pluggy"]
    assert _only(
        choose_versions(plain, DJANGOGIRLS, client, locked_files=locked), "pytest"
    ).chosen == ("5.4.0")
    # The stage's installed set counts like the lock.
    given = choose_versions(
        plain, DJANGOGIRLS, client, locked_files=locked, transitive={"pluggy": "1.0"}
    )
    assert _only(given, "pytest").chosen == "6.2.5"


def test_a_move_with_no_release_keeping_the_transitive_says_so(
    local_index: LocalIndex, tmp_path: Path
) -> None:
    client = _pluggy_pair(local_index, tmp_path, keeper=False)
    result = choose_versions(PLUGGY_DECLS, DJANGOGIRLS, client, locked_files={"requirements.txt"})
    choice = _only(result, "pytest")
    assert choice.chosen == "5.4.0"
    assert choice.reason.endswith(
        "pytest 5.4.0 requires pluggy<1.0.0a1,>=0.12 (the baseline has 1.0.0): no later release "
        "(2 read) keeps the baseline's versions, so the hop takes them lower"
    )


@pytest.mark.parametrize(
    ("spec", "lower"),
    [
        ("<1.0", True),
        ("<1.0.0a1,>=0.12", True),
        ("~=0.13", True),
        ("==0.13.*", True),
        ("<2.0,>=0.12", False),
        (">=1.2", False),  # taken higher, not lower
        ("!=1.0.0", False),
        ("", False),
    ],
)
def test_lowers(spec: str, lower: bool) -> None:
    from packaging.specifiers import SpecifierSet
    from packaging.version import Version

    from upgrader.deps.chooser import lowers

    assert lowers(SpecifierSet(spec), Version("1.0.0")) is lower
