"""iterator_chunk_size: iterator() after prefetch_related() gets the old default chunk size."""

from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "iterator_chunk_size"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "for b in Book.objects.prefetch_related('authors').filter(x=1).iterator():\n    pass\n",
            "for b in Book.objects.prefetch_related('authors').filter(x=1).iterator("
            "chunk_size=2000):\n    pass\n",
            id="chained",
        ),
        pytest.param(
            "rows = (\n    qs.prefetch_related('a')\n    .iterator()\n)\n",
            "rows = (\n    qs.prefetch_related('a')\n    .iterator(chunk_size=2000)\n)\n",
            id="multi-line chain",
        ),
    ],
)
def test_transforms(before: str, after: str) -> None:
    check_transformed(RULE, before, after, context(django_from="4.0", django_to="5.0"))


@pytest.mark.parametrize(
    "source",
    [
        "qs.prefetch_related('a').iterator(chunk_size=100)\n",
        "qs.prefetch_related('a').iterator(500)\n",
        "qs.filter(x=1).iterator()\n",
        "items.iterator()\n",
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, context(django_to="5.0"))


def test_version_gate() -> None:
    source = "qs.prefetch_related('a').iterator()\n"
    check_noop(RULE, source, context(django_from="3.2", django_to="4.0"))
    check_transformed(
        RULE,
        source,
        "qs.prefetch_related('a').iterator(chunk_size=2000)\n",
        context(django_from="3.2", django_to="4.1"),
    )
