"""``def from_db_value(self, value, expression, connection, context)`` -> without ``context``:
Django 3.0 stopped passing it (deprecated in 2.0, where it was always an empty dict).

The parameter is dropped only when the method's body never reads it; otherwise a manual item
says so. Methods with ``*args``/``**kwargs`` or another number of parameters are left alone.

https://docs.djangoproject.com/en/2.0/releases/2.0/#features-deprecated-in-2-0
"""

from __future__ import annotations

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python import PythonRuleTransformer, has_method, run_rule

DOCS = "https://docs.djangoproject.com/en/2.0/releases/2.0/#features-deprecated-in-2-0"


class _Names(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node.value)


class _Transformer(PythonRuleTransformer):
    docs = DOCS

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        if updated_node.name.value != "from_db_value":
            return updated_node
        if not isinstance(self.parent(original_node), cst.IndentedBlock):
            return updated_node
        params = updated_node.params
        if (
            len(params.params) != 5
            or params.posonly_params
            or params.kwonly_params
            or not isinstance(params.star_arg, cst.MaybeSentinel)
            or params.star_kwarg is not None
        ):
            return updated_node
        last = params.params[-1]
        names = _Names()
        updated_node.body.visit(names)
        if last.name.value in names.names:
            self.note(
                original_node,
                f"from_db_value() reads `{last.name.value}`, which Django 3.0 no longer passes: "
                "drop the parameter and its use",
            )
            return updated_node
        kept = list(params.params[:-1])
        kept[-1] = kept[-1].with_changes(comma=last.comma)
        return updated_node.with_changes(params=params.with_changes(params=kept))


def transform(source: str, context: RuleContext) -> str:
    return run_rule(
        source, context, _Transformer, ast_check=lambda tree: has_method(tree, "from_db_value", 5)
    )


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=Version("3.0"),
        summary="from_db_value(self, value, expression, connection, context) -> without context",
        docs=DOCS,
        transform=transform,
        needles=(b"from_db_value",),
    )
)
