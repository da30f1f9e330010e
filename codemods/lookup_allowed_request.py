"""``def lookup_allowed(self, lookup, value)`` on a model admin -> ``(self, lookup, value,
request=None)``: Django 5.0 passes the request to ``ModelAdmin.lookup_allowed()`` (an override
without it is deprecated) and 6.0 requires it.

``super().lookup_allowed(lookup, value)`` inside the method passes ``request`` on, which Django
accepts from 5.0, the rule's version. Only methods of classes with a base named ``*Admin`` are
changed, with exactly ``(self, lookup, value)``.

https://docs.djangoproject.com/en/5.0/releases/5.0/#features-deprecated-in-5-0
"""

from __future__ import annotations

from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python import DefaultedParameterTransformer, run_rule

DOCS = "https://docs.djangoproject.com/en/5.0/releases/5.0/#features-deprecated-in-5-0"


class _Transformer(DefaultedParameterTransformer):
    docs = DOCS
    method = "lookup_allowed"
    base_suffix = "Admin"
    positional = 3
    parameter = "request"


def transform(source: str, context: RuleContext) -> str:
    return run_rule(source, context, _Transformer, ast_check=_Transformer.ast_check)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=Version("5.0"),
        summary="ModelAdmin.lookup_allowed(self, lookup, value) -> (..., request=None)",
        docs=DOCS,
        transform=transform,
        needles=(b"lookup_allowed",),
    )
)
