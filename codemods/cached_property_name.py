"""``cached_property(func, name="x")`` -> ``cached_property(func)``: the ``name`` argument of
``django.utils.functional.cached_property`` was deprecated in Django 4.1 and removed in 5.0.

From 4.1 on the argument is ignored (``__set_name__`` names the attribute, and Django 4.1 only
warns about ``name``), so dropping it changes nothing on a hop that reaches 4.1.

https://docs.djangoproject.com/en/4.1/releases/4.1/#features-deprecated-in-4-1
"""

from __future__ import annotations

import ast

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python import (
    ResolvingRuleTransformer,
    drop_arg,
    import_targets,
    may_refer_to,
    run_rule,
)

DOCS = "https://docs.djangoproject.com/en/4.1/releases/4.1/#features-deprecated-in-4-1"
NAME = "django.utils.functional.cached_property"


class _Transformer(ResolvingRuleTransformer):
    docs = DOCS

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        if not self.refers_to(original_node.func, {NAME}):
            return updated_node
        args = list(updated_node.args)
        if any(arg.star for arg in args):
            return updated_node
        for index, arg in enumerate(args):
            if (arg.keyword is not None and arg.keyword.value == "name") or (
                arg.keyword is None and index == 1
            ):
                return updated_node.with_changes(args=drop_arg(args, index))
        return updated_node


def _ast_may_rewrite(tree: ast.Module) -> bool:
    """Whether a call given ``name`` (or two arguments) may be Django's cached_property.

    Only what an import binds to it (or the spelled-out dotted name) can resolve to it, as in
    libcst's qualified names, so files without such a call never pay for libcst's scope analysis.
    """
    targets = import_targets(tree)
    return any(
        isinstance(node, ast.Call)
        and (len(node.args) >= 2 or any(keyword.arg == "name" for keyword in node.keywords))
        and may_refer_to(node.func, targets, {NAME})
        for node in ast.walk(tree)
    )


def transform(source: str, context: RuleContext) -> str:
    return run_rule(source, context, _Transformer, ast_check=_ast_may_rewrite)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=Version("4.1"),
        summary="cached_property(func, name=...) -> cached_property(func)",
        docs=DOCS,
        transform=transform,
        needles=(b"cached_property",),
    )
)
