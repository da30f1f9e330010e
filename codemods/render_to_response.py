"""``render_to_response(template, context)`` -> ``render(request, template, context)``.

``django.shortcuts.render_to_response`` was deprecated in Django 2.0 and removed in 3.0.
django-upgrade's ``render_to_response`` fixer makes the same rewrite but leaves the whole module
alone when ``render`` is already imported (the common ``from django.shortcuts import render,
render_to_response``); this rule covers what it leaves. Like django-upgrade, a call is rewritten
only inside a function whose first parameter (after ``self``/``cls`` in a method) is ``request``;
other calls become a manual item.

https://docs.djangoproject.com/en/2.0/releases/2.0/#features-deprecated-in-2-0
"""

from __future__ import annotations

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python import ResolvingRuleTransformer, import_targets, parse_ast, run_rule

DOCS = "https://docs.djangoproject.com/en/2.0/releases/2.0/#features-deprecated-in-2-0"
OLD = "django.shortcuts.render_to_response"


def _request_parameter(function: cst.FunctionDef) -> bool:
    params = [p.name.value for p in (*function.params.posonly_params, *function.params.params)]
    if params and params[0] in ("self", "cls"):
        params = params[1:]
    return bool(params) and params[0] == "request"


class _Transformer(ResolvingRuleTransformer):
    docs = DOCS

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.functions: list[cst.FunctionDef] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.functions.append(node)

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        self.functions.pop()
        return updated_node

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if not self.refers_to(original_node.func, {OLD}):
            return updated_node
        rewritable = (
            self.functions
            and _request_parameter(self.functions[-1])
            and original_node.args
            and not any(arg.star for arg in original_node.args)
        )
        if not rewritable:
            self.note(
                original_node,
                "render_to_response() was removed in Django 3.0: call "
                "render(request, template_name, context) with the view's request",
            )
            return updated_node
        self.forget(original_node.func)
        render = self.reference(original_node, "django.shortcuts", "render", prefer_from=True)
        first = updated_node.args[0]
        request = cst.Arg(
            value=cst.Name("request"),
            comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")),
        )
        if first.keyword is not None:
            request = request.with_changes(keyword=None)
        return updated_node.with_changes(func=render, args=[request, *updated_node.args])


def _may_refer_to_old(source: str) -> bool:
    """Whether an import in ``source`` may bind ``render_to_response`` (decided on ``ast``: a
    class-based view's ``self.render_to_response`` is no reason for a libcst scope analysis)."""
    tree = parse_ast(source)
    if tree is None:
        return True
    return any(
        target == OLD or OLD.startswith(f"{target}.")
        for targets in import_targets(tree).values()
        for target in targets
    )


def transform(source: str, context: RuleContext) -> str:
    if not _may_refer_to_old(source):
        return source
    return run_rule(source, context, _Transformer)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=Version("3.0"),
        summary="render_to_response(t, c) -> render(request, t, c) where django-upgrade leaves it",
        docs=DOCS,
        transform=transform,
        needles=(b"render_to_response",),
    )
)
