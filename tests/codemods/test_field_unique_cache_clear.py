"""field_unique_cache_clear: after ``<x>._unique = <v>``, ``vars(<x>).pop("unique", None)`` on the
hop that crosses 5.1 (FINDINGS F74: simple-history's transform_field kept its history tables
UNIQUE on 5.2, Field.unique being a cached_property from 5.1)."""

from __future__ import annotations

import copy
import functools

import pytest

from codemods import RuleContext
from tests.codemods.helpers import check_noop, check_transformed, context
from upgrader.findings import scan_source

RULE = "field_unique_cache_clear"
# django-simple-history's simple_history/models.py transform_field (57507748, lines 553-560)
TRANSFORM_FIELD = (
    "from django.db import models\n\n\n"
    "def transform_field(field):\n"
    "    field.name = field.attname\n"
    "    if field.primary_key or field.unique:\n"
    "        # Unique fields can no longer be guaranteed unique,\n"
    "        # but they should still be indexed for faster lookups.\n"
    "        field.primary_key = False\n"
    "        field._unique = False\n"
    "        field.db_index = True\n"
)
CLEARED = TRANSFORM_FIELD.replace(
    "        field._unique = False\n",
    '        field._unique = False\n        vars(field).pop("unique", None)\n',
)


def hop(django_from: str = "4.2", django_to: str = "5.2") -> RuleContext:
    return context(django_from=django_from, django_to=django_to, filename="app/models.py")


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(TRANSFORM_FIELD, CLEARED, id="simple-history's transform_field"),
        pytest.param(
            "def f(field):\n\tif field.unique:\n\t\tfield._unique = False  # off\n\treturn field\n",
            "def f(field):\n\tif field.unique:\n\t\tfield._unique = False  # off\n"
            '\t\tvars(field).pop("unique", None)\n\treturn field\n',
            id="tabs and a trailing comment: the next line, in the same block",
        ),
        pytest.param(
            "def f(field):\n    if field.unique: field._unique = False\n    return field\n",
            "def f(field):\n    if field.unique: field._unique = False; "
            'vars(field).pop("unique", None)\n    return field\n',
            id="a one-line block: after a semicolon, still inside the if",
        ),
        pytest.param(
            "def f(self):\n    self.field._unique = (\n        False\n    )\n",
            "def f(self):\n    self.field._unique = (\n        False\n    )\n"
            '    vars(self.field).pop("unique", None)\n',
            id="a statement over several lines, a dotted receiver",
        ),
        pytest.param(
            "def f(field):\n    field._unique = False",
            'def f(field):\n    field._unique = False\n    vars(field).pop("unique", None)',
            id="no final newline",
        ),
        pytest.param(
            "def f(a, b):\n    a._unique = b._unique = False\n",
            'def f(a, b):\n    a._unique = b._unique = False\n    vars(a).pop("unique", None)\n'
            '    vars(b).pop("unique", None)\n',
            id="two targets",
        ),
        pytest.param(
            "def f(field):\n    field._unique = 'x'\n",
            "def f(field):\n    field._unique = 'x'\n    vars(field).pop('unique', None)\n",
            id="the file's quote style",
        ),
    ],
)
def test_transforms(before: str, after: str) -> None:
    check_transformed(RULE, before, after, hop())


def test_crlf_line_endings_are_kept() -> None:
    before = TRANSFORM_FIELD.replace("\n", "\r\n")
    check_transformed(RULE, before, CLEARED.replace("\n", "\r\n"), hop())


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "class F(models.Field):\n    def __init__(self):\n        self._unique = False\n",
            id="a field's own __init__",
        ),
        pytest.param(
            "def f(field):\n    field._unique = False\n    field.unique = False\n",
            id="unique set too",
        ),
        pytest.param("def f(field):\n    field._unique.x = False\n", id="not the attribute itself"),
        pytest.param("def f(field):\n    x = field._unique\n", id="read only"),
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, hop())


@pytest.mark.parametrize(("django_from", "django_to"), [("3.2", "5.0"), ("5.1", "5.2")])
def test_only_the_hop_that_crosses_5_1(django_from: str, django_to: str) -> None:
    check_noop(RULE, TRANSFORM_FIELD, hop(django_from, django_to))


def test_the_item_is_closed_by_the_rewrite() -> None:
    assert [f.id for f in scan_source(TRANSFORM_FIELD, "app/models.py")].count(
        "field-unique-cached"
    ) == 1
    assert "field-unique-cached" not in {f.id for f in scan_source(CLEARED, "app/models.py")}


class _Cached:
    """Field.unique as Django 5.1 has it: a cached_property over ``_unique``."""

    attname = "name"

    def __init__(self) -> None:
        self._unique = True
        self.primary_key = False

    @functools.cached_property
    def unique(self) -> bool:
        return self._unique or self.primary_key


class _Live(_Cached):
    """Field.unique as Django 5.0 has it: a property."""

    @property  # type: ignore[override]
    def unique(self) -> bool:
        return self._unique or self.primary_key


def _run(source: str, field: _Cached) -> None:
    namespace: dict[str, object] = {}
    exec(source.replace("from django.db import models\n", ""), namespace)
    namespace["transform_field"](field)  # type: ignore[operator]


@pytest.mark.parametrize("cls", [_Cached, _Live])
def test_the_added_line_gives_the_property_answer_on_both(cls: type[_Cached]) -> None:
    original = cls()
    assert original.unique  # read (cached on 5.1+) before the copy, as simple-history does
    field = copy.copy(original)
    _run(CLEARED, field)
    assert field.unique is False
    before = copy.copy(original)
    _run(TRANSFORM_FIELD, before)
    assert before.unique is (cls is _Cached)  # the 5.1 defect the line fixes
