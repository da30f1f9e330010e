from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "django_filter_field_name"
FILTER2 = context(packages={"django-filter": "2.0.0"})


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "import django_filters\n\n"
            "class F(django_filters.FilterSet):\n"
            "    title = django_filters.CharFilter(name='title', lookup_expr='icontains')  # q\n",
            "import django_filters\n\n"
            "class F(django_filters.FilterSet):\n"
            "    title = django_filters.CharFilter(field_name='title', lookup_expr='icontains')  # q\n",
            id="module attribute",
        ),
        pytest.param(
            "from django_filters import rest_framework as filters\n\n"
            "min_price = filters.NumberFilter(\n    name='price',\n    lookup_expr='gte',\n)\n",
            "from django_filters import rest_framework as filters\n\n"
            "min_price = filters.NumberFilter(\n    field_name='price',\n    lookup_expr='gte',\n)\n",
            id="rest_framework alias, multi-line",
        ),
        pytest.param(
            "from django_filters.filters import ModelChoiceFilter as MCF\n\n"
            "author = MCF(name='author', queryset=qs)\n",
            "from django_filters.filters import ModelChoiceFilter as MCF\n\n"
            "author = MCF(field_name='author', queryset=qs)\n",
            id="class alias",
        ),
    ],
)
def test_rewrites(before: str, after: str) -> None:
    check_transformed(RULE, before, after, FILTER2)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "from rest_framework import filters\n\nx = filters.SearchFilter(name='a')\n",
            id="DRF filters look-alike",
        ),
        pytest.param(
            "import django_filters\n\nx = django_filters.FilterSet(data, name='a')\n",
            id="not a filter class",
        ),
        pytest.param(
            "import django_filters\n\nx = django_filters.CharFilter(field_name='a')\n",
            id="already field_name",
        ),
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, FILTER2)


def test_not_before_2_0() -> None:
    source = "import django_filters\n\nx = django_filters.CharFilter(name='a')\n"
    check_noop(RULE, source, context(packages={"django-filter": "1.1.0"}))
