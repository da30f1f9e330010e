"""isnull_boolean: non-boolean literals given to __isnull become the boolean they stood for."""

from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "isnull_boolean"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "Book.objects.filter(author__isnull=1, title='x')\n",
            "Book.objects.filter(author__isnull=True, title='x')\n",
            id="one",
        ),
        pytest.param(
            "qs.exclude(Q(a__b__isnull=0) | Q(c__isnull=None))\n",
            "qs.exclude(Q(a__b__isnull=False) | Q(c__isnull=False))\n",
            id="zero and None in Q",
        ),
        pytest.param("qs.filter(x__isnull='')\n", "qs.filter(x__isnull=False)\n", id="empty str"),
    ],
)
def test_transforms(before: str, after: str) -> None:
    check_transformed(RULE, before, after, context(django_from="3.0", django_to="4.0"))


@pytest.mark.parametrize(
    "source",
    [
        "qs.filter(x__isnull=True)\n",
        "qs.filter(x__isnull=flag)\n",
        "qs.filter(isnull=1)\n",
        "qs.filter(x__in=[1])\n",
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, context(django_to="4.0"))


def test_version_gate() -> None:
    check_noop(RULE, "qs.filter(x__isnull=1)\n", context(django_from="2.2", django_to="3.0"))
    check_transformed(
        RULE,
        "qs.filter(x__isnull=1)\n",
        "qs.filter(x__isnull=True)\n",
        context(django_from="2.2", django_to="3.1"),
    )
