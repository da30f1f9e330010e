"""``qs.prefetch_related("x").iterator()`` -> ``.iterator(chunk_size=2000)``: since Django 5.0
``iterator()`` after ``prefetch_related()`` needs ``chunk_size`` (deprecated in 4.1, when the
prefetch started to be honoured only with an explicit chunk size).

2000 was ``iterator()``'s default chunk size, so the rows fetched per round trip stay the same;
from 4.1 on the prefetch now runs per chunk (what the code asked for, and what 4.1 warned it
ignored): the objects are equal, only with their related objects prefetched. Only calls in the
same chain as ``prefetch_related(...)`` are rewritten; a queryset built elsewhere is left to
verify's warning capture (``RemovedInDjango50Warning``).

https://docs.djangoproject.com/en/4.1/releases/4.1/#features-deprecated-in-4-1
"""

from __future__ import annotations

import ast

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python import (
    PythonRuleTransformer,
    append_arg,
    keyword_arg,
    run_rule,
)

DOCS = "https://docs.djangoproject.com/en/4.1/releases/4.1/#features-deprecated-in-4-1"


def _chain_calls(node: cst.BaseExpression, method: str) -> bool:
    while isinstance(node, (cst.Call, cst.Attribute)):
        if isinstance(node, cst.Call):
            func = node.func
            if isinstance(func, cst.Attribute) and func.attr.value == method:
                return True
            node = func.value if isinstance(func, cst.Attribute) else func
        else:
            node = node.value
    return False


class _Transformer(PythonRuleTransformer):
    docs = DOCS

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        func = updated_node.func
        if not isinstance(func, cst.Attribute) or func.attr.value != "iterator":
            return updated_node
        if updated_node.args or not _chain_calls(func.value, "prefetch_related"):
            return updated_node
        return updated_node.with_changes(
            args=append_arg(updated_node, keyword_arg("chunk_size", cst.Integer("2000")))
        )


def _ast_chain_calls(node: ast.expr, method: str) -> bool:
    """:func:`_chain_calls` on ``ast``."""
    while isinstance(node, (ast.Call, ast.Attribute)):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == method:
                return True
            node = func.value if isinstance(func, ast.Attribute) else func
        else:
            node = node.value
    return False


def _ast_may_rewrite(tree: ast.Module) -> bool:
    """Whether an ``iterator()`` call without arguments follows ``prefetch_related(...)``."""
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "iterator"
        and not node.args
        and not node.keywords
        and _ast_chain_calls(node.func.value, "prefetch_related")
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
        summary=".prefetch_related(...).iterator() -> .iterator(chunk_size=2000)",
        docs=DOCS,
        transform=transform,
        needles=(b"prefetch_related",),
    )
)
