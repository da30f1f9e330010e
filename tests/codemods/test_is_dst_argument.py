"""is_dst_argument: the is_dst keyword is dropped on hops to 5.0 (ignored for zoneinfo on 4.x)."""

from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "is_dst_argument"
HOP = context(django_from="4.2", django_to="5.0")


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "from django.utils import timezone\nx = timezone.make_aware(dt, tz, is_dst=True)\n",
            "from django.utils import timezone\nx = timezone.make_aware(dt, tz)\n",
            id="make_aware through the module",
        ),
        pytest.param(
            "from django.db.models.functions import TruncDay as TD\n"
            "qs.annotate(day=TD(\n    'created',\n    is_dst=False,\n    tzinfo=tz,\n))\n",
            "from django.db.models.functions import TruncDay as TD\n"
            "qs.annotate(day=TD(\n    'created',\n    tzinfo=tz,\n))\n",
            id="aliased Trunc, one per line",
        ),
        pytest.param(
            "qs.datetimes('created', 'day', tzinfo=tz, is_dst=flag)\n",
            "qs.datetimes('created', 'day', tzinfo=tz)\n",
            id="QuerySet.datetimes last keyword",
        ),
    ],
)
def test_transforms(before: str, after: str) -> None:
    check_transformed(RULE, before, after, HOP)


@pytest.mark.parametrize(
    "source",
    [
        "from django.utils.timezone import make_aware\nmake_aware(dt, tz)\n",
        "from mylib import make_aware\nmake_aware(dt, is_dst=True)\n",
        "from django.utils.timezone import make_aware\nmake_aware(dt, is_dst=pick())\n",
        "from pytz import timezone\ntimezone('UTC').localize(dt, is_dst=True)\n",
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, HOP)


def test_version_gate() -> None:
    source = "from django.utils.timezone import make_aware\nmake_aware(dt, is_dst=True)\n"
    check_noop(RULE, source, context(django_from="3.2", django_to="4.2"))
    check_transformed(
        RULE,
        source,
        "from django.utils.timezone import make_aware\nmake_aware(dt)\n",
        context(django_from="4.2", django_to="5.2"),
    )
