"""Rules of one shape: a method of classes on a known base gains a defaulted parameter, passed on
in its ``super()`` calls (:class:`DefaultedParameterTransformer`). Not a rule: the module name
starts with ``_``.
"""

from __future__ import annotations

import ast
from typing import ClassVar

import libcst as cst

from codemods import RuleContext
from codemods._python_ast import has_method
from codemods._python_edits import append_arg, dotted_name
from codemods._python_imports import CodemodContext
from codemods._python_transformers import PythonRuleTransformer


class SuperCallArg(cst.CSTTransformer):
    """``super().<method>(a, b)`` with ``len(before)`` plain arguments -> ``(a, b, <name>)``.

    Used by :class:`DefaultedParameterTransformer`."""

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


class DefaultedParameterTransformer(PythonRuleTransformer):
    """A method of classes whose base name ends with ``base_suffix`` gains ``parameter=None``.

    ``def <method>(self, a)`` (``positional`` parameters, self included) in, e.g., a class whose
    base is ``...Inline`` becomes ``def <method>(self, a, <parameter>=None)``, passing it on in
    ``super().<method>(a)``: the shape of Django's admin hooks that gained an argument.
    """

    method: ClassVar[str] = ""
    base_suffix: ClassVar[str] = ""
    positional: ClassVar[int] = 0
    parameter: ClassVar[str] = ""

    @classmethod
    def ast_check(cls, tree: ast.Module) -> bool:
        """Whether ``tree`` has a ``method`` of that signature (for ``run_rule``'s ``ast_check``)."""
        return has_method(tree, cls.method, cls.positional)

    def __init__(self, context: CodemodContext, rule_context: RuleContext) -> None:
        super().__init__(context, rule_context)
        self._matching_class: list[bool] = []  # per enclosing class: does a base match?

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        bases = [(dotted_name(base.value) or "").rpartition(".")[2] for base in node.bases]
        self._matching_class.append(any(base.endswith(self.base_suffix) for base in bases))

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.ClassDef:
        self._matching_class.pop()
        return updated_node

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        if updated_node.name.value != self.method or not (
            self._matching_class and self._matching_class[-1]
        ):
            return updated_node
        changed = add_defaulted_parameter(
            updated_node, self.positional, self.parameter, self.method
        )
        return updated_node if changed is None else changed
