"""model_state_fields_items: ``for name, field in <ModelState>.fields`` -> ``.fields.items()`` on
the hop that crosses 3.1 (FINDINGS F71: simple-history's test_migrations_include_order,
ValueError on 3.2: ModelState.fields is a dict from 3.1 on)."""

from __future__ import annotations

import pytest

from codemods import RuleContext
from tests.codemods.helpers import check_noop, check_transformed, context
from upgrader.findings import scan_source

RULE = "model_state_fields_items"
# django-simple-history's simple_history/tests/tests/test_models.py (57507748, lines 1108-1118)
TEST = (
    "from django.db.migrations import state\n"
    "from django.test import TestCase\n\n\n"
    "class TestOrderWrtField(TestCase):\n"
    "    def test_migrations_include_order(self):\n"
    "        model_state = state.ModelState.from_model(SeriesWork.history.model)\n"
    "        found = False\n"
    "        for name, field in model_state.fields:\n"
    '            if name == "_order":\n'
    "                found = True\n"
    "        self.assertTrue(found)\n"
)
FIXED = TEST.replace("in model_state.fields:", "in model_state.fields.items():")


def hop(django_from: str = "2.2", django_to: str = "3.2") -> RuleContext:
    return context(
        django_from=django_from, django_to=django_to, filename="app/tests/test_models.py"
    )


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(TEST, FIXED, id="simple-history's test"),
        pytest.param(
            "from django.db.migrations.state import ModelState\n"
            "s = ModelState.from_model(M)\nnames = {n: f for n, f in (s.fields)}\n",
            "from django.db.migrations.state import ModelState\n"
            "s = ModelState.from_model(M)\nnames = {n: f for n, f in (s.fields.items())}\n",
            id="a comprehension, parenthesized",
        ),
        pytest.param(
            "from django.db.migrations.state import ModelState as MS\n"
            "for (a, b) in MS('app', 'M', []).fields:\n    pass\n",
            "from django.db.migrations.state import ModelState as MS\n"
            "for (a, b) in MS('app', 'M', []).fields.items():\n    pass\n",
            id="the call itself, an alias",
        ),
    ],
)
def test_transforms(before: str, after: str) -> None:
    check_transformed(RULE, before, after, hop())


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(FIXED, id="already .items()"),
        pytest.param(
            "from django.db.migrations import state\ns = state.ModelState.from_model(M)\n"
            "for name in s.fields:\n    pass\n",
            id="names only",
        ),
        pytest.param("for name, field in form.fields:\n    pass\n", id="not a ModelState"),
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, hop())


@pytest.mark.parametrize(("django_from", "django_to"), [("2.2", "3.0"), ("3.1", "3.2")])
def test_only_the_hop_that_crosses_3_1(django_from: str, django_to: str) -> None:
    check_noop(RULE, TEST, hop(django_from, django_to))


def test_the_item_is_closed_by_the_rewrite() -> None:
    where = "app/tests/test_models.py"
    assert [f.id for f in scan_source(TEST, where)].count("model-state-fields-dict") == 1
    assert "model-state-fields-dict" not in {f.id for f in scan_source(FIXED, where)}
