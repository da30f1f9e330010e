"""Remove ``USE_DEPRECATED_PYTZ = False``: the transitional setting Django 4.0 added (deprecated)
is removed in 5.0.

``False`` is its default and what 5.0 always does (zoneinfo time zones), so the line goes with
nothing changed. ``True`` (or a value the rule cannot read) stays as a manual item: the code
must move from pytz to zoneinfo (the ``pytz`` items of the same hop) before it goes.

https://docs.djangoproject.com/en/4.0/releases/4.0/#features-deprecated-in-4-0
"""

from __future__ import annotations

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._base import remove_setting_if

DOCS = "https://docs.djangoproject.com/en/4.0/releases/4.0/#features-deprecated-in-4-0"
SETTING = "USE_DEPRECATED_PYTZ"


def _is_false(value: cst.BaseExpression) -> bool:
    return isinstance(value, cst.Name) and value.value == "False"


def transform(source: str, context: RuleContext) -> str:
    return remove_setting_if(
        source,
        context,
        SETTING,
        _is_false,
        f"{SETTING} is removed in Django 5.0, which supports zoneinfo time zones only: move "
        "the pytz code to zoneinfo, then delete the setting",
        DOCS,
    )


RULE = register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="settings",
        scope="django",
        version=Version("5.0"),
        summary="Remove USE_DEPRECATED_PYTZ = False (True is a manual item)",
        docs=DOCS,
        transform=transform,
        needles=(b"USE_DEPRECATED_PYTZ",),
    )
)
