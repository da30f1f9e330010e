"""``def lookup_allowed(self, lookup, value)`` on a model admin -> ``(self, lookup, value,
request=None)``: Django 5.0 passes the request to ``ModelAdmin.lookup_allowed()`` (an override
without it is deprecated) and 6.0 requires it.

``super().lookup_allowed(lookup, value)`` inside the method passes ``request`` on, which Django
accepts from 5.0, the rule's version. Only methods of classes with a base named ``*Admin`` are
changed, with exactly ``(self, lookup, value)``.

https://docs.djangoproject.com/en/5.0/releases/5.0/#features-deprecated-in-5-0
"""

from __future__ import annotations

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python import PythonRuleTransformer, dotted_name, run_rule
from codemods.inline_has_add_permission_obj import add_defaulted_parameter

DOCS = "https://docs.djangoproject.com/en/5.0/releases/5.0/#features-deprecated-in-5-0"


class _Transformer(PythonRuleTransformer):
    docs = DOCS

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._admin: list[bool] = []

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        bases = [(dotted_name(base.value) or "").rpartition(".")[2] for base in node.bases]
        self._admin.append(any(base.endswith("Admin") for base in bases))

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.ClassDef:
        self._admin.pop()
        return updated_node

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        if updated_node.name.value != "lookup_allowed" or not (self._admin and self._admin[-1]):
            return updated_node
        changed = add_defaulted_parameter(updated_node, 3, "request", "lookup_allowed")
        return updated_node if changed is None else changed


def transform(source: str, context: RuleContext) -> str:
    return run_rule(source, context, _Transformer)


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
