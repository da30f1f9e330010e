"""Replace ``HttpRequest.is_ajax()``, deprecated in Django 3.1 and removed in 4.0.

``request.is_ajax()`` becomes ``request.headers.get("x-requested-with") == "XMLHttpRequest"``,
which is what the method returned (``request.headers`` exists since Django 2.2), and
``not request.is_ajax()`` becomes the ``!=`` form. Parentheses are added where the comparison
would otherwise bind differently (``x == request.is_ajax()``, ``request.is_ajax().real``).

Which receivers count as requests is a heuristic, since types are unknown: a name or attribute
called ``request``, ``req`` or ending in ``request`` (``self.request``, ``wsgi_request``).
``is_ajax()`` on anything else becomes a manual item rather than a rewrite.

https://docs.djangoproject.com/en/3.1/releases/3.1/#features-deprecated-in-3-1
"""

from __future__ import annotations

import ast

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._base import string_literal
from codemods._python import PythonRuleTransformer, last_identifier, run_rule

DOCS = "https://docs.djangoproject.com/en/3.1/releases/3.1/#features-deprecated-in-3-1"

# Where a comparison can stand without parentheses and keep its meaning.
_NO_PARENS = (
    cst.Arg,
    cst.Assert,
    cst.Assign,
    cst.AnnAssign,
    cst.BooleanOperation,
    cst.DictElement,
    cst.Element,
    cst.Expr,
    cst.FormattedStringExpression,
    cst.If,
    cst.IfExp,
    cst.Index,
    cst.Lambda,
    cst.NamedExpr,
    cst.Return,
    cst.While,
)


def looks_like_request(node: cst.BaseExpression) -> bool:
    name = last_identifier(node)
    if name is None:
        return False
    lowered = name.lower()
    return lowered in {"request", "req"} or lowered.endswith("request")


def _is_ajax_call(node: cst.BaseExpression) -> bool:
    return (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value == "is_ajax"
        and not node.args
    )


class _Transformer(PythonRuleTransformer):
    docs = DOCS
    quotes_like = ""

    def visit_Module(self, node: cst.Module) -> None:
        self.quotes_like = node.code

    def _quotes_like(self, node: cst.CSTNode) -> str:
        """What new string literals should look like: inside an f-string, its other quote."""
        parent = self.parent(node)
        while parent is not None:
            if isinstance(parent, cst.FormattedString):
                return "'" if '"' in parent.start else '"'
            parent = self.parent(parent)
        return self.quotes_like

    def _header_check(
        self, receiver: cst.BaseExpression, negated: bool, like: cst.BaseExpression
    ) -> cst.Comparison:
        quotes_like = self._quotes_like(like)
        get = cst.Call(
            func=cst.Attribute(
                value=cst.Attribute(value=receiver, attr=cst.Name("headers")), attr=cst.Name("get")
            ),
            args=[cst.Arg(cst.SimpleString(string_literal("x-requested-with", quotes_like)))],
        )
        operator = cst.NotEqual() if negated else cst.Equal()
        comparison = cst.Comparison(
            left=get,
            comparisons=[
                cst.ComparisonTarget(
                    operator=operator,
                    comparator=cst.SimpleString(string_literal("XMLHttpRequest", quotes_like)),
                )
            ],
        )
        if like.lpar:
            return comparison.with_changes(lpar=like.lpar, rpar=like.rpar)
        if isinstance(self.parent(like), _NO_PARENS):
            return comparison
        return comparison.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if not _is_ajax_call(original_node):
            return updated_node
        assert isinstance(original_node.func, cst.Attribute)
        assert isinstance(updated_node.func, cst.Attribute)
        if not looks_like_request(original_node.func.value):
            self.note(
                original_node,
                f"{self.module.code_for_node(original_node)}: if this is an HttpRequest, use "
                "request.headers.get('x-requested-with') == 'XMLHttpRequest' (removed in Django 4.0)",
            )
            return updated_node
        parent = self.parent(original_node)
        if (
            isinstance(parent, cst.UnaryOperation)
            and isinstance(parent.operator, cst.Not)
            and not original_node.lpar
        ):
            return updated_node  # leave_UnaryOperation turns the whole ``not`` into ``!=``
        return self._header_check(updated_node.func.value, False, original_node)

    def leave_UnaryOperation(
        self, original_node: cst.UnaryOperation, updated_node: cst.UnaryOperation
    ) -> cst.BaseExpression:
        call = original_node.expression
        if not (
            isinstance(original_node.operator, cst.Not)
            and _is_ajax_call(call)
            and not call.lpar
            and isinstance(updated_node.expression, cst.Call)
            and isinstance(updated_node.expression.func, cst.Attribute)
            and looks_like_request(updated_node.expression.func.value)
        ):
            return updated_node
        return self._header_check(updated_node.expression.func.value, True, original_node)


def _ast_has_is_ajax_call(tree: ast.Module) -> bool:
    """Whether the file calls ``X.is_ajax()`` (no arguments): what the libcst pass acts on."""
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "is_ajax"
        and not node.args
        and not node.keywords
        for node in ast.walk(tree)
    )


def transform(source: str, context: RuleContext) -> str:
    return run_rule(source, context, _Transformer, ast_check=_ast_has_is_ajax_call)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=Version("3.1"),
        summary='request.is_ajax() -> request.headers.get("x-requested-with") == "XMLHttpRequest"',
        docs=DOCS,
        transform=transform,
        needles=(b"is_ajax",),
    )
)
