"""``get_cache_name()`` -> the ``cache_name`` property: Django 5.1 deprecated
``FieldCacheMixin.get_cache_name()`` for the ``cache_name`` cached property, 6.0 removed it.

- ``X.get_cache_name()`` (no arguments) -> ``X.cache_name`` on any receiver (the method name is
  Django's alone, as the scanner assumes); ``super().get_cache_name()`` too.
- ``def get_cache_name(self):`` in a class with a base becomes ``@property``
  ``def cache_name(self):``: 5.1's ``FieldCacheMixin.cache_name`` only calls
  ``get_cache_name()`` (checked in 5.2.19's ``django/db/models/fields/mixins.py``), so an
  override of the property answers what the method did, computed on each read as before.
  Definitions with decorators or other parameters stay the scanner's manual item.

https://docs.djangoproject.com/en/5.1/releases/5.1/#features-deprecated-in-5-1
"""

from __future__ import annotations

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python import PythonRuleTransformer, run_rule

DOCS = "https://docs.djangoproject.com/en/5.1/releases/5.1/#features-deprecated-in-5-1"
OLD, NEW = "get_cache_name", "cache_name"


class _Transformer(PythonRuleTransformer):
    docs = DOCS

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        func = updated_node.func
        if isinstance(func, cst.Attribute) and func.attr.value == OLD and not updated_node.args:
            return func.with_changes(
                attr=cst.Name(NEW), lpar=updated_node.lpar, rpar=updated_node.rpar
            )
        return updated_node

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        params = updated_node.params
        block = self.parent(original_node)
        owner = self.parent(block) if block is not None else None
        if (
            updated_node.name.value != OLD
            or not isinstance(owner, cst.ClassDef)
            or not owner.bases
            or updated_node.decorators
            or updated_node.asynchronous is not None
            or len(params.params) != 1
            or params.posonly_params
            or params.kwonly_params
            or params.star_arg is not cst.MaybeSentinel.DEFAULT
            or params.star_kwarg is not None
        ):
            return updated_node
        return updated_node.with_changes(
            name=cst.Name(NEW),
            decorators=[
                cst.Decorator(
                    decorator=cst.Name("property"), leading_lines=updated_node.leading_lines
                )
            ],
            leading_lines=(),
        )


def transform(source: str, context: RuleContext) -> str:
    if OLD not in source:
        return source
    return run_rule(source, context, _Transformer)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=Version("5.1"),
        summary="x.get_cache_name() -> x.cache_name; def get_cache_name -> @property cache_name",
        docs=DOCS,
        transform=transform,
        needles=(OLD.encode(),),
    )
)
