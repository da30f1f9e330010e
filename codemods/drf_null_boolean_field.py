"""Replace Django REST framework's ``NullBooleanField`` (deprecated in DRF 3.12, removed in 3.14).

``serializers.NullBooleanField(...)`` becomes ``serializers.BooleanField(..., allow_null=True)``,
the replacement DRF's deprecation message gives. (One detail differs: an unbound serializer's
initial value for the field is ``False`` instead of ``None``; pass ``initial=None`` if a form
relies on it.) A call that already passes ``allow_null`` (an error for ``NullBooleanField``) is
left alone.

https://www.django-rest-framework.org/community/release-notes/#3120
"""

from __future__ import annotations

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python import ResolvingRuleTransformer, append_arg, keyword_arg, run_rule

DOCS = "https://www.django-rest-framework.org/community/release-notes/#3120"
NAMES = frozenset(
    {"rest_framework.serializers.NullBooleanField", "rest_framework.fields.NullBooleanField"}
)


class _Transformer(ResolvingRuleTransformer):
    docs = DOCS

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        func = original_node.func
        if not isinstance(func, (cst.Name, cst.Attribute)):
            return updated_node
        old = self.refers_to(func, NAMES)
        if old is None or any(
            a.star or (a.keyword and a.keyword.value == "allow_null") for a in original_node.args
        ):
            return updated_node
        if isinstance(updated_node.func, cst.Attribute):
            new_func: cst.BaseExpression = updated_node.func.with_changes(
                attr=cst.Name("BooleanField")
            )
        else:
            self.forget(func)
            new_func = self.reference(
                func, old.rpartition(".")[0], "BooleanField", prefer_from=True
            )
        args = append_arg(updated_node, keyword_arg("allow_null", cst.Name("True")))
        return updated_node.with_changes(func=new_func, args=args)


def transform(source: str, context: RuleContext) -> str:
    if "rest_framework" not in source:
        return source  # Django's own models/forms NullBooleanField is django-upgrade's
    return run_rule(source, context, _Transformer)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="package",
        package="djangorestframework",
        version=Version("3.12"),
        summary="serializers.NullBooleanField() -> serializers.BooleanField(allow_null=True)",
        docs=DOCS,
        transform=transform,
        needles=(b"NullBooleanField",),
    )
)
