"""``upath(p)`` / ``npath(p)`` -> ``p``; ``abspathu(p)`` -> ``os.path.abspath(p)``: the private
Python 2 helpers of ``django.utils._os``, removed in Django 3.0.

On Python 3 (every Python Django 2.2 runs on) ``upath`` and ``npath`` returned their argument
unchanged and ``abspathu`` was ``os.path.abspath``, so the rewrite is exact. Only one-argument
calls are rewritten; other uses (passing the function itself) are left for the scanner.

https://docs.djangoproject.com/en/3.0/releases/3.0/#removed-private-python-2-compatibility-apis
"""

from __future__ import annotations

import ast

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python import ResolvingRuleTransformer, import_targets, may_refer_to, run_rule

DOCS = "https://docs.djangoproject.com/en/3.0/releases/3.0/#removed-private-python-2-compatibility-apis"
IDENTITY = frozenset({"django.utils._os.upath", "django.utils._os.npath"})
ABSPATHU = "django.utils._os.abspathu"


class _Transformer(ResolvingRuleTransformer):
    docs = DOCS

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        name = self.refers_to(original_node.func, IDENTITY | {ABSPATHU})
        if name is None:
            return updated_node
        args = updated_node.args
        if len(args) != 1 or args[0].keyword is not None or args[0].star:
            return updated_node
        self.forget(original_node.func)
        if name == ABSPATHU:
            func = self.reference(original_node, "os.path", "abspath")
            return updated_node.with_changes(func=func)
        value = args[0].value
        if isinstance(value, (cst.BinaryOperation, cst.BooleanOperation, cst.IfExp, cst.Lambda)):
            value = value.with_changes(
                lpar=[cst.LeftParen()], rpar=[cst.RightParen()]
            )  # keep it one operand where the call stood
        return value.with_changes(
            lpar=[*updated_node.lpar, *value.lpar], rpar=[*value.rpar, *updated_node.rpar]
        )


def _ast_may_rewrite(tree: ast.Module) -> bool:
    """Whether a call may be to one of the helpers (through an import, as libcst resolves it)."""
    targets = import_targets(tree)
    return any(
        isinstance(node, ast.Call) and may_refer_to(node.func, targets, IDENTITY | {ABSPATHU})
        for node in ast.walk(tree)
    )


def transform(source: str, context: RuleContext) -> str:
    return run_rule(source, context, _Transformer, ast_check=_ast_may_rewrite)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=Version("3.0"),
        summary="upath(p) / npath(p) -> p; abspathu(p) -> os.path.abspath(p)",
        docs=DOCS,
        transform=transform,
        needles=(b"upath", b"npath", b"abspathu"),
    )
)
