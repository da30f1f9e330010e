from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "pytz_to_zoneinfo"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "import pytz\n"
            "from django.utils import timezone\n"
            "\n"
            "timezone.activate(pytz.timezone('Europe/Paris'))  # office\n"
            "now = timezone.now().astimezone(pytz.utc)\n",
            "from django.utils import timezone\n"
            "import datetime\n"
            "import zoneinfo\n"
            "\n"
            "timezone.activate(zoneinfo.ZoneInfo('Europe/Paris'))  # office\n"
            "now = timezone.now().astimezone(datetime.timezone.utc)\n",
            id="consumed zones; django timezone not shadowed",
        ),
        pytest.param(
            "import pytz\n\nnames = pytz.all_timezones\nstamp = datetime(2020, 1, 1, tzinfo=pytz.UTC)\n",
            "import pytz\nimport datetime\n\nnames = pytz.all_timezones\n"
            "stamp = datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)\n",
            id="pytz import kept while still used; tzinfo keyword",
        ),
        pytest.param(
            "from datetime import datetime\n"
            "from pytz import utc, timezone as tz\n"
            "\n"
            "x = datetime.now(utc)\n"
            "y = x.astimezone(tz(settings.TIME_ZONE))\n",
            "from datetime import datetime, timezone\n"
            "import zoneinfo\n"
            "\n"
            "x = datetime.now(timezone.utc)\n"
            "y = x.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE))\n",
            id="from imports with alias; datetime name taken by the class",
        ),
        pytest.param(
            "import pytz as p\n\nx = timezone.localtime(value, p.timezone('UTC'))\n",
            "import zoneinfo\n\nx = timezone.localtime(value, zoneinfo.ZoneInfo('UTC'))\n",
            id="module alias",
        ),
        pytest.param(
            "import pytz\nfrom django.utils import formats\n\n"
            "x = formats.localize(now(pytz.utc))\n",
            "from django.utils import formats\nimport datetime\n\n"
            "x = formats.localize(now(datetime.timezone.utc))\n",
            id="django.utils.formats.localize is not pytz's",
        ),
    ],
)
def test_rewrites(before: str, after: str) -> None:
    check_transformed(RULE, before, after, context(django_to="5.0"))


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "from django.utils import timezone\n\nx = timezone.now(timezone.utc)\n",
            id="look-alike: django.utils.timezone",
        ),
        pytest.param(
            "import pytz\n\nx = dt.astimezone(pytz.timezone(name=n))\n", id="keyword argument"
        ),
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, context(django_to="5.0"))


def test_not_before_5_0() -> None:
    check_noop(RULE, "import pytz\n\nx = now(pytz.utc)\n", context(django_to="4.2"))


def test_zone_passed_on_is_a_note() -> None:
    ctx = context(filename="app/zones.py")
    source = (
        "import pytz\n\n"
        "def zone(name):\n"
        "    return pytz.timezone(name)\n\n"
        "bounds = day_bounds(day, pytz.utc)\n"
    )
    check_noop(RULE, source, ctx)
    assert [note.split(" is stored")[0] for note in ctx.notes] == [
        "app/zones.py:4: pytz.timezone(...)",
        "app/zones.py:6: pytz.utc",
    ]


def test_localize_blocks_the_file_and_is_a_note() -> None:
    ctx = context(filename="app/dates.py")
    source = (
        "import pytz\n"
        "\n"
        "TZ = pytz.timezone('Europe/Paris')\n"
        "start = TZ.localize(naive).astimezone(pytz.utc)\n"
        "end = TZ.normalize(start + delta)\n"
    )
    check_noop(RULE, source, ctx)
    assert [note.split(":")[:3] for note in ctx.notes] == [
        ["app/dates.py", "4", " pytz localize() has no exact zoneinfo equivalent"],
        ["app/dates.py", "5", " pytz normalize() has no exact zoneinfo equivalent"],
    ]


def test_pytz_exceptions_block_the_file() -> None:
    ctx = context(filename="app/mw.py")
    source = (
        "import pytz\n\n"
        "try:\n"
        "    timezone.activate(pytz.timezone(name))\n"
        "except pytz.UnknownTimeZoneError:\n"
        "    pass\n"
    )
    check_noop(RULE, source, ctx)
    assert len(ctx.notes) == 1
    assert ctx.notes[0].startswith("app/mw.py:5: pytz.UnknownTimeZoneError: zoneinfo raises other")
