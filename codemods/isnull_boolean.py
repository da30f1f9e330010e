"""``filter(x__isnull=1)`` -> ``filter(x__isnull=True)``: the ``__isnull`` lookup takes only
booleans since Django 4.0 (deprecated in 3.1).

Django 3.0 used the value's truth, so a literal becomes the boolean it stood for: ``1`` /
``0`` / ``None`` / ``""`` -> ``True`` / ``False``. Only literals in keyword arguments ending in
``__isnull`` are rewritten (``filter``, ``exclude``, ``get``, ``Q(...)``, anywhere a lookup is
spelled); a variable is left for the scanner, which reports only literals.

https://docs.djangoproject.com/en/3.1/releases/3.1/#features-deprecated-in-3-1
"""

from __future__ import annotations

import ast

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python import PythonRuleTransformer, parse_ast, run_rule

DOCS = "https://docs.djangoproject.com/en/3.1/releases/3.1/#features-deprecated-in-3-1"


def _truth(node: cst.BaseExpression) -> bool | None:
    """The truth of a literal that is not already a boolean; None otherwise."""
    if isinstance(node, cst.Name) and node.value == "None":
        return False
    if isinstance(node, (cst.Integer, cst.SimpleString)):
        try:
            return bool(ast.literal_eval(node.value))
        except (ValueError, SyntaxError):
            return None
    return None


class _Transformer(PythonRuleTransformer):
    docs = DOCS

    def leave_Arg(self, original_node: cst.Arg, updated_node: cst.Arg) -> cst.Arg:
        keyword = updated_node.keyword
        if keyword is None or not keyword.value.endswith("__isnull"):
            return updated_node
        truth = _truth(updated_node.value)
        if truth is None:
            return updated_node
        return updated_node.with_changes(value=cst.Name("True" if truth else "False"))


def _ast_may_rewrite(tree: ast.Module) -> bool:
    """Whether some ``x__isnull=`` keyword has a literal the transformer rewrites (libcst is costly)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg and node.arg.endswith("__isnull"):
            value = node.value
            if isinstance(value, ast.Constant) and (
                value.value is None
                or (
                    isinstance(value.value, (int, str, bytes)) and not isinstance(value.value, bool)
                )
            ):
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
        version=Version("3.1"),
        summary="__isnull=1 / 0 / None -> __isnull=True / False",
        docs=DOCS,
        transform=transform,
        needles=(b"__isnull",),
    )
)
