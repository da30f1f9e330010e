"""Rename django-filter's ``Filter(name=...)`` argument to ``field_name=`` (django-filter 2.0).

django-filter 2.0 renamed the filter argument ``name`` to ``field_name`` without a transition:
an old ``name=`` is passed on to the form field and breaks the filter set. Every call of a
django-filter filter class (``django_filters.CharFilter(name="title")``,
``filters.NumberFilter(name="price", lookup_expr="gte")`` with ``from django_filters import
rest_framework as filters``...) is renamed; classes from other modules are left alone.

https://django-filter.readthedocs.io/en/stable/guide/migration.html#migrating-to-2-0
"""

from __future__ import annotations

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python import ResolvingRuleTransformer, run_rule

DOCS = "https://django-filter.readthedocs.io/en/stable/guide/migration.html#migrating-to-2-0"


class _Transformer(ResolvingRuleTransformer):
    docs = DOCS

    def _is_filter_class(self, func: cst.BaseExpression) -> bool:
        return any(
            name.startswith("django_filters.") and name.endswith("Filter")
            for name in self.qualified_names(func)
        )

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        keywords = {a.keyword.value for a in original_node.args if a.keyword is not None}
        if "name" not in keywords or "field_name" in keywords:
            return updated_node
        if not isinstance(original_node.func, (cst.Name, cst.Attribute)):
            return updated_node
        if not self._is_filter_class(original_node.func):
            return updated_node
        args = [
            a.with_changes(keyword=cst.Name("field_name"))
            if a.keyword is not None and a.keyword.value == "name"
            else a
            for a in updated_node.args
        ]
        return updated_node.with_changes(args=args)


def transform(source: str, context: RuleContext) -> str:
    return run_rule(source, context, _Transformer)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="package",
        package="django-filter",
        version=Version("2.0"),
        summary="django_filters.XFilter(name=...) -> XFilter(field_name=...)",
        docs=DOCS,
        transform=transform,
        needles=(b"django_filters",),
    )
)
