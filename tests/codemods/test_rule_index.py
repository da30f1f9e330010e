"""The rule index (``codemods/_index.py``) is the registry's, and selection reads it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from packaging.version import Version

import codemods
from codemods import RuleContext, all_rules, index_path, render_index, rule_index


@pytest.fixture(autouse=True)
def _fresh_index() -> Iterator[None]:
    codemods.rule_index.cache_clear()
    yield
    codemods.rule_index.cache_clear()


def test_the_committed_index_is_the_registrys() -> None:
    # Fails after a rule is added, removed or re-registered: run `.venv/bin/python scripts/rule_index.py`.
    assert index_path().read_text(encoding="utf-8") == render_index()


def test_the_index_entries_are_the_registrys_in_its_order() -> None:
    assert rule_index() == tuple(rule.entry for rule in all_rules())


def test_every_rule_module_registers_the_rule_named_after_it() -> None:
    # The index is checked against the rule modules on disk by name.
    assert {rule.id for rule in all_rules()} == codemods._rule_modules()


@pytest.mark.parametrize(
    ("django_from", "django_to", "python_to", "packages"),
    [
        ("2.2", "3.2", "3.8", {}),
        ("2.2", "5.2", "3.10", {}),
        ("3.2", "4.2", "3.12", {"djangorestframework": "3.15", "django-filter": "23.0"}),
        ("4.2", "6.0", "3.13", {"djangorestframework": "3.9"}),
    ],
)
def test_selection_from_the_index_is_the_registrys(
    django_from: str, django_to: str, python_to: str, packages: dict[str, str]
) -> None:
    context = RuleContext(
        Version(django_from),
        Version(django_to),
        Version(python_to),
        packages={name: Version(v) for name, v in packages.items()},
    )
    expected = tuple(rule.id for rule in all_rules() if rule.applies(context))
    assert codemods.selected_rule_ids(context) == expected


def test_a_rule_module_missing_from_the_index_makes_selection_read_the_registry(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import codemods._index

    stale = tuple(row for row in codemods._index.RULES if row[0] != "render_to_response")
    monkeypatch.setattr(codemods._index, "RULES", stale)
    assert "render_to_response" in {entry.id for entry in rule_index()}
    assert rule_index() == tuple(rule.entry for rule in all_rules())
