"""``x.get_prefetch_queryset(instances, queryset)`` -> ``x.get_prefetch_querysets(instances,
[queryset])``: Django 5.0 deprecated ``get_prefetch_queryset()`` of the related descriptors,
managers and ``GenericForeignKey``, 6.0 removed it.

In 5.0-5.2 every ``get_prefetch_queryset(instances, queryset=None)`` is
``self.get_prefetch_querysets(instances)`` when ``queryset`` is None, else
``self.get_prefetch_querysets(instances, [queryset])`` (checked in 5.2.19's
``related_descriptors.py`` and ``contenttypes/fields.py``). So: one argument (or a literal
``None``) -> the same call renamed; a call expression as the queryset (``Book.objects.all()``,
never None) -> ``[queryset]``; a name or attribute -> ``[q] if q is not None else None``.
Anything else, and overrides of the method (Django 6.0 never calls them), are left to the
scanner's manual item.

https://docs.djangoproject.com/en/5.0/releases/5.0/#features-deprecated-in-5-0
"""

from __future__ import annotations

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python import PythonRuleTransformer, run_rule

DOCS = "https://docs.djangoproject.com/en/5.0/releases/5.0/#features-deprecated-in-5-0"
OLD, NEW = "get_prefetch_queryset", "get_prefetch_querysets"


def _querysets(queryset: cst.BaseExpression) -> cst.BaseExpression | None:
    """``[queryset]`` as the new argument, exact for what ``queryset`` may be; None: unknown."""
    if isinstance(queryset, cst.Call):
        return cst.List([cst.Element(queryset)])
    if isinstance(queryset, (cst.Name, cst.Attribute)):
        return cst.IfExp(
            test=cst.Comparison(
                left=queryset,
                comparisons=[
                    cst.ComparisonTarget(operator=cst.IsNot(), comparator=cst.Name("None"))
                ],
            ),
            body=cst.List([cst.Element(queryset)]),
            orelse=cst.Name("None"),
        )
    return None


class _Transformer(PythonRuleTransformer):
    docs = DOCS

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        func = updated_node.func
        if not isinstance(func, cst.Attribute) or func.attr.value != OLD:
            return updated_node
        args = list(updated_node.args)
        if not args or len(args) > 2 or any(a.star for a in args):
            return updated_node
        instances = args[0]
        if instances.keyword is not None and instances.keyword.value != "instances":
            return updated_node
        renamed = func.with_changes(attr=cst.Name(NEW))
        if len(args) == 1:
            return updated_node.with_changes(func=renamed)
        queryset = args[1]
        if queryset.keyword is not None and queryset.keyword.value != "queryset":
            return updated_node
        if isinstance(queryset.value, cst.Name) and queryset.value.value == "None":
            first = instances.with_changes(comma=cst.MaybeSentinel.DEFAULT)
            return updated_node.with_changes(func=renamed, args=[first])
        querysets = _querysets(queryset.value)
        if querysets is None:
            return updated_node
        keyword = cst.Name("querysets") if queryset.keyword is not None else None
        new_arg = queryset.with_changes(value=querysets, keyword=keyword)
        return updated_node.with_changes(func=renamed, args=[instances, new_arg])


def transform(source: str, context: RuleContext) -> str:
    if OLD + "(" not in source:
        return source
    return run_rule(source, context, _Transformer)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=Version("5.0"),
        summary="x.get_prefetch_queryset(instances, qs) -> x.get_prefetch_querysets(instances, [qs])",
        docs=DOCS,
        transform=transform,
        needles=(b"get_prefetch_queryset(",),
    )
)
