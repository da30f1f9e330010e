"""``x.get_joining_columns()`` -> the column pairs of ``x.get_joining_fields()``: Django 5.0
deprecated ``get_joining_columns()`` / ``get_reverse_joining_columns()`` of ``ForeignObject``
and ``ForeignObjectRel``, 6.0 removed them.

In 5.0-5.2 ``get_joining_columns(reverse_join=False)`` is
``tuple((lhs.column, rhs.column) for lhs, rhs in <the fields get_joining_fields(reverse_join)
returns>)``, ``get_reverse_joining_columns()`` the same over ``get_reverse_joining_fields()``,
and ``ForeignObjectRel``'s pair delegates to its field's reverse pair (checked in 5.2.19's
``related.py`` and ``reverse_related.py``). Calls are rewritten to exactly that expression;
overrides of the old methods (Django 6.0 never calls them) stay the scanner's manual item.

https://docs.djangoproject.com/en/5.0/releases/5.0/#features-deprecated-in-5-0
"""

from __future__ import annotations

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python import PythonRuleTransformer, run_rule

DOCS = "https://docs.djangoproject.com/en/5.0/releases/5.0/#features-deprecated-in-5-0"
RENAMES = {
    "get_joining_columns": "get_joining_fields",
    "get_reverse_joining_columns": "get_reverse_joining_fields",
}


def _columns_of(fields: cst.Call) -> cst.Call:
    """``tuple((lhs.column, rhs.column) for lhs, rhs in fields)``."""
    pair = cst.Tuple(
        [
            cst.Element(cst.Attribute(cst.Name("lhs"), cst.Name("column"))),
            cst.Element(cst.Attribute(cst.Name("rhs"), cst.Name("column"))),
        ]
    )
    target = cst.Tuple(
        [cst.Element(cst.Name("lhs")), cst.Element(cst.Name("rhs"))], lpar=[], rpar=[]
    )
    generator = cst.GeneratorExp(
        elt=pair, for_in=cst.CompFor(target=target, iter=fields), lpar=[], rpar=[]
    )
    return cst.Call(func=cst.Name("tuple"), args=[cst.Arg(generator)])


class _Transformer(PythonRuleTransformer):
    docs = DOCS

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        func = updated_node.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in RENAMES:
            return updated_node
        args = updated_node.args
        if func.attr.value == "get_reverse_joining_columns" and args:
            return updated_node
        if any(
            a.star or (a.keyword is not None and a.keyword.value != "reverse_join") for a in args
        ):
            return updated_node
        if len(args) > 1:
            return updated_node
        fields = updated_node.with_changes(
            func=func.with_changes(attr=cst.Name(RENAMES[func.attr.value])), lpar=[], rpar=[]
        )
        return _columns_of(fields).with_changes(lpar=updated_node.lpar, rpar=updated_node.rpar)


def transform(source: str, context: RuleContext) -> str:
    if "joining_columns(" not in source:
        return source
    return run_rule(source, context, _Transformer)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=Version("5.0"),
        summary="x.get_joining_columns() -> tuple((l.column, r.column) for l, r in x.get_joining_fields())",
        docs=DOCS,
        transform=transform,
        needles=(b"joining_columns(",),
    )
)
