"""Replace ``django.utils.datetime_safe``, deprecated in Django 4.0 and removed in 5.0.

The module's ``date`` and ``datetime`` subclassed the standard library classes only so that
``strftime()`` zero-pads years before 1000 the same on every platform; they become
``datetime.date``/``datetime.datetime`` (``from django.utils.datetime_safe import datetime`` ->
``from datetime import datetime``, ``datetime_safe.date`` -> ``datetime.date``). The only
difference is ``%Y`` for years < 1000, which Django itself stopped caring about.
``new_date()``, ``new_datetime()`` and ``strftime()`` become manual items (use the object itself,
or ``django.utils.formats.sanitize_strftime_format`` for the padding).

https://docs.djangoproject.com/en/4.0/releases/4.0/#features-deprecated-in-4-0
"""

from __future__ import annotations

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python import ResolvingRuleTransformer, dotted_name, run_rule

DOCS = "https://docs.djangoproject.com/en/4.0/releases/4.0/#features-deprecated-in-4-0"
MODULE = "django.utils.datetime_safe"
CLASSES = frozenset({"date", "datetime"})


def _module_name(node: cst.ImportFrom) -> str | None:
    return None if node.relative or node.module is None else dotted_name(node.module)


class _Transformer(ResolvingRuleTransformer):
    docs = DOCS

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def leave_ImportFrom(
        self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
    ) -> cst.ImportFrom:
        """``from django.utils.datetime_safe import date, datetime`` -> ``from datetime import ...``."""
        if _module_name(original_node) != MODULE or isinstance(original_node.names, cst.ImportStar):
            return updated_node
        names = [
            alias.name.value for alias in original_node.names if isinstance(alias.name, cst.Name)
        ]
        if len(names) != len(original_node.names) or not set(names) <= CLASSES:
            return updated_node  # new_date & co. stay, and are reported where used
        return updated_node.with_changes(module=cst.Name("datetime"))

    def _member(self, node: cst.Name | cst.Attribute) -> str | None:
        """``X`` when ``node`` is ``django.utils.datetime_safe.X`` (one level, not deeper)."""
        for name in self.qualified_names(node):
            module, _, member = name.rpartition(".")
            if module == MODULE:
                return member
        return None

    def _note(self, node: cst.CSTNode, member: str) -> None:
        self.note(
            node,
            f"{MODULE}.{member} was removed in Django 5.0: use the date/datetime object itself "
            "(django.utils.formats.sanitize_strftime_format pads years < 1000)",
        )

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        member = self._member(original_node)
        if member is None:
            return updated_node
        if member not in CLASSES:
            self._note(original_node, member)
            return updated_node
        self.forget(original_node)
        replacement = self.reference(original_node, "datetime", member)
        return replacement.with_changes(lpar=updated_node.lpar, rpar=updated_node.rpar)

    def visit_Name(self, node: cst.Name) -> None:
        parent = self.parent(node)
        if isinstance(parent, cst.Attribute) and parent.attr is node:
            return
        member = self._member(node)
        if member is not None and member not in CLASSES:
            self._note(node, member)  # ``from django.utils.datetime_safe import new_date``


def transform(source: str, context: RuleContext) -> str:
    return run_rule(source, context, _Transformer)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=Version("4.0"),
        summary="django.utils.datetime_safe.date/datetime -> datetime.date/datetime",
        docs=DOCS,
        transform=transform,
        needles=(b"datetime_safe",),
    )
)
