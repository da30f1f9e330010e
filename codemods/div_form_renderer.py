"""``FORM_RENDERER = "django.forms.renderers.DjangoDivFormRenderer"`` -> ``"...DjangoTemplates"``
(and ``Jinja2DivFormRenderer`` -> ``Jinja2``) on hops to Django 5.0 and later.

Django 4.1 added the two transitional renderers to opt in to div-based form templates early;
5.0 made div the default and reduced them to subclasses of ``DjangoTemplates`` / ``Jinja2``
that only warn, and 6.0 removes them. From 5.0 on the swap renders the same HTML. Only string
literals that are exactly one of the two dotted paths are rewritten (wherever they are: the
setting, ``override_settings(FORM_RENDERER=...)`` in tests); imports of the classes are
``moved_names``'s.

https://docs.djangoproject.com/en/5.0/releases/5.0/#features-deprecated-in-5-0
"""

from __future__ import annotations

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._base import string_value
from codemods._python import PythonRuleTransformer, run_rule

DOCS = "https://docs.djangoproject.com/en/5.0/releases/5.0/#features-deprecated-in-5-0"
_MODULE = "django.forms.renderers"
PATHS = {
    f"{_MODULE}.DjangoDivFormRenderer": f"{_MODULE}.DjangoTemplates",
    f"{_MODULE}.Jinja2DivFormRenderer": f"{_MODULE}.Jinja2",
}


class _Transformer(PythonRuleTransformer):
    docs = DOCS

    def leave_SimpleString(
        self, original_node: cst.SimpleString, updated_node: cst.SimpleString
    ) -> cst.SimpleString:
        new = PATHS.get(string_value(original_node) or "")
        if new is None:
            return updated_node
        quote = original_node.quote
        return updated_node.with_changes(value=f"{original_node.prefix}{quote}{new}{quote}")


def transform(source: str, context: RuleContext) -> str:
    if "DivFormRenderer" not in source:
        return source
    return run_rule(source, context, _Transformer)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=Version("5.0"),
        summary='"...DjangoDivFormRenderer" / "...Jinja2DivFormRenderer" -> "...DjangoTemplates" '
        '/ "...Jinja2" (div is the default since 5.0)',
        docs=DOCS,
        transform=transform,
        needles=(b"DivFormRenderer",),
    )
)
