from __future__ import annotations

from pathlib import Path

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context, run_rule

RULE = "timezone_utc_attribute"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            # healthchecks' hc/api/tests/test_check_model.py: ``datetime`` is the class, ``dt``
            # a local, ``timezone`` Django's module (still used): the alias joins the from line.
            "from datetime import datetime, timedelta\n\n"
            "from django.utils import timezone\n\n\n"
            "def test():\n"
            "    dt = timezone.make_aware(datetime(2000, 1, 1), timezone=timezone.utc)\n"
            "    return datetime(2019, 7, 19, tzinfo=timezone.utc)  # noon\n",
            "from datetime import datetime, timedelta, timezone as datetime_timezone\n\n"
            "from django.utils import timezone\n\n\n"
            "def test():\n"
            "    dt = timezone.make_aware(datetime(2000, 1, 1), timezone=datetime_timezone.utc)\n"
            "    return datetime(2019, 7, 19, tzinfo=datetime_timezone.utc)  # noon\n",
            id="datetime is the class: datetime_timezone alias",
        ),
        pytest.param(
            # healthchecks' hc/lib/date.py: ``dt`` is the class, the name ``datetime`` is free.
            "from datetime import datetime as dt\n"
            "from django.utils import timezone\n\n"
            "x = dt(2000, 1, 1, tzinfo=timezone.utc)\n"
            "now = timezone.now()\n",
            "from datetime import datetime as dt\n"
            "from django.utils import timezone\n"
            "import datetime\n\n"
            "x = dt(2000, 1, 1, tzinfo=datetime.timezone.utc)\n"
            "now = timezone.now()\n",
            id="datetime free: import datetime",
        ),
        pytest.param(
            "from django.utils import timezone\n\nUTC = timezone.utc\n",
            "import datetime\n\nUTC = datetime.timezone.utc\n",
            id="only use: Django's import goes",
        ),
        pytest.param(
            "import datetime as dt\n"
            "from django.utils import timezone as tz\n\n"
            "x = dt.datetime.now(tz=tz.utc)\n",
            "import datetime as dt\n\nx = dt.datetime.now(tz=dt.timezone.utc)\n",
            id="module alias reused, Django alias",
        ),
        pytest.param(
            "from datetime import datetime, timezone as dtz\n"
            "from django.utils import timezone\n\n"
            "a = timezone.utc\n"
            "b = dtz.utc\n"
            "c = timezone.now()\n",
            "from datetime import datetime, timezone as dtz\n"
            "from django.utils import timezone\n\n"
            "a = dtz.utc\n"
            "b = dtz.utc\n"
            "c = timezone.now()\n",
            id="datetime.timezone alias reused",
        ),
        pytest.param(
            "import django.utils.timezone\n\nx = (django.utils.timezone.utc)\n",
            "import datetime\n\nx = (datetime.timezone.utc)\n",
            id="dotted import, parentheses kept",
        ),
        pytest.param(
            "from datetime import datetime\n"
            "from django.utils import timezone as djtz\n\n"
            "x = datetime(2000, 1, 1, tzinfo=djtz.utc)\n"
            "y = djtz.now()\n",
            "from datetime import datetime, timezone\n"
            "from django.utils import timezone as djtz\n\n"
            "x = datetime(2000, 1, 1, tzinfo=timezone.utc)\n"
            "y = djtz.now()\n",
            id="timezone free: plain from import",
        ),
        pytest.param(
            "from datetime import datetime\n"
            "from django.utils import timezone\n"
            "from django.utils.timezone import now, utc\n\n"
            "datetime_timezone = 'taken'\n"
            "x = datetime(2000, 1, 1, tzinfo=utc)\n"
            "y = now()\n",
            "from datetime import datetime, timezone as datetime_timezone2\n"
            "from django.utils import timezone\n"
            "from django.utils.timezone import now\n\n"
            "datetime_timezone = 'taken'\n"
            "x = datetime(2000, 1, 1, tzinfo=datetime_timezone2.utc)\n"
            "y = now()\n",
            id="name form, alias taken",
        ),
        pytest.param(
            "def f():\n    from django.utils import timezone\n    return timezone.utc\n",
            "import datetime\n\ndef f():\n    return datetime.timezone.utc\n",
            id="import inside a function",
        ),
        pytest.param(
            "from django.utils import timezone\n\n\n"
            "def f(datetime):\n"
            "    return datetime.replace(tzinfo=timezone.utc)\n",
            "from datetime import timezone as datetime_timezone\n\n\n"
            "def f(datetime):\n"
            "    return datetime.replace(tzinfo=datetime_timezone.utc)\n",
            id="datetime bound locally",
        ),
    ],
)
def test_rewrites(before: str, after: str) -> None:
    check_transformed(RULE, before, after, context(django_from="4.2", django_to="5.2"))


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("from datetime import timezone\n\nx = timezone.utc\n", id="stdlib timezone"),
        pytest.param("import pytz\n\nx = pytz.utc\n", id="pytz (its own rule)"),
        pytest.param("import datetime\n\nx = datetime.timezone.utc\n", id="already rewritten"),
        pytest.param(
            "from django.utils import timezone\n\ntimezone.utc = None\n", id="assignment target"
        ),
        pytest.param(
            "from django.utils import timezone\n\nx = f(utc=1) + obj.utc + timezone.now()\n",
            id="keyword and other attributes",
        ),
        pytest.param(
            "from django.utils import timezone\n\nif X:\n    timezone = other\nx = timezone.utc\n",
            id="ambiguous binding",
        ),
        pytest.param("from django.utils.timezone import *\n\nx = utc\n", id="star import"),
        pytest.param("utc = 1\n", id="no import at all"),
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, context(django_from="4.2", django_to="5.2"))


