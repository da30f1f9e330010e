"""configure_default_auto_field: settings.configure(...) without DEFAULT_AUTO_FIELD keeps
AutoField on the hops up to the one that crosses 6.0 (FINDINGS F86: simple-history's
runtests.py; its makemigrations test wrote a BigAutoField migration on 6.1)."""

from __future__ import annotations

import pytest

from codemods import RuleContext
from tests.codemods.helpers import check_noop, check_transformed, context
from upgrader.findings import scan_source

RULE = "configure_default_auto_field"
# simple-history's runtests.py after the 3.2 hop's configure_secret_key
RUNTESTS = (
    "from django.conf import settings\n"
    'DEFAULT_SETTINGS = dict(\n    INSTALLED_APPS=["app"],\n)\n'
    'DEFAULT_SETTINGS["MIDDLEWARE"] = []\n\n'
    "def main():\n"
    "    if not settings.configured:\n"
    '        settings.configure(**DEFAULT_SETTINGS, SECRET_KEY="not-secret-for-tests")\n'
)
PINNED = 'DEFAULT_AUTO_FIELD="django.db.models.AutoField"'


def hop(django_from: str = "2.2", django_to: str = "3.2") -> RuleContext:
    return context(django_from=django_from, django_to=django_to, filename="runtests.py")


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            RUNTESTS,
            RUNTESTS.replace('"not-secret-for-tests")', f'"not-secret-for-tests", {PINNED})'),
            id="simple-history's runtests.py",
        ),
        pytest.param(
            "from django.conf import settings\nsettings.configure(\n    DEBUG=True,\n)\n",
            "from django.conf import settings\nsettings.configure(\n    DEBUG=True,\n"
            f"    {PINNED},\n)\n",
            id="one argument per line",
        ),
        pytest.param(
            "from django.conf import settings\nsettings.configure(DEBUG=True, X='a', Y='b')\n",
            "from django.conf import settings\nsettings.configure(DEBUG=True, X='a', Y='b', "
            "DEFAULT_AUTO_FIELD='django.db.models.AutoField')\n",
            id="the file's quotes",
        ),
    ],
)
def test_transforms(before: str, after: str) -> None:
    check_transformed(RULE, before, after, hop())


@pytest.mark.parametrize(
    "source",
    [
        "from django.conf import settings\n"
        "settings.configure(DEFAULT_AUTO_FIELD='django.db.models.BigAutoField')\n",
        "from django.conf import settings\nS = dict(DEBUG=True)\n"
        "S['DEFAULT_AUTO_FIELD'] = 'x.Y'\nsettings.configure(**S)\n",
        "from django.conf import settings\nfrom .base import S\nsettings.configure(**S)\n",
        "from myapp import settings\nsettings.configure(DEBUG=True)\n",
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, hop())


def test_version_gate() -> None:
    source = "from django.conf import settings\nsettings.configure(DEBUG=True)\n"
    check_noop(RULE, source, hop(django_from="2.1", django_to="2.2"))  # before the setting
    check_noop(RULE, source, hop(django_from="6.0", django_to="6.1"))  # 6.0 runs BigAutoField
    pinned = source.replace("DEBUG=True", f"DEBUG=True, {PINNED}")
    check_transformed(RULE, source, pinned, hop(django_from="5.2", django_to="6.1"))


def test_the_scanner_names_the_call() -> None:
    found = [
        f for f in scan_source(RUNTESTS, "runtests.py") if f.id == "configure-default-auto-field"
    ]
    assert [f.line for f in found] == [9]
    fixed = RUNTESTS.replace('tests")', f'tests", {PINNED})')
    assert not [
        f for f in scan_source(fixed, "runtests.py") if f.id == "configure-default-auto-field"
    ]
