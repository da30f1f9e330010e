"""postgres_aggregate_default: the old empty value becomes an explicit default (4.0 -> 5.0)."""

from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "postgres_aggregate_default"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "from django.contrib.postgres.aggregates import ArrayAgg\n"
            "qs.annotate(tags=ArrayAgg('tag__name', distinct=True))\n",
            "from django.contrib.postgres.aggregates import ArrayAgg\n"
            "from django.db.models import Value\n"
            "qs.annotate(tags=ArrayAgg('tag__name', distinct=True, default=Value([])))\n",
            id="ArrayAgg",
        ),
        pytest.param(
            "from django.contrib.postgres import aggregates\n"
            "from django.db.models import F, Value\n"
            "a = aggregates.StringAgg('name', delimiter=', ')\n"
            "b = aggregates.JSONBAgg(F('x'))\n",
            "from django.contrib.postgres import aggregates\n"
            "from django.db.models import F, Value\n"
            "a = aggregates.StringAgg('name', delimiter=', ', default=Value(''))\n"
            "b = aggregates.JSONBAgg(F('x'), default=Value('[]'))\n",
            id="StringAgg and JSONBAgg, Value already imported",
        ),
    ],
)
def test_transforms(before: str, after: str) -> None:
    check_transformed(RULE, before, after, context(django_from="3.2", django_to="5.0"))


@pytest.mark.parametrize(
    "source",
    [
        "from django.contrib.postgres.aggregates import ArrayAgg\nArrayAgg('x', default=None)\n",
        "from django.contrib.postgres.aggregates import ArrayAgg\nArrayAgg('x', **options)\n",
        "from myapp.aggregates import ArrayAgg\nArrayAgg('x')\n",
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, context(django_to="5.0"))


def test_version_gate() -> None:
    source = "from django.contrib.postgres.aggregates import ArrayAgg\nArrayAgg('x')\n"
    check_noop(RULE, source, context(django_from="2.2", django_to="3.2"))
    check_transformed(
        RULE,
        source,
        "from django.contrib.postgres.aggregates import ArrayAgg\n"
        "from django.db.models import Value\n"
        "ArrayAgg('x', default=Value([]))\n",
        context(django_from="3.2", django_to="4.0"),
    )
