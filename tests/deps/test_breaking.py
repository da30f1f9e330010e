"""A third-party app whose code warned in the baseline's run about an API the target removes."""

from __future__ import annotations

from pathlib import Path

from tests.deps.conftest import LocalIndex, django_classifiers
from tests.deps.helpers import declared
from upgrader.deps.breaking import (
    BaselineRun,
    BreakingWarning,
    baseline_findings,
    breaking_warnings,
    is_breaking,
    module_owners,
)
from upgrader.deps.choose import Choice, Target, choose_versions
from upgrader.deps.index import IndexConfig
from upgrader.deps.plan import plan_dependencies
from upgrader.detect.requirements import read_declared
from upgrader.hops import Hop
from upgrader.releases import get_release
from upgrader.verify.deprecations import PROJECT, THIRD_PARTY, DeprecationFinding


def _warning(file: str, category: str, origin: str = THIRD_PARTY) -> DeprecationFinding:
    from upgrader.verify.deprecations import removed_in

    return DeprecationFinding(
        file, 12, category, "ugettext() is deprecated", origin, removed_in(category)
    )


OSCAR_40 = _warning("oscar/apps/catalogue/models.py", "RemovedInDjango40Warning")


def test_a_removal_at_or_before_the_target_blames_the_package_that_warned() -> None:
    findings = [
        _warning("views.py", "RemovedInDjango40Warning", origin=PROJECT),  # the project's own
        _warning("django/utils/translation.py", "RemovedInDjango40Warning"),  # Django itself
        _warning("taggit/managers.py", "RemovedInDjango50Warning"),  # after the target
        OSCAR_40,
        _warning("rest_framework/fields.py", "RemovedInDjango41Warning"),
        _warning("oscar/apps/x.py", "RemovedInDjango41Warning"),  # the first one is kept
    ]
    packages = {"django", "django-oscar", "djangorestframework", "django-taggit"}
    owners = {"rest_framework": ("djangorestframework", "3.11.2")}
    found = breaking_warnings(findings, "4.2", packages, owners)
    assert found == {
        "django-oscar": BreakingWarning("django-oscar", OSCAR_40, None),
        "djangorestframework": BreakingWarning("djangorestframework", findings[4], "3.11.2"),
    }
    assert found["django-oscar"].why == (
        "the baseline's tests warn from its code (oscar/apps/catalogue/models.py:12: "
        "RemovedInDjango40Warning: ugettext() is deprecated): removed in Django 4.0"
    )
    assert breaking_warnings(findings, "3.2", packages, owners) == {}


def test_django_warning_about_an_app_it_names_is_the_apps() -> None:
    """Django 3.2 warns from django/apps/registry.py:91 about taggit 1.2.0 (a real run)."""
    finding = DeprecationFinding(
        "django/apps/registry.py",
        91,
        "RemovedInDjango41Warning",
        "'taggit' defines default_app_config = 'taggit.apps.TaggitAppConfig'. Django now "
        "detects this configuration automatically. You can remove default_app_config.",
        THIRD_PARTY,
        "4.1",
    )
    found = breaking_warnings([finding], "4.2", {"django", "django-taggit"})
    assert list(found) == ["django-taggit"]
    assert breaking_warnings([finding], "4.0", {"django", "django-taggit"}) == {}


def test_module_owners_are_read_from_the_runs_environment(tmp_path: Path) -> None:
    site = tmp_path / ".upgrader/cache/tox/django22/lib/python3.8/site-packages"
    drf = site / "djangorestframework-3.11.2.dist-info"
    drf.mkdir(parents=True)
    (drf / "top_level.txt").write_text("rest_framework\n")
    oscar = site / "django_oscar-3.0.0.dist-info"
    oscar.mkdir()
    (oscar / "RECORD").write_text(
        "oscar/__init__.py,sha256=x,1\noscar/apps/x.py,,\n"
        "django_oscar-3.0.0.dist-info/METADATA,,\n__pycache__/x.pyc,,\n"
    )
    assert module_owners(tmp_path, "django22") == {
        "rest_framework": ("djangorestframework", "3.11.2"),
        "oscar": ("django-oscar", "3.0.0"),
    }
    assert module_owners(tmp_path, "django32") == {}


def _index(local_index: LocalIndex) -> LocalIndex:
    local_index.add("Django", "3.2.25", requires_python=">=3.6")
    for version, django in (("1.0", "2.2"), ("1.1", "2.2"), ("2.0", "4.0")):
        local_index.add(
            "django-thing",
            version,
            requires_dist=(f"Django>={django}",),
            classifiers=django_classifiers(django, "3.2"),
        )
    return local_index.build()


