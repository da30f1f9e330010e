"""``BadHeaderError`` -> ``ValueError``: Django 6.0 deprecated ``django.core.mail.BadHeaderError``
and made it ``ValueError`` itself (``BadHeaderError = ValueError`` in 6.0.10's
``django/core/mail/message.py``, so that ``except BadHeaderError`` catches what Python's email
API raises for a header with a newline).

On hops to 6.0+ every reference (``except``, ``raise``, ``isinstance``, through any import
alias or ``mail.BadHeaderError``) is therefore the same object once spelled ``ValueError``; the
import goes when nothing else uses it.

https://docs.djangoproject.com/en/6.0/releases/6.0/#features-deprecated-in-6-0
"""

from __future__ import annotations

import ast

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python import ResolvingRuleTransformer, refers_to_any, run_rule

DOCS = "https://docs.djangoproject.com/en/6.0/releases/6.0/#features-deprecated-in-6-0"
NAMES = frozenset({"django.core.mail.BadHeaderError", "django.core.mail.message.BadHeaderError"})


class _Transformer(ResolvingRuleTransformer):
    docs = DOCS

    def visit_Import(self, node: cst.Import) -> bool:
        return False  # imports are not references; an unused one is dropped by run_rule

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def _replace(
        self, original: cst.BaseExpression, updated: cst.BaseExpression
    ) -> cst.BaseExpression:
        if self.refers_to(original, NAMES) is None:
            return updated
        self.forget(original)
        return cst.Name("ValueError", lpar=updated.lpar, rpar=updated.rpar)

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        return self._replace(original_node, updated_node)

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        return self._replace(original_node, updated_node)


def _ast_may_rewrite(tree: ast.Module) -> bool:
    return refers_to_any(tree, NAMES)


def transform(source: str, context: RuleContext) -> str:
    if "BadHeaderError" not in source:
        return source
    return run_rule(source, context, _Transformer, ast_check=_ast_may_rewrite)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=Version("6.0"),
        summary="django.core.mail.BadHeaderError -> ValueError (the same class on 6.0)",
        docs=DOCS,
        transform=transform,
        needles=(b"BadHeaderError",),
    )
)
