"""``def has_add_permission(self, request)`` on an inline -> ``(self, request, obj=None)``:
Django 3.0 passes the parent object to ``InlineModelAdmin.has_add_permission()`` (deprecated
without it in 2.1) and its own method requires it.

The new parameter defaults to ``None`` so direct calls with ``request`` alone keep working, and
``super().has_add_permission(request)`` inside the method passes ``obj`` on. Only methods of
classes with a base named ``*Inline`` are changed, and only when ``obj`` is not taken already.

https://docs.djangoproject.com/en/2.1/releases/2.1/#features-deprecated-in-2-1
"""

from __future__ import annotations

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python import PythonRuleTransformer, append_arg, dotted_name, run_rule

DOCS = "https://docs.djangoproject.com/en/2.1/releases/2.1/#features-deprecated-in-2-1"


class _SuperCalls(cst.CSTTransformer):
    """``super().has_add_permission(request)`` -> ``(request, obj)``."""

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        func = updated_node.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value == "has_add_permission"
            and isinstance(func.value, cst.Call)
            and dotted_name(func.value.func) == "super"
            and len(updated_node.args) == 1
            and updated_node.args[0].keyword is None
            and not updated_node.args[0].star
        ):
            return updated_node.with_changes(
                args=append_arg(updated_node, cst.Arg(cst.Name("obj")))
            )
        return updated_node


class _Transformer(PythonRuleTransformer):
    docs = DOCS

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._inline: list[bool] = []

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        bases = [(dotted_name(base.value) or "").rpartition(".")[2] for base in node.bases]
        self._inline.append(any(base.endswith("Inline") for base in bases))

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.ClassDef:
        self._inline.pop()
        return updated_node

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        if updated_node.name.value != "has_add_permission" or not (
            self._inline and self._inline[-1]
        ):
            return updated_node
        params = updated_node.params
        if (
            len(params.params) != 2
            or params.posonly_params
            or params.kwonly_params
            or not isinstance(params.star_arg, cst.MaybeSentinel)
            or params.star_kwarg is not None
        ):
            return updated_node
        last = params.params[-1]
        obj = cst.Param(
            name=cst.Name("obj"),
            default=cst.Name("None"),
            equal=cst.AssignEqual(
                whitespace_before=cst.SimpleWhitespace(""),
                whitespace_after=cst.SimpleWhitespace(""),
            ),
            comma=last.comma,
        )
        new_params = [
            params.params[0],
            last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))),
            obj,
        ]
        body = updated_node.body.visit(_SuperCalls())
        assert isinstance(body, cst.BaseSuite)
        return updated_node.with_changes(params=params.with_changes(params=new_params), body=body)


def transform(source: str, context: RuleContext) -> str:
    return run_rule(source, context, _Transformer)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=Version("3.0"),
        summary="Inline has_add_permission(self, request) -> (self, request, obj=None)",
        docs=DOCS,
        transform=transform,
        needles=(b"has_add_permission",),
    )
)
