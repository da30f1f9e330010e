from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "datetime_safe"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "from django.utils.datetime_safe import date, datetime  # py2 era\n\n"
            "d = datetime(1, 2, 3)\n",
            "from datetime import date, datetime  # py2 era\n\nd = datetime(1, 2, 3)\n",
            id="from import of the classes",
        ),
        pytest.param(
            "from django.utils import datetime_safe\n\n"
            "d = datetime_safe.datetime.now().strftime('%Y')\n",
            "import datetime\n\nd = datetime.datetime.now().strftime('%Y')\n",
            id="module attribute",
        ),
        pytest.param(
            "from django.utils import datetime_safe as ds\n"
            "from datetime import datetime\n\n"
            "d = ds.date(2000, 1, 1)\n",
            "from datetime import datetime, date\n\nd = date(2000, 1, 1)\n",
            id="module alias; the datetime name is the class",
        ),
    ],
)
def test_rewrites(before: str, after: str) -> None:
    check_transformed(RULE, before, after, context(django_to="4.0"))


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "from mylib import datetime_safe\n\nd = datetime_safe.date(1, 2, 3)\n", id="look-alike"
        ),
        pytest.param("from datetime import date\n\nd = date(1, 2, 3)\n", id="standard library"),
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, context(django_to="4.0"))


def test_not_before_4_0() -> None:
    source = "from django.utils.datetime_safe import date\n\nd = date(1, 2, 3)\n"
    check_noop(RULE, source, context(django_to="3.2"))


def test_helpers_are_notes() -> None:
    ctx = context(filename="app/feeds.py")
    source = (
        "from django.utils import datetime_safe\n"
        "from django.utils.datetime_safe import new_datetime\n\n"
        "a = datetime_safe.new_date(d)\n"
        "b = new_datetime(d)\n"
    )
    check_noop(RULE, source, ctx)
    assert [note.split(" was removed")[0] for note in ctx.notes] == [
        "app/feeds.py:4: django.utils.datetime_safe.new_date",
        "app/feeds.py:5: django.utils.datetime_safe.new_datetime",
    ]
