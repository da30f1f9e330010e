"""Remove ``FILE_CHARSET = 'utf-8'``: deprecated in Django 2.2, removed in 3.1.

From 3.1 Django reads every template and static file as UTF-8 and ignores the setting; Django
2.2 to 3.0 warn whenever it is set. When it says UTF-8 (any spelling Python's codecs accept) it
is removed, which changes nothing; comment lines above it stay. Any other value (or one the rule
cannot read) is left in place as a manual item: the files it names must be re-saved as UTF-8
before the setting goes.

https://docs.djangoproject.com/en/2.2/releases/2.2/#features-deprecated-in-2-2
"""

from __future__ import annotations

import codecs

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._base import remove_setting_if, string_value

DOCS = "https://docs.djangoproject.com/en/2.2/releases/2.2/#features-deprecated-in-2-2"
SETTING = "FILE_CHARSET"


def _is_utf8(value: cst.BaseExpression) -> bool:
    text = string_value(value)
    if text is None:
        return False
    try:
        return codecs.lookup(text).name == "utf-8"
    except LookupError:
        return False


def transform(source: str, context: RuleContext) -> str:
    return remove_setting_if(
        source,
        context,
        SETTING,
        _is_utf8,
        f"{SETTING} is ignored since Django 3.1, which reads templates and static files as "
        "UTF-8: re-save the files in UTF-8, then delete the setting",
        DOCS,
    )


RULE = register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="settings",
        scope="django",
        version=Version("3.1"),
        summary="Remove FILE_CHARSET = 'utf-8' (other encodings are a manual item)",
        docs=DOCS,
        transform=transform,
        needles=(b"FILE_CHARSET",),
    )
)
