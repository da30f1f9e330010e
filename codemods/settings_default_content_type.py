"""Remove ``DEFAULT_CONTENT_TYPE = 'text/html'``: deprecated in Django 2.0, removed in 3.0.

Django 3.0 gives every ``HttpResponse`` ``text/html`` unless ``content_type=`` says otherwise,
which is what the setting's default said: a setting that says ``text/html`` (in any case) is
removed, which changes nothing; comment lines above it stay. Any other value (``application/
xhtml+xml``, one the rule cannot read) is left as a manual item: the responses that relied on it
must pass ``content_type=``.

https://docs.djangoproject.com/en/2.0/releases/2.0/#features-deprecated-in-2-0
"""

from __future__ import annotations

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._base import remove_setting_if, string_value

DOCS = "https://docs.djangoproject.com/en/2.0/releases/2.0/#features-deprecated-in-2-0"
SETTING = "DEFAULT_CONTENT_TYPE"


def _is_default(value: cst.BaseExpression) -> bool:
    text = string_value(value)
    return text is not None and text.strip().lower() == "text/html"


def transform(source: str, context: RuleContext) -> str:
    return remove_setting_if(
        source,
        context,
        SETTING,
        _is_default,
        f"{SETTING} is removed in Django 3.0 (responses are text/html unless they say "
        "otherwise): pass content_type= to the responses that need this type, then delete "
        "the setting",
        DOCS,
    )


RULE = register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="settings",
        scope="django",
        version=Version("3.0"),
        summary="Remove DEFAULT_CONTENT_TYPE = 'text/html' (other types are a manual item)",
        docs=DOCS,
        transform=transform,
        needles=(SETTING.encode(),),
    )
)
