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


class SuperCallArg(cst.CSTTransformer):
    """``super().<method>(a, b)`` with ``len(before)`` plain arguments -> ``(a, b, <name>)``.

    Shared by the rules that add a parameter a method must pass on to ``super()``."""

    def __init__(self, method: str, positional: int, name: str) -> None:
        super().__init__()
        self.method, self.positional, self.name = method, positional, name

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        func = updated_node.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value == self.method
            and isinstance(func.value, cst.Call)
            and dotted_name(func.value.func) == "super"
            and len(updated_node.args) == self.positional
            and all(arg.keyword is None and not arg.star for arg in updated_node.args)
        ):
            arg = cst.Arg(cst.Name(self.name))
            return updated_node.with_changes(args=append_arg(updated_node, arg))
        return updated_node


def add_defaulted_parameter(
    node: cst.FunctionDef, positional: int, name: str, method: str
) -> cst.FunctionDef | None:
    """``def m(self, a)`` (``positional`` parameters, self included) -> ``def m(self, a,
    name=None)``, passing ``name`` on in ``super().m(a)`` calls; None when the signature is not
    exactly that (``*args``, keyword-only, another count)."""
    params = node.params
    if (
        len(params.params) != positional
        or params.posonly_params
        or params.kwonly_params
        or not isinstance(params.star_arg, cst.MaybeSentinel)
        or params.star_kwarg is not None
    ):
        return None
    last = params.params[-1]
    added = cst.Param(
        name=cst.Name(name),
        default=cst.Name("None"),
        equal=cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(""),
            whitespace_after=cst.SimpleWhitespace(""),
        ),
        comma=last.comma,
    )
    new_params = [
        *params.params[:-1],
        last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))),
        added,
    ]
    body = node.body.visit(SuperCallArg(method, positional - 1, name))
    assert isinstance(body, cst.BaseSuite)
    return node.with_changes(params=params.with_changes(params=new_params), body=body)


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
        changed = add_defaulted_parameter(updated_node, 2, "obj", "has_add_permission")
        return updated_node if changed is None else changed


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
