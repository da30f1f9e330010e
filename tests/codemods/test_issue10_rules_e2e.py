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
