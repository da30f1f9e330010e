"""configure_use_tz: settings.configure(...) without USE_TZ gets USE_TZ=False on the hop that
crosses 5.0 (FINDINGS F75: simple-history's runtests.py, 8 naive-datetime failures on 5.2)."""

from __future__ import annotations

import pytest

from codemods import RuleContext
from tests.codemods.helpers import check_noop, check_transformed, context
from upgrader.findings import scan_source

RULE = "configure_use_tz"
# simple-history's runtests.py after the 3.2 hop's configure_secret_key
RUNTESTS = (
    "from django.conf import settings\n"
    'DEFAULT_SETTINGS = dict(\n    INSTALLED_APPS=["app"],\n)\n'
    'DEFAULT_SETTINGS["MIDDLEWARE"] = []\n\n'
    "def main():\n"
    "    if not settings.configured:\n"
    '        settings.configure(**DEFAULT_SETTINGS, SECRET_KEY="not-secret-for-tests")\n'
)


def hop(
    filename: str = "runtests.py", django_from: str = "4.2", django_to: str = "5.2"
) -> RuleContext:
    return context(django_from=django_from, django_to=django_to, filename=filename)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            RUNTESTS,
            RUNTESTS.replace('"not-secret-for-tests")', '"not-secret-for-tests", USE_TZ=False)'),
            id="simple-history's runtests.py",
        ),
        pytest.param(
            "import django.conf\ndjango.conf.settings.configure(\n    DEBUG=True,\n)\n",
            "import django.conf\ndjango.conf.settings.configure(\n    DEBUG=True,\n"
            "    USE_TZ=False,\n)\n",
            id="one argument per line, outside a test script too",
        ),
    ],
)
def test_transforms(before: str, after: str) -> None:
    check_transformed(RULE, before, after, hop())
    check_transformed(RULE, before, after, hop(filename="scripts/build_docs.py"))


@pytest.mark.parametrize(
    "source",
    [
        "from django.conf import settings\nsettings.configure(USE_TZ=True)\n",
        "from django.conf import settings\nS = dict(DEBUG=True)\nS['USE_TZ'] = True\n"
        "settings.configure(**S)\n",
        "from django.conf import settings\nfrom .base import S\nsettings.configure(**S)\n",
        "from myapp import settings\nsettings.configure(DEBUG=True)\n",
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, hop())


def test_version_gate() -> None:
    source = "from django.conf import settings\nsettings.configure(DEBUG=True)\n"
    check_noop(RULE, source, hop(django_from="3.2", django_to="4.2"))
    check_noop(RULE, source, hop(django_from="5.0", django_to="5.2"))  # on 5.0 it runs with True


def test_the_scanner_names_the_call() -> None:
    found = [f for f in scan_source(RUNTESTS, "runtests.py") if f.id == "configure-use-tz-default"]
    assert [f.line for f in found] == [9]
    fixed = RUNTESTS.replace('tests")', 'tests", USE_TZ=False)')
    assert not [f for f in scan_source(fixed, "runtests.py") if f.id == "configure-use-tz-default"]
