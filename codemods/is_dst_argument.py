"""``make_aware(dt, tz, is_dst=True)`` -> ``make_aware(dt, tz)``: Django 4.0 deprecated the
``is_dst`` argument of ``make_aware()``, ``QuerySet.datetimes()`` and the ``Trunc*`` functions,
and 5.0 removes it (``TypeError``).

``is_dst`` was only ever passed on to pytz's ``localize()``; Django 4.x ignores it for the
zoneinfo time zones it uses by default, and 5.0 supports no other kind, so dropping the keyword
on a hop to 5.0 keeps what the call did on 4.x. A project that still builds pytz zones has the
``pytz`` manual item of the same hop; choosing the side of an ambiguous time is ``fold``'s job
with zoneinfo. Only the keyword is dropped, with its value (a value with side effects stays
for the scanner: a call, ``**kwargs``).

https://docs.djangoproject.com/en/4.0/releases/4.0/#features-deprecated-in-4-0
"""

from __future__ import annotations

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python import ResolvingRuleTransformer, drop_arg, run_rule

DOCS = "https://docs.djangoproject.com/en/4.0/releases/4.0/#features-deprecated-in-4-0"
_TRUNC: tuple[str, ...] = ("Trunc", "TruncSecond", "TruncMinute", "TruncHour", "TruncDay")
_TRUNC += ("TruncWeek", "TruncMonth", "TruncQuarter", "TruncYear")
CALLEES = frozenset(
    {f"django.utils.timezone.{name}" for name in ("make_aware", "localtime", "localdate")}
    | {"django.utils.timezone.make_naive"}
    | {f"django.db.models.functions.{name}" for name in _TRUNC}
    | {f"django.db.models.functions.datetime.{name}" for name in _TRUNC}
)
_SIMPLE = (cst.Name, cst.Attribute, cst.Integer, cst.SimpleString)


class _Transformer(ResolvingRuleTransformer):
    docs = DOCS

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        func = original_node.func
        is_datetimes = isinstance(func, cst.Attribute) and func.attr.value == "datetimes"
        if not is_datetimes and self.refers_to(func, CALLEES) is None:
            return updated_node
        for index, arg in enumerate(updated_node.args):
            if arg.keyword is not None and arg.keyword.value == "is_dst":
                if not isinstance(arg.value, _SIMPLE):
                    return updated_node  # evaluating it may matter
                return updated_node.with_changes(args=drop_arg(updated_node.args, index))
        return updated_node


def transform(source: str, context: RuleContext) -> str:
    if "is_dst" not in source:
        return source
    return run_rule(source, context, _Transformer)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=Version("5.0"),
        summary="make_aware()/Trunc*()/.datetimes(..., is_dst=...) -> without is_dst",
        docs=DOCS,
        transform=transform,
        needles=(b"is_dst",),
    )
)