def test_not_before_4_1() -> None:
    source = "from django.utils import timezone\n\nx = timezone.utc\n"
    check_noop(RULE, source, context(django_from="3.2", django_to="4.0"))
    check_transformed(
        RULE,
        source,
        "import datetime\n\nx = datetime.timezone.utc\n",
        context(django_from="3.2", django_to="4.1"),
    )


def test_one_import_with_pytz_rule() -> None:
    """pytz.utc and timezone.utc in one file end as one ``datetime.timezone`` import."""
    ctx = context(django_from="4.2", django_to="5.2")  # both run, in the engine's order
    source = (
        "from datetime import datetime\n\n"
        "import pytz\n"
        "from django.utils import timezone\n\n"
        "A = datetime(3000, 1, 1, tzinfo=pytz.UTC)\n"
        "B = datetime(3000, 1, 1, tzinfo=timezone.utc)\n"
        "C = timezone.now()\n"
    )
    code = run_rule(RULE, source, ctx)
    code = run_rule("pytz_to_zoneinfo", code, ctx)
    assert code == (
        "from datetime import datetime, timezone as datetime_timezone\n"
        "from django.utils import timezone\n\n"
        "A = datetime(3000, 1, 1, tzinfo=datetime_timezone.utc)\n"
        "B = datetime(3000, 1, 1, tzinfo=datetime_timezone.utc)\n"
        "C = timezone.now()\n"
    )


def test_crlf_and_comments_kept() -> None:
    before = (
        "# header\r\nfrom django.utils import timezone  # tz\r\n\r\n"
        "x = timezone.utc  # utc\r\ny = timezone.now()\r\n"
    )
    after = (
        "# header\r\nfrom django.utils import timezone  # tz\r\nimport datetime\r\n\r\n"
        "x = datetime.timezone.utc  # utc\r\ny = timezone.now()\r\n"
    )
    check_transformed(RULE, before, after, context(django_from="4.2", django_to="5.2"))


OLD_CODE = """\
from datetime import datetime, timedelta
from datetime import datetime as dt

from django.utils import timezone


def aware():
    dt = timezone.make_aware(datetime(2000, 1, 1), timezone=timezone.utc)
    return dt


RESULT = (
    aware().tzinfo is timezone.now().tzinfo,
    datetime(2019, 7, 19, tzinfo=timezone.utc).isoformat(),
    timedelta(0) == timezone.utc.utcoffset(None),
)
"""


@pytest.mark.e2e
def test_rewritten_code_runs_on_django_5_2(tmp_path: Path) -> None:
    from tests.rewrite.django_env import django_python, run_django

    python = django_python("5.2")
    (tmp_path / "settings.py").write_text("SECRET_KEY = 'x'\nUSE_TZ = True\n", encoding="utf-8")
    (tmp_path / "oldcode.py").write_text(OLD_CODE, encoding="utf-8")
    run = "from oldcode import RESULT\nprint(RESULT)\n"
    before = run_django(python, tmp_path, "settings", run)
    assert "has no attribute 'utc'" in before.stderr  # the defect: removed in Django 5.0
    code = run_rule(RULE, OLD_CODE, context(django_from="4.2", django_to="5.2"))
    assert "timezone.utc" in code and "timezone=timezone.utc" not in code
    (tmp_path / "oldcode.py").write_text(code, encoding="utf-8")
    done = run_django(python, tmp_path, "settings", run)
    assert done.returncode == 0, done.stderr + "\n" + code
    assert done.stdout.strip() == "(True, '2019-07-19T00:00:00+00:00', True)"


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "from django.utils import timezone\n\nx = timezone.now()  # utc\n", id="no .utc"
        ),
        pytest.param(
            "import datetime\nfrom django.utils import timezone\n\n"
            "x = datetime.datetime.utcnow(), timezone.now()\n",
            id="utcnow",
        ),
        pytest.param("import datetime\n\nx = datetime.timezone.utc\n", id="no Django import"),
    ],
)
def test_files_without_a_use_skip_libcst(source: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import codemods.timezone_utc_attribute as rule

    def fail(*args: object) -> str:
        raise AssertionError("libcst pass run")

    monkeypatch.setattr(rule, "run_rule", fail)
    check_noop(RULE, source, context(django_from="4.2", django_to="5.2"))
