"""Remove ``CSRF_COOKIE_MASKED = False``: the transitional setting Django 4.1 added (deprecated)
is removed in 5.0.

``False`` is its default and what 5.0 always does (the CSRF cookie holds the unmasked secret),
so the line goes with nothing changed. ``True`` (or a value the rule cannot read) stays as a
manual item: code that reads the cookie must accept the unmasked token before it goes.

https://docs.djangoproject.com/en/4.1/releases/4.1/#features-deprecated-in-4-1
"""

from __future__ import annotations

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._base import remove_setting_if

DOCS = "https://docs.djangoproject.com/en/4.1/releases/4.1/#features-deprecated-in-4-1"
SETTING = "CSRF_COOKIE_MASKED"


def _is_false(value: cst.BaseExpression) -> bool:
    return isinstance(value, cst.Name) and value.value == "False"


def transform(source: str, context: RuleContext) -> str:
    return remove_setting_if(
        source,
        context,
        SETTING,
        _is_false,
        f"{SETTING} is removed in Django 5.0, which always sets the unmasked CSRF secret: make "
        "the code that reads the cookie accept it, then delete the setting",
        DOCS,
    )


RULE = register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="settings",
        scope="django",
        version=Version("5.0"),
        summary="Remove CSRF_COOKIE_MASKED = False (True is a manual item)",
        docs=DOCS,
        transform=transform,
        needles=(b"CSRF_COOKIE_MASKED",),
    )
)
