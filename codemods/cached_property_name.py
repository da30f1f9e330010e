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
    ast_dotted_name,
    drop_arg,
    import_targets,
    parse_ast,
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

    Only names an import binds to Django can resolve to it (libcst's qualified names start from
    imports too), so files without such a call never pay for libcst's scope analysis.
    """
    django = {
        name
        for name, targets in import_targets(tree).items()
        if any(target == "django" or target.startswith("django.utils") for target in targets)
    }
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        dotted = ast_dotted_name(node.func)
        if dotted is None or dotted.split(".", 1)[0] not in django:
            continue
        if len(node.args) >= 2 or any(keyword.arg == "name" for keyword in node.keywords):
            return True
    return False


def transform(source: str, context: RuleContext) -> str:
    tree = parse_ast(source)
    if tree is not None and not _ast_may_rewrite(tree):
        return source
    return run_rule(source, context, _Transformer)


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
