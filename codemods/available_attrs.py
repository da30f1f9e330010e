"""Drop ``django.utils.decorators.available_attrs``, removed in Django 3.0.

On Python 3 ``available_attrs(fn)`` returned ``functools.WRAPPER_ASSIGNMENTS``, the default of
``functools.wraps`` and ``update_wrapper``, so ``wraps(f, assigned=available_attrs(f))`` becomes
``wraps(f)``; any other use becomes ``functools.WRAPPER_ASSIGNMENTS``. Both are exact.

https://docs.djangoproject.com/en/3.0/releases/3.0/#removed-private-python-2-compatibility-apis
"""

from __future__ import annotations

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python import ResolvingRuleTransformer, drop_arg, run_rule

DOCS = "https://docs.djangoproject.com/en/3.0/releases/3.0/#removed-private-python-2-compatibility-apis"
NAME = "django.utils.decorators.available_attrs"


class _Transformer(ResolvingRuleTransformer):
    docs = DOCS

    def _is_available_attrs(self, node: cst.BaseExpression) -> bool:
        return isinstance(node, cst.Call) and bool(self.refers_to(node.func, {NAME}))

    def _is_assigned_default(self, arg: cst.Arg) -> bool:
        return (
            arg.keyword is not None
            and arg.keyword.value == "assigned"
            and self._is_available_attrs(arg.value)
        )

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        for index, arg in enumerate(original_node.args):
            if self._is_assigned_default(arg):
                self.forget(arg)
                return updated_node.with_changes(args=drop_arg(updated_node.args, index))
        if self._is_available_attrs(original_node):
            parent = self.parent(original_node)
            if isinstance(parent, cst.Arg) and self._is_assigned_default(parent):
                return updated_node  # the enclosing call drops the whole argument
            self.forget(original_node)
            replacement = self.reference(original_node, "functools", "WRAPPER_ASSIGNMENTS")
            return replacement.with_changes(lpar=updated_node.lpar, rpar=updated_node.rpar)
        return updated_node


def transform(source: str, context: RuleContext) -> str:
    return run_rule(source, context, _Transformer)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=Version("3.0"),
        summary="wraps(f, assigned=available_attrs(f)) -> wraps(f); other uses -> WRAPPER_ASSIGNMENTS",
        docs=DOCS,
        transform=transform,
        needles=(b"available_attrs",),
    )
)
