"""The catalogue's integrity: ids, versions, fixer and codemod references, docs links, detectors."""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Mapping, Sequence
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

import pytest
from django_upgrade.data import FIXERS
from packaging.version import Version

import codemods
from upgrader.findings import (
    catalogue,
    python_ast,
    python_calls,
    python_code,
    python_definitions,
    python_tables,
    python_visitor,
    settings_file,
    static_sourcemaps,
    templates,
)
from upgrader.findings.catalogue import CATALOGUE, CODEMOD_IDS, Deprecation, all_deprecations

ENTRIES = [pytest.param(entry, id=entry.id) for entry in all_deprecations()]

DOCS_HOSTS = {
    "django": {"docs.djangoproject.com"},
    "python": {"docs.python.org"},
    "djangorestframework": {"www.django-rest-framework.org"},
    "django-filter": {"django-filter.readthedocs.io"},
}


def test_ids_are_unique() -> None:
    ids = [entry.id for entry in all_deprecations()]
    assert len(ids) == len(set(ids))
    assert set(ids) == set(CATALOGUE)


@pytest.mark.parametrize("entry", ENTRIES)
def test_id_is_kebab_case(entry: Deprecation) -> None:
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", entry.id)


@pytest.mark.parametrize("entry", ENTRIES)
def test_versions_parse_and_are_ordered(entry: Deprecation) -> None:
    deprecated, removed = Version(entry.deprecated_in), Version(entry.removed_in)
    if entry.warned:
        assert deprecated < removed
    else:
        assert deprecated == removed  # changed without a deprecation period


@pytest.mark.parametrize("entry", ENTRIES)
def test_scope_and_package_agree(entry: Deprecation) -> None:
    assert (entry.scope == "package") == (entry.package is not None)
    if entry.scope == "django":
        assert Version("1.9") <= entry.deprecated_version
        assert entry.removed_version <= Version("2028.0")


@pytest.mark.parametrize("entry", ENTRIES)
def test_fix_reference_exists(entry: Deprecation) -> None:
    fix = entry.fix
    if fix.kind == "manual":
        assert fix.ref is None
        assert entry.suggestion
    elif fix.kind == "django-upgrade":
        assert fix.ref in FIXERS, f"django-upgrade has no fixer {fix.ref!r}"
        # The fixer must run on a hop that reaches the removal (django-upgrade --target-version).
        fixer_version = Version(".".join(map(str, FIXERS[fix.ref].min_version)))
        assert fixer_version <= entry.removed_version
    else:
        assert fix.kind == "codemod"
        assert fix.ref in CODEMOD_IDS


@pytest.mark.parametrize(
    "entry",
    [pytest.param(e, id=e.id) for e in all_deprecations() if e.fix.kind == "codemod"],
)
def test_registered_codemod_matches_entry(entry: Deprecation) -> None:
    rules = {rule.id: rule for rule in codemods.all_rules()}
    rule = rules.get(entry.fix.ref or "")
    if rule is None:
        pytest.skip(f"codemod {entry.fix.ref} is not written yet")
    assert rule.scope == entry.scope
    assert rule.package == entry.package
    assert rule.version <= entry.removed_version  # the rule runs by the time the API is gone


@pytest.mark.parametrize("entry", ENTRIES)
def test_docs_link_is_wellformed(entry: Deprecation) -> None:
    url = urlsplit(entry.docs)
    assert url.scheme == "https"
    assert url.netloc in DOCS_HOSTS[entry.package or entry.scope]
    assert url.fragment, "link the section, not the page"
    assert re.fullmatch(r"[a-z0-9_-]+", url.fragment)
    if url.netloc == "docs.djangoproject.com":
        match = re.fullmatch(r"/en/(\d+\.\d+)/releases/(\d+\.\d+)/", url.path)
        assert match is not None
        assert match.group(1) == match.group(2)
        assert match.group(1) in (entry.deprecated_in, entry.removed_in)


@pytest.mark.parametrize("entry", ENTRIES)
def test_texts_are_one_line(entry: Deprecation) -> None:
    for text in (entry.summary, entry.suggestion):
        assert text
        assert "\n" not in text


def _string_constants(modules: Sequence[ModuleType]) -> set[str]:
    trees = [ast.parse(inspect.getsource(module)) for module in modules]
    return {
        node.value
        for tree in trees
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }


# The Python detector is python_code over its parts.
PYTHON_DETECTOR = (
    python_code,
    python_tables,
    python_visitor,
    python_calls,
    python_definitions,
    python_ast,
)
DETECTOR_MODULES: dict[str, Sequence[ModuleType]] = {
    "python": PYTHON_DETECTOR,
    "settings": (settings_file,),
    "template": (templates,),
    "static": (static_sourcemaps,),
}


@pytest.mark.parametrize("kind", sorted(DETECTOR_MODULES))
def test_detector_kinds_match_detectors(kind: str) -> None:
    """An entry claims a detector exactly when that detector can emit its id."""
    emitted = _string_constants(DETECTOR_MODULES[kind]) & set(CATALOGUE)
    claimed = {entry.id for entry in all_deprecations() if kind in entry.kinds}
    assert emitted == claimed


def test_every_codemod_fixes_an_entry() -> None:
    used = {e.fix.ref for e in all_deprecations() if e.fix.kind == "codemod"}
    assert used == set(CODEMOD_IDS)


def test_detector_tables_name_catalogue_ids() -> None:
    tables: list[Mapping[Any, str]] = [
        python_tables.NAMES,
        python_tables.MODULES,
        python_tables.REMOVED_KEYWORDS,
        settings_file.REMOVED_SETTINGS,
        settings_file.REMOVED_PATHS,
        settings_file.REQUIRED_SETTINGS,
    ]
    ids = {value for table in tables for value in table.values()}
    assert ids <= set(CATALOGUE)
    assert set(CATALOGUE) >= python_tables.MIGRATION_SAFE


def test_unknown_id_raises_key_error() -> None:
    with pytest.raises(KeyError, match="no-such-thing"):
        catalogue.get("no-such-thing")


def test_catalogue_covers_the_sample_projects_apis() -> None:
    """Issue 3's list of deprecated APIs, each with an entry."""
    wanted = {
        "conf-urls-url",
        "ugettext",
        "force-text",
        "render-to-response",
        "is-ajax",
        "utils-six",
        "python-2-unicode-compatible",
        "available-attrs",
        "staticfiles-template-library",
        "template-ifequal",
        "length-is",
        "null-boolean-field",
        "index-together",
        "pytz",
        "pytz-localize",
        "signal-providing-args",
        "password-reset-timeout-days",
        "use-l10n",
        "default-auto-field-unset",
        "storages-settings",
        "memcached-cache",
        "csrf-trusted-origins-scheme",
        "logout-get",
        "assert-queryset-equal-repr",
        "unittest-aliases",
        "drf-list-detail-route",
        "django-filter-view-attributes",
        "model-save-positional-args",
        "postgres-ci-fields",
        "pickle-serializer",
        "default-hashing-algorithm",
        "get-storage-class",
        "make-random-password",
        "datetime-safe",
        "baseconv",
    }
    assert wanted <= set(CATALOGUE)
