"""``get_safe_settings()`` -> ``SafeExceptionReporterFilter().get_safe_settings()``: Django 3.1
made the private ``django.views.debug.get_safe_settings()`` and ``cleanse_setting()`` methods of
``SafeExceptionReporterFilter`` (the functions are gone), as its release notes prescribe.

The methods do what the functions did (the same hidden-settings pattern and substitute).
``ExceptionReporterFilter`` itself, also removed, is a manual item: its replacement
``SafeExceptionReporterFilter`` cleanses more than the old base class, so choosing it is the
project's decision.

https://docs.djangoproject.com/en/3.1/releases/3.1/#backwards-incompatible-changes-in-3-1
"""

from __future__ import annotations

import ast

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python import (
    ResolvingRuleTransformer,
    binds_any,
    import_targets,
    may_refer_to,
    run_rule,
)

DOCS = "https://docs.djangoproject.com/en/3.1/releases/3.1/#backwards-incompatible-changes-in-3-1"
MODULE = "django.views.debug"
FUNCTIONS = frozenset({f"{MODULE}.get_safe_settings", f"{MODULE}.cleanse_setting"})
BASE = f"{MODULE}.ExceptionReporterFilter"


class _Transformer(ResolvingRuleTransformer):
    docs = DOCS

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        name = self.refers_to(original_node.func, FUNCTIONS)
        if name is None:
            return updated_node
        self.forget(original_node.func)
        filter_class = self.reference(
            original_node, MODULE, "SafeExceptionReporterFilter", prefer_from=True
        )
        method = cst.Attribute(
            value=cst.Call(func=filter_class), attr=cst.Name(name.rpartition(".")[2])
        )
        return updated_node.with_changes(func=method)

    def visit_Name(self, node: cst.Name) -> None:
        parent = self.parent(node)
        if isinstance(parent, cst.Attribute) and parent.attr is node:
            return
        if self.refers_to(node, {BASE}):
            self.note(
                node,
                "django.views.debug.ExceptionReporterFilter was removed in Django 3.1: subclass "
                "SafeExceptionReporterFilter (it also cleanses settings and POST data)",
            )


def _ast_may_act(tree: ast.Module) -> bool:
    """Whether a call may be to one of the functions or a name bound to the base class.

    A name resolves to the class through an import of it; a module-level ``django`` that is no
    import could make libcst qualify names in its class bodies as ``django....``: counted too.
    """
    targets = import_targets(tree)
    if any(not (FUNCTIONS | {BASE}).isdisjoint(bound) for bound in targets.values()):
        return True
    if binds_any(tree, {"django"}, imports=False):
        return True
    return any(
        isinstance(node, ast.Call) and may_refer_to(node.func, targets, FUNCTIONS)
        for node in ast.walk(tree)
    )


def transform(source: str, context: RuleContext) -> str:
    return run_rule(source, context, _Transformer, ast_check=_ast_may_act)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=Version("3.1"),
        summary="get_safe_settings() / cleanse_setting() -> SafeExceptionReporterFilter() methods",
        docs=DOCS,
        transform=transform,
        needles=(b"get_safe_settings", b"cleanse_setting", b"ExceptionReporterFilter"),
    )
)
