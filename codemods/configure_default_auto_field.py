"""``settings.configure(...)`` without ``DEFAULT_AUTO_FIELD`` gets
``DEFAULT_AUTO_FIELD="django.db.models.AutoField"``, on every hop from 3.2 up to the one that
crosses Django 6.0.

Django 6.0 changed the default of ``DEFAULT_AUTO_FIELD`` from ``AutoField`` to ``BigAutoField``.
``settings_default_auto_field`` pins the old value in settings modules; settings given to
``settings.configure()`` (a reusable app's ``runtests.py``) are no settings module, so every model
without an explicit primary key moved to ``BigAutoField`` silently: django-simple-history's test
that runs ``makemigrations`` wrote ``0003_alter_doyouknow_id_and_more.py`` into its test app on
6.1, and the next ``upgrader step`` refused the tree (FINDINGS F86). Pinning the old value keeps
the schema in any file, test script or not; moving to ``BigAutoField`` is a separate change with
a migration per model. From 3.2 on it also silences models.W042 in the script's runs.

"Without DEFAULT_AUTO_FIELD" is decided as for ``SECRET_KEY`` (``configure_secret_key``'s
``unkeyed_calls``). A project already on 6.0+ runs with ``BigAutoField``: nothing to preserve.

https://docs.djangoproject.com/en/3.2/releases/3.2/#customizing-type-of-auto-created-primary-keys
"""

from __future__ import annotations

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._base import string_literal
from codemods.configure_secret_key import keyword_adder

DOCS = "https://docs.djangoproject.com/en/3.2/releases/3.2/#customizing-type-of-auto-created-primary-keys"
VERSION = Version("3.2")
FLIPPED = Version("6.0")
KEY = "DEFAULT_AUTO_FIELD"
VALUE = "django.db.models.AutoField"

_add_default_auto_field = keyword_adder(
    KEY, DOCS, lambda source: cst.SimpleString(string_literal(VALUE, source))
)


def transform(source: str, context: RuleContext) -> str:
    if "configure" not in source or context.django_from >= FLIPPED:
        return source
    return _add_default_auto_field(source, context)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=VERSION,
        summary='settings.configure(...) without DEFAULT_AUTO_FIELD gets "django.db.models.'
        'AutoField" (the default before 6.0)',
        docs=DOCS,
        transform=transform,
        needles=(b"configure",),
    )
)
