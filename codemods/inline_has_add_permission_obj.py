"""``def has_add_permission(self, request)`` on an inline -> ``(self, request, obj=None)``:
Django 3.0 passes the parent object to ``InlineModelAdmin.has_add_permission()`` (deprecated
without it in 2.1) and its own method requires it.

The new parameter defaults to ``None`` so direct calls with ``request`` alone keep working, and
``super().has_add_permission(request)`` inside the method passes ``obj`` on. Only methods of
classes with a base named ``*Inline`` are changed, and only when ``obj`` is not taken already.

https://docs.djangoproject.com/en/2.1/releases/2.1/#features-deprecated-in-2-1
"""

from __future__ import annotations

from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python import DefaultedParameterTransformer, run_rule

DOCS = "https://docs.djangoproject.com/en/2.1/releases/2.1/#features-deprecated-in-2-1"


class _Transformer(DefaultedParameterTransformer):
    docs = DOCS
    method = "has_add_permission"
    base_suffix = "Inline"
    positional = 2
    parameter = "obj"


def transform(source: str, context: RuleContext) -> str:
    return run_rule(source, context, _Transformer, ast_check=_Transformer.ast_check)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=Version("3.0"),
        summary="Inline has_add_permission(self, request) -> (self, request, obj=None)",
        docs=DOCS,
        transform=transform,
        needles=(b"has_add_permission",),
    )
)
