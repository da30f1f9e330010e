"""``ArrayAgg("x")`` -> ``ArrayAgg("x", default=Value([]))``: Django 5.0 made the PostgreSQL
aggregates ``ArrayAgg``, ``JSONBAgg`` and ``StringAgg`` return ``None`` over no rows (deprecated
in 4.0); before, they returned ``[]``, ``'[]'`` and ``''``.

Adding the old empty value as ``default=`` is what the 4.0 release notes prescribe and keeps
every result as it was (``default`` exists from Django 4.0, the rule's version). Calls that pass
``default`` already, or ``**kwargs`` that might, are left alone.

https://docs.djangoproject.com/en/4.0/releases/4.0/#features-deprecated-in-4-0
"""

from __future__ import annotations

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python import ResolvingRuleTransformer, append_arg, keyword_arg, run_rule

DOCS = "https://docs.djangoproject.com/en/4.0/releases/4.0/#features-deprecated-in-4-0"
EMPTY: dict[str, str] = {
    "django.contrib.postgres.aggregates.ArrayAgg": "[]",
    "django.contrib.postgres.aggregates.general.ArrayAgg": "[]",
    "django.contrib.postgres.aggregates.JSONBAgg": "'[]'",
    "django.contrib.postgres.aggregates.general.JSONBAgg": "'[]'",
    "django.contrib.postgres.aggregates.StringAgg": "''",
    "django.contrib.postgres.aggregates.general.StringAgg": "''",
}


class _Transformer(ResolvingRuleTransformer):
    docs = DOCS

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        name = self.refers_to(original_node.func, EMPTY)
        if name is None:
            return updated_node
        if any(
            arg.star == "**" or (arg.keyword and arg.keyword.value == "default")
            for arg in updated_node.args
        ):
            return updated_node
        value = self.reference(original_node, "django.db.models", "Value", prefer_from=True)
        default = cst.Call(func=value, args=[cst.Arg(cst.parse_expression(EMPTY[name]))])
        return updated_node.with_changes(
            args=append_arg(updated_node, keyword_arg("default", default))
        )


def transform(source: str, context: RuleContext) -> str:
    return run_rule(source, context, _Transformer)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=Version("4.0"),
        summary="ArrayAgg/JSONBAgg/StringAgg(...) -> (..., default=Value([] / '[]' / ''))",
        docs=DOCS,
        transform=transform,
        needles=(b"ArrayAgg", b"JSONBAgg", b"StringAgg"),
    )
)
