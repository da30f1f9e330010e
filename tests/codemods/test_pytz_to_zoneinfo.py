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
            "TZ = pytz.timezone('Europe/Paris')  # office\n"
            "now = timezone.now().astimezone(pytz.utc)\n",
            "from django.utils import timezone\n"
            "import datetime\n"
            "import zoneinfo\n"
            "\n"
            "TZ = zoneinfo.ZoneInfo('Europe/Paris')  # office\n"
            "now = timezone.now().astimezone(datetime.timezone.utc)\n",
            id="module import; django timezone not shadowed",
        ),
        pytest.param(
            "import pytz\n\nnames = pytz.all_timezones\nutc = pytz.UTC\n",
            "import pytz\nimport datetime\n\nnames = pytz.all_timezones\nutc = datetime.timezone.utc\n",
            id="pytz kept while still used",
        ),
        pytest.param(
            "from datetime import datetime\n"
            "from pytz import utc, timezone as tz\n"
            "\n"
            "x = datetime.now(utc)\n"
            "y = tz(settings.TIME_ZONE)\n",
            "from datetime import datetime, timezone\n"
            "import zoneinfo\n"
            "\n"
            "x = datetime.now(timezone.utc)\n"
            "y = zoneinfo.ZoneInfo(settings.TIME_ZONE)\n",
            id="from imports with alias; datetime name taken by the class",
        ),
        pytest.param(
            "import pytz as p\n\nx = p.timezone('UTC')\n",
            "import zoneinfo\n\nx = zoneinfo.ZoneInfo('UTC')\n",
            id="module alias",
        ),
        pytest.param(
            "import pytz\nfrom django.utils import formats\n\nx = formats.localize(pytz.utc)\n",
            "from django.utils import formats\nimport datetime\n\n"
            "x = formats.localize(datetime.timezone.utc)\n",
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
            "from django.utils import timezone\n\nx = timezone.utc\ny = timezone('UTC')\n",
            id="look-alike: django.utils.timezone",
        ),
        pytest.param("import pytz\n\nx = pytz.timezone(name=n)\n", id="keyword argument"),
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, context(django_to="5.0"))


def test_not_before_5_0() -> None:
    check_noop(RULE, "import pytz\n\nx = pytz.utc\n", context(django_to="4.2"))


def test_localize_blocks_the_file_and_is_a_note() -> None:
    ctx = context(filename="app/dates.py")
    source = (
        "import pytz\n"
        "\n"
        "TZ = pytz.timezone('Europe/Paris')\n"
        "start = TZ.localize(naive)\n"
        "end = TZ.normalize(start + delta)\n"
    )
    check_noop(RULE, source, ctx)
    assert [note.split(":")[:3] for note in ctx.notes] == [
        ["app/dates.py", "4", " pytz localize() has no exact zoneinfo equivalent"],
        ["app/dates.py", "5", " pytz normalize() has no exact zoneinfo equivalent"],
    ]
