"""Issue 10's Python rules, applied in turn to code written for Django 2.2-4.2, and the result
run on the real Django 5.2 (one venv, one process: cheap)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.codemods.helpers import context, run_rule

RULES = (
    "signer_keyword_args",
    "cached_property_name",
    "isnull_boolean",
    "utils_os_py2",
    "debug_safe_settings",
    "from_db_value_context",
    "inline_has_add_permission_obj",
    "lookup_allowed_request",
)

OLD_CODE = """\
from django.contrib import admin
from django.core.signing import Signer
from django.db.models import Q
from django.utils._os import upath
from django.utils.functional import cached_property
from django.views.debug import get_safe_settings


class Thing:
    def _answer(self):
        return 42

    answer = cached_property(_answer, name="answer")


class Field:
    def from_db_value(self, value, expression, connection, context):
        return value * 2


class Inline(admin.TabularInline):
    def has_add_permission(self, request):
        return request == "yes"


class Admin(admin.ModelAdmin):
    def lookup_allowed(self, lookup, value):
        return lookup == "ok"


SIGNED = Signer("k", ":", "salt").sign("v")
Q_CHILDREN = Q(author__isnull=1).children
HERE = upath(__file__)
SAFE = get_safe_settings()["SECRET_KEY"]
RESULT = (
    Thing().answer,
    Field().from_db_value(2, None, None),
    Inline.has_add_permission(None, "yes", None),
    Admin.lookup_allowed(None, "ok", 1, None),
    Q_CHILDREN,
    SIGNED == Signer(key="k", salt="salt").sign("v"),
    HERE == __file__,
    SAFE,
)
"""


@pytest.mark.e2e
def test_rewritten_code_runs_on_django_5_2(tmp_path: Path) -> None:
    from tests.rewrite.django_env import django_python, run_django

    python = django_python("5.2")
    code = OLD_CODE
    for rule in RULES:
        code = run_rule(rule, code, context(django_from="2.2", django_to="5.2"))
    assert "django.utils._os" not in code and "import get_safe_settings" not in code
    (tmp_path / "oldcode.py").write_text(code, encoding="utf-8")
    (tmp_path / "settings.py").write_text(
        "SECRET_KEY = 'x'\nINSTALLED_APPS = ['django.contrib.admin', 'django.contrib.auth', "
        "'django.contrib.contenttypes', 'django.contrib.messages', 'django.contrib.sessions']\n"
    )
    done = run_django(python, tmp_path, "settings", "from oldcode import RESULT\nprint(RESULT)\n")
    assert done.returncode == 0, done.stderr + "\n" + code
    assert done.stdout.strip() == (
        "(42, 4, True, True, [('author__isnull', True)], True, True, '********************')"
    )


# FINDINGS F9 and F13: a test module and a runtests.py written for Django 2.2, as found.
OLD_TESTS = """\
from django.utils.html import escape


def check():
    assert escape("Alice's") == "Alice&#39;s"
    assert format_html_out() == b"<b>Bob&#39;s</b>"


def format_html_out():
    from django.utils.html import format_html
    return format_html("<b>{}</b>", "Bob's").encode()
"""

OLD_RUNTESTS = """\
from django.conf import settings

DEFAULT_SETTINGS = dict(
    INSTALLED_APPS=["django.contrib.auth", "django.contrib.contenttypes"],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
)


def main():
    if not settings.configured:
        settings.configure(**DEFAULT_SETTINGS)
    import django

    django.setup()
    from django.core import signing

    return signing.loads(signing.dumps("ok"))
"""


@pytest.mark.e2e
def test_escape_and_secret_key_rewrites_run_on_django_5_2(tmp_path: Path) -> None:
    import subprocess

    from tests.rewrite.django_env import django_python

    python = django_python("5.2")
    tests = run_rule(
        "html_escape_apostrophe",
        OLD_TESTS,
        context(django_from="2.2", django_to="3.2", filename="test_old.py"),
    )
    runtests = run_rule(
        "configure_secret_key",
        OLD_RUNTESTS,
        context(django_from="2.2", django_to="3.2", filename="runtests.py"),
    )
    assert tests != OLD_TESTS and runtests != OLD_RUNTESTS
    for name, code in (("test_old", OLD_TESTS), ("test_new", tests)):
        (tmp_path / f"{name}.py").write_text(code, encoding="utf-8")
    (tmp_path / "old_runtests.py").write_text(OLD_RUNTESTS, encoding="utf-8")
    (tmp_path / "runtests.py").write_text(runtests, encoding="utf-8")

    def run(code: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(python), "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120
        )

    # As written for 2.2, both fail on the new Django; as rewritten, both pass.
    old = run("import django.conf as c; c.settings.configure(); import test_old; test_old.check()")
    assert old.returncode != 0 and "AssertionError" in old.stderr
    old_runtests = run("import old_runtests; old_runtests.main()")
    assert old_runtests.returncode != 0
    assert "The SECRET_KEY setting must not be empty" in old_runtests.stderr
    new = run("import django.conf as c; c.settings.configure(); import test_new; test_new.check()")
    assert new.returncode == 0, new.stderr + "\n" + tests
    done = run("import runtests; print(runtests.main())")
    assert done.returncode == 0, done.stderr + "\n" + runtests
    assert done.stdout.strip() == "ok"


OLD_4X_CODE = """\
import datetime
import zoneinfo

from django.db import models
from django.forms.renderers import DjangoDivFormRenderer
from django.test import RequestFactory
from django.utils import timezone


class Even(models.BaseConstraint):
    def __init__(self, name, message=None):
        super().__init__(name, message)


UTC = zoneinfo.ZoneInfo("UTC")
AWARE = timezone.make_aware(datetime.datetime(2024, 1, 1), UTC, is_dst=True)
REQUEST = RequestFactory().get("/a/?b=1")
RESULT = (
    AWARE.isoformat(),
    Even("e", "odd!").violation_error_message,
    REQUEST.get_raw_uri(),
    DjangoDivFormRenderer.__name__,
)
"""


@pytest.mark.e2e
def test_rewritten_4x_code_runs_on_django_6_0(tmp_path: Path) -> None:
    """is_dst, BaseConstraint positional arguments, get_raw_uri() and the div renderer are gone
    in 6.0: the code written for 4.x runs there once rewritten."""
    from tests.rewrite.django_env import django_python, run_django

    python = django_python("6.0")
    code = OLD_4X_CODE
    hop = context(django_from="4.2", django_to="6.0")
    for rule in ("is_dst_argument", "constraint_keyword_args", "get_raw_uri", "moved_names"):
        code = run_rule(rule, code, hop)
    settings = "SECRET_KEY = 'x'\nALLOWED_HOSTS = ['testserver']\nUSE_TZ = True\n"
    renderer = "FORM_RENDERER = 'django.forms.renderers.DjangoDivFormRenderer'\n"
    settings += run_rule("div_form_renderer", renderer, hop)
    (tmp_path / "oldcode.py").write_text(code, encoding="utf-8")
    (tmp_path / "settings.py").write_text(settings, encoding="utf-8")
    done = run_django(
        python,
        tmp_path,
        "settings",
        "from django.forms.renderers import get_default_renderer\n"
        "from oldcode import RESULT\nprint(RESULT, type(get_default_renderer()).__name__)\n",
    )
    assert done.returncode == 0, done.stderr + "\n" + code + "\n" + settings
    assert done.stdout.strip() == (
        "('2024-01-01T00:00:00+00:00', 'odd!', 'http://testserver/a/?b=1', 'DjangoTemplates') "
        "DjangoTemplates"
    )
