"""Replace Django REST framework's ``@list_route``/``@detail_route`` with ``@action``.

DRF 3.8 added ``@action(detail=...)`` and deprecated the two decorators; 3.10 removed them.
``@list_route(...)`` becomes ``@action(detail=False, ...)`` and ``@detail_route(...)`` becomes
``@action(detail=True, ...)``; the import from ``rest_framework.decorators`` follows.

One behaviour differs: the old decorators derived the default route name (``url_name``) from
``url_path``, ``@action`` derives it from the method name. When ``url_path`` is a string literal
and ``url_name`` is not given, ``url_name`` is added with the old value so ``reverse()`` names do
not change; when ``url_path`` is not a literal, a manual item is reported.

https://www.django-rest-framework.org/community/3.8-announcement/#action-decorator-replaces-list_route-and-detail_route
"""

from __future__ import annotations

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._base import string_literal, string_value
from codemods._python import ResolvingRuleTransformer, append_arg, keyword_arg, run_rule

DOCS = (
    "https://www.django-rest-framework.org/community/3.8-announcement/"
    "#action-decorator-replaces-list_route-and-detail_route"
)
MODULE = "rest_framework.decorators"
DETAIL = {f"{MODULE}.list_route": False, f"{MODULE}.detail_route": True}


class _Transformer(ResolvingRuleTransformer):
    docs = DOCS
    quotes_like = ""

    def visit_Module(self, node: cst.Module) -> None:
        self.quotes_like = node.code

    def leave_Decorator(
        self, original_node: cst.Decorator, updated_node: cst.Decorator
    ) -> cst.Decorator:
        call = original_node.decorator
        if not isinstance(call, cst.Call):
            if self.refers_to(call, DETAIL):
                self.note(
                    original_node,
                    "list_route/detail_route used without (): use @action(detail=...)",
                )
            return updated_node
        old = self.refers_to(call.func, DETAIL)
        if old is None:
            return updated_node
        new_call = updated_node.decorator
        assert isinstance(new_call, cst.Call)
        self.forget(call.func)
        if isinstance(new_call.func, cst.Attribute):
            func: cst.BaseExpression = new_call.func.with_changes(attr=cst.Name("action"))
        else:
            func = self.reference(call.func, MODULE, "action", prefer_from=True)
        args = list(new_call.args)
        positional = sum(1 for a in args if a.keyword is None and not a.star)
        detail = keyword_arg("detail", cst.Name(str(DETAIL[old])))
        if positional < len(args):
            # same separator as the argument it goes before: keeps one-per-line calls that way
            following = args[positional].comma
            detail = detail.with_changes(
                comma=following
                if isinstance(following, cst.Comma)
                else cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
            )
        args.insert(positional, detail)
        if positional and positional == len(args) - 1:
            # detail went last: the argument before it needs a comma, detail takes over its own
            previous = args[positional - 1]
            args[positional] = args[positional].with_changes(comma=previous.comma)
            args[positional - 1] = previous.with_changes(
                comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
            )
        keywords = {a.keyword.value: a for a in args if a.keyword is not None}
        if "url_path" in keywords and "url_name" not in keywords:
            path = string_value(keywords["url_path"].value)
            if path is None:
                self.note(
                    original_node,
                    "url_path is not a literal: @action names the route after the method, "
                    "add url_name=<url_path with '-' for '_'> to keep reverse() names",
                )
            else:
                name = cst.SimpleString(string_literal(path.replace("_", "-"), self.quotes_like))
                args = append_arg(new_call.with_changes(args=args), keyword_arg("url_name", name))
        return updated_node.with_changes(decorator=new_call.with_changes(func=func, args=args))


def transform(source: str, context: RuleContext) -> str:
    return run_rule(source, context, _Transformer)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="package",
        package="djangorestframework",
        version=Version("3.8"),
        summary="@list_route/@detail_route -> @action(detail=False/True)",
        docs=DOCS,
        transform=transform,
        needles=(b"list_route", b"detail_route"),
    )
)
