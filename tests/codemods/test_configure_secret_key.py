"""configure_secret_key: settings.configure(...) in a test script gets a SECRET_KEY on the hop
that crosses 3.2."""

from __future__ import annotations

import pytest

from codemods import RuleContext
from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "configure_secret_key"


def hop(
    filename: str = "runtests.py", django_from: str = "2.2", django_to: str = "3.2"
) -> RuleContext:
    return context(django_from=django_from, django_to=django_to, filename=filename)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "from django.conf import settings\n"
            "settings.configure(INSTALLED_APPS=['app'], DEBUG=True)\n",
            "from django.conf import settings\n"
            "settings.configure(INSTALLED_APPS=['app'], DEBUG=True, "
            "SECRET_KEY='not-secret-for-tests')\n",
            id="keywords, the file's quotes",
        ),
        pytest.param(
            "from django.conf import settings\n"
            'DEFAULT_SETTINGS = dict(\n    INSTALLED_APPS=["app"],\n)\n\n'
            "def main():\n"
            "    if not settings.configured:\n"
            "        settings.configure(**DEFAULT_SETTINGS)\n",
            "from django.conf import settings\n"
            'DEFAULT_SETTINGS = dict(\n    INSTALLED_APPS=["app"],\n)\n\n'
            "def main():\n"
            "    if not settings.configured:\n"
            '        settings.configure(**DEFAULT_SETTINGS, SECRET_KEY="not-secret-for-tests")\n',
            id="a dict of the file expanded (simple-history's runtests.py)",
        ),
        pytest.param(
            "from django.conf import settings\n"
            'DEFAULT_SETTINGS = dict(INSTALLED_APPS=["app"])\n'
            'MIDDLEWARE = ["m"]\n'
            'DEFAULT_SETTINGS["MIDDLEWARE"] = MIDDLEWARE\n'
            'DEBUG = DEFAULT_SETTINGS.get("DEBUG")\n'
            "settings.configure(**DEFAULT_SETTINGS)\n",
            "from django.conf import settings\n"
            'DEFAULT_SETTINGS = dict(INSTALLED_APPS=["app"])\n'
            'MIDDLEWARE = ["m"]\n'
            'DEFAULT_SETTINGS["MIDDLEWARE"] = MIDDLEWARE\n'
            'DEBUG = DEFAULT_SETTINGS.get("DEBUG")\n'
            'settings.configure(**DEFAULT_SETTINGS, SECRET_KEY="not-secret-for-tests")\n',
            id="the dict gets another setting by key and is read (simple-history at 5750774)",
        ),
        pytest.param(
            "import django.conf\n"
            "django.conf.settings.configure(\n"
            '    DATABASES={"default": {}},\n'
            '    ROOT_URLCONF="urls",\n'
            ")\n",
            "import django.conf\n"
            "django.conf.settings.configure(\n"
            '    DATABASES={"default": {}},\n'
            '    ROOT_URLCONF="urls",\n'
            '    SECRET_KEY="not-secret-for-tests",\n'
            ")\n",
            id="one argument per line keeps its trailing comma",
        ),
        pytest.param(
            "from django.conf import settings as s\ns.configure()\n",
            'from django.conf import settings as s\ns.configure(SECRET_KEY="not-secret-for-tests")\n',
            id="alias, no arguments",
        ),
    ],
)
def test_transforms(before: str, after: str) -> None:
    check_transformed(RULE, before, after, hop())


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "from django.conf import settings\nsettings.configure(SECRET_KEY='x', DEBUG=True)\n",
            id="has a key",
        ),
        pytest.param(
            "from django.conf import settings\nS = {'DEBUG': True}\nS['SECRET_KEY'] = 'k'\n"
            "settings.configure(**S)\n",
            id="key set elsewhere in the file",
        ),
        pytest.param(
            "from django.conf import settings\nfrom .base import SETTINGS\n"
            "settings.configure(**SETTINGS)\n",
            id="dict from another module",
        ),
        pytest.param(
            "from django.conf import settings\nS = dict(DEBUG=True)\nS.update(extra())\n"
            "settings.configure(**S)\n",
            id="dict updated",
        ),
        pytest.param(
            "from django.conf import settings\nS = dict(DEBUG=True)\nS[name()] = 'k'\n"
            "settings.configure(**S)\n",
            id="dict given a key that could be SECRET_KEY",
        ),
        pytest.param(
            "from django.conf import settings\nimport base\nsettings.configure(base, DEBUG=True)\n",
            id="default settings positional",
        ),
        pytest.param(
            "from django.conf import settings\nsettings.configure(default_settings=base)\n",
            id="default settings keyword",
        ),
        pytest.param(
            "from myapp import settings\nsettings.configure(DEBUG=True)\n", id="not Django"
        ),
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, hop())


def test_only_in_test_scripts() -> None:
    source = "from django.conf import settings\nsettings.configure(DEBUG=True)\n"
    after = 'from django.conf import settings\nsettings.configure(DEBUG=True, SECRET_KEY="not-secret-for-tests")\n'
    check_noop(RULE, source, hop(filename="scripts/render_docs.py"))
    for name in ("conftest.py", "tests/settings_setup.py", "app/test_standalone.py"):
        check_transformed(RULE, source, after, hop(filename=name))


def test_version_gate() -> None:
    source = "from django.conf import settings\nsettings.configure(DEBUG=True)\n"
    after = 'from django.conf import settings\nsettings.configure(DEBUG=True, SECRET_KEY="not-secret-for-tests")\n'
    check_noop(RULE, source, hop(django_from="2.2", django_to="3.1"))
    check_noop(RULE, source, hop(django_from="3.2", django_to="4.2"))  # ran on 3.2 as it is
    check_transformed(RULE, source, after, hop(django_from="3.1", django_to="4.2"))