def test_a_kept_version_that_warned_moves_to_the_first_newer_release_that_works(
    local_index: LocalIndex, tmp_path: Path
) -> None:
    client = _index(local_index).client(tmp_path / "cache")
    decls = [declared("Django==2.2.28"), declared("django-thing==1.0")]
    target = Target("3.2", "3.8")
    kept = {c.name: c for c in choose_versions(decls, target, client).choices}["django-thing"]
    assert kept.chosen == "1.0"
    warned = _warning("thing/models.py", "RemovedInDjango30Warning")
    breaking = {"django-thing": BreakingWarning("django-thing", warned, "1.0")}
    result = choose_versions(decls, target, client, breaking=breaking)
    moved = {c.name: c for c in result.choices}["django-thing"]
    assert moved.chosen == "1.1"
    assert "django-thing 1.0 breaks on Django 3.2: the baseline's tests warn" in moved.reason
    # The warning came from another release than the one kept: nothing to say.
    other = {"django-thing": BreakingWarning("django-thing", warned, "0.9")}
    assert choose_versions(decls, target, client, breaking=other).choices == (
        choose_versions(decls, target, client).choices
    )


def test_no_newer_release_works_blocks_the_hop_naming_what_broke_and_what_to_do(
    local_index: LocalIndex, tmp_path: Path
) -> None:
    client = _index(local_index).client(tmp_path / "cache")
    decls = [declared("Django==2.2.28"), declared("django-thing==1.1")]
    warned = _warning("thing/models.py", "RemovedInDjango30Warning")
    breaking = {"django-thing": BreakingWarning("django-thing", warned, None)}
    result = choose_versions(decls, Target("3.2", "3.8"), client, breaking=breaking)
    assert "django-thing" not in {c.name for c in result.choices}
    (blocked,) = result.blocked
    assert (blocked.name, blocked.newest_available) == ("django-thing", "2.0")
    assert blocked.reason.startswith(
        "django-thing 1.1 (no newer release works with Django 3.2; the newest is 2.0) breaks on "
        "Django 3.2: the baseline's tests warn from its code (thing/models.py:12: "
    )
    assert "vendor a patched copy" in blocked.reason
    assert 'replace-requirements = {"django-thing" = ' in blocked.reason
    assert is_breaking(blocked.reason)


def test_a_warning_djangos_own_code_raises_about_an_app_keeps_it_saying_why(
    local_index: LocalIndex, tmp_path: Path
) -> None:
    """Django 4.1 ignores default_app_config: a false blocker if it stopped the hop."""
    client = _index(local_index).client(tmp_path / "cache")
    decls = [declared("Django==2.2.28"), declared("django-thing==1.1")]
    finding = DeprecationFinding(
        "django/apps/registry.py",
        91,
        "RemovedInDjango30Warning",
        "'thing' defines default_app_config",
        THIRD_PARTY,
        "3.0",
    )
    breaking = {"django-thing": BreakingWarning("django-thing", finding, None)}
    result = choose_versions(decls, Target("3.2", "3.8"), client, breaking=breaking)
    assert result.blocked == ()
    choice = next(c for c in result.choices if c.name == "django-thing")
    assert isinstance(choice, Choice) and choice.chosen == "1.1"
    assert "but django-thing 1.1 breaks on Django 3.2" in choice.reason
    assert "no newer release works with it" in choice.reason


def test_the_plan_reads_the_baseline_run_from_the_hop_state(
    local_index: LocalIndex, tmp_path: Path
) -> None:
    from upgrader.step import HopState, ProjectState, save_state

    _index(local_index)
    root = tmp_path / "project"
    root.mkdir()
    (root / "requirements.txt").write_text("Django==2.2.28\ndjango-thing==1.0\n")
    run = {
        "stage": "2.2",
        "env": "django22",
        "warnings": [_warning("thing/models.py", "RemovedInDjango30Warning").to_json()],
    }
    hop_state = HopState(
        "2.2", "3.2", "3.8", "3.8", False, None, None, None, "now", tests_before=run
    )
    save_state(root, ProjectState(current=hop_state))
    found = baseline_findings(root, "2.2", "3.2")
    assert isinstance(found, BaselineRun) and found.stage == "2.2" and len(found.findings) == 1
    source, target = get_release("2.2"), get_release("3.2")
    assert source is not None and target is not None
    plan = plan_dependencies(
        root,
        read_declared(root),
        Hop(source, target, "3.8", "3.8"),
        index=local_index.client(tmp_path / "cache"),
        config=IndexConfig(local_index.url),
        as_of=None,
        baseline={},
        installed_apps=(),
    )
    assert {c.name: c.chosen for c in plan.choices}["django-thing"] == "1.1"
