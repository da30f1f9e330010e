"""from_db_value_context: the context parameter Django 3.0 no longer passes is dropped."""

from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context, run_rule

RULE = "from_db_value_context"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "class F(models.Field):\n"
            "    def from_db_value(self, value, expression, connection, context):\n"
            "        return value\n",
            "class F(models.Field):\n"
            "    def from_db_value(self, value, expression, connection):\n"
            "        return value\n",
            id="dropped",
        ),
        pytest.param(
            "class F(models.Field):\n"
            "    def from_db_value(\n        self, value, expression, connection, ctx,\n    ):\n"
            "        return value\n",
            "class F(models.Field):\n"
            "    def from_db_value(\n        self, value, expression, connection,\n    ):\n"
            "        return value\n",
            id="trailing comma kept",
        ),
    ],
)
def test_transforms(before: str, after: str) -> None:
    check_transformed(RULE, before, after, context(django_from="2.2", django_to="3.0"))


@pytest.mark.parametrize(
    "source",
    [
        "class F:\n    def from_db_value(self, value, expression, connection):\n        return value\n",
        "class F:\n    def from_db_value(self, value, *args):\n        return value\n",
        "def from_db_value(self, value, expression, connection, context):\n    return value\n",
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, context(django_to="3.0"))


def test_used_context_is_a_manual_item() -> None:
    ctx = context(django_from="2.2", django_to="3.0")
    source = (
        "class F:\n    def from_db_value(self, value, expression, connection, context):\n"
        "        return context.get(value)\n"
    )
    assert run_rule(RULE, source, ctx) == source
    assert len(ctx.notes) == 1


def test_version_gate() -> None:
    source = (
        "class F:\n    def from_db_value(self, value, expression, connection, context):\n"
        "        return value\n"
    )
    check_noop(RULE, source, context(django_from="2.1", django_to="2.2"))
    assert "context" not in run_rule(RULE, source, context(django_from="2.2", django_to="3.0"))
