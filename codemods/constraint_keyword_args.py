"""``BaseConstraint(name, msg)`` and ``super().__init__(name, msg)`` in a ``BaseConstraint``
subclass -> ``name=name, violation_error_message=msg``: Django 5.0 deprecated passing them by
position, and 6.0 accepts keywords only.

Django 4.1-5.2 take ``name`` and ``violation_error_message`` in that order, and both as keywords
in every release that has them, so the rewrite is exact on any hop. Only classes based on
``BaseConstraint`` itself are touched: ``UniqueConstraint``'s positional arguments are
expressions and ``CheckConstraint``/``ExclusionConstraint`` are keyword-only already. Calls with
``*args``, more than two positional arguments, or a keyword the positional one would duplicate
are left for the scanner.

https://docs.djangoproject.com/en/5.0/releases/5.0/#features-deprecated-in-5-0
"""

from __future__ import annotations

import ast

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python import (
    CodemodContext,
    ResolvingRuleTransformer,
    binds_any,
    dotted_name,
    import_targets,
    keyword_arg,
    refers_to_any,
    run_rule,
)

DOCS = "https://docs.djangoproject.com/en/5.0/releases/5.0/#features-deprecated-in-5-0"
BASE = frozenset({"django.db.models.BaseConstraint", "django.db.models.constraints.BaseConstraint"})
PARAMETERS = ("name", "violation_error_message")


def _keywords(call: cst.Call) -> cst.Call:
    """``call`` with its leading positional arguments as ``name=`` / ``violation_error_message=``."""
    args = list(call.args)
    positional = [arg for arg in args if arg.keyword is None and not arg.star]
    if not positional or any(arg.star for arg in args) or len(positional) > len(PARAMETERS):
        return call
    if args[: len(positional)] != positional:
        return call
    names = PARAMETERS[: len(positional)]
    if {arg.keyword.value for arg in args if arg.keyword is not None} & set(names):
        return call
    new = [keyword_arg(n, arg.value, like=arg) for n, arg in zip(names, positional, strict=True)]
    return call.with_changes(args=[*new, *args[len(positional) :]])


class _Transformer(ResolvingRuleTransformer):
    docs = DOCS

    def __init__(self, context: CodemodContext, rule_context: RuleContext) -> None:
        super().__init__(context, rule_context)
        self._constraint_classes: list[bool] = []  # per enclosing class: based on BaseConstraint

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._constraint_classes.append(
            any(self.refers_to(base.value, BASE) is not None for base in node.bases)
        )

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.ClassDef:
        self._constraint_classes.pop()
        return updated_node

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        func = original_node.func
        if self.refers_to(func, BASE) is not None:
            return _keywords(updated_node)
        if (
            self._constraint_classes
            and self._constraint_classes[-1]
            and isinstance(func, cst.Attribute)
            and func.attr.value == "__init__"
            and isinstance(func.value, cst.Call)
            and dotted_name(func.value.func) == "super"
        ):
            return _keywords(updated_node)
        return updated_node


def _ast_may_rewrite(tree: ast.Module) -> bool:
    """Whether any name or attribute may resolve to BaseConstraint (a base or a call): without
    one there is no constraint class and no call to rewrite. A module-level ``django`` that is
    no import could make libcst qualify class-body names as ``django....``: counted too."""
    targets = import_targets(tree)
    if any(not BASE.isdisjoint(bound) for bound in targets.values()):
        return True
    if binds_any(tree, {"django"}, imports=False):
        return True
    return refers_to_any(tree, BASE, targets)


def transform(source: str, context: RuleContext) -> str:
    if "BaseConstraint" not in source:
        return source
    return run_rule(source, context, _Transformer, ast_check=_ast_may_rewrite)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=Version("5.0"),
        summary="BaseConstraint(name, msg) / super().__init__(name, msg) -> keyword arguments",
        docs=DOCS,
        transform=transform,
        needles=(b"BaseConstraint",),
    )
)
