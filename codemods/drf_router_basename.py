"""Rename Django REST framework's router ``base_name`` to ``basename`` (DRF 3.9).

DRF 3.9 deprecated ``router.register(prefix, viewset, base_name=...)`` in favour of
``basename=...`` and the router method ``get_default_base_name`` in favour of
``get_default_basename``; 3.11 removed the old names. Calls are renamed when the receiver's name
contains ``router`` (``router``, ``api_router``, ``self.router``); methods when the class has a
base whose name ends in ``Router``.

https://www.django-rest-framework.org/community/release-notes/#390
"""

from __future__ import annotations

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python import PythonRuleTransformer, last_identifier, rename_method, run_rule

DOCS = "https://www.django-rest-framework.org/community/release-notes/#390"
OLD_METHOD, NEW_METHOD = "get_default_base_name", "get_default_basename"


class _Transformer(PythonRuleTransformer):
    docs = DOCS

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        func = original_node.func
        if not (
            isinstance(func, cst.Attribute)
            and func.attr.value == "register"
            and "router" in (last_identifier(func.value) or "").lower()
        ):
            return updated_node
        keywords = {a.keyword.value for a in updated_node.args if a.keyword is not None}
        if "base_name" not in keywords or "basename" in keywords:
            return updated_node
        args = [
            a.with_changes(keyword=cst.Name("basename"))
            if a.keyword is not None and a.keyword.value == "base_name"
            else a
            for a in updated_node.args
        ]
        return updated_node.with_changes(args=args)

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.ClassDef:
        if not any(
            (last_identifier(b.value) or "").endswith("Router") for b in original_node.bases
        ):
            return updated_node
        if not isinstance(updated_node.body, cst.IndentedBlock):
            return updated_node
        names = {s.name.value for s in updated_node.body.body if isinstance(s, cst.FunctionDef)}
        if OLD_METHOD not in names or NEW_METHOD in names:
            return updated_node
        body = [
            rename_method(s, NEW_METHOD)
            if isinstance(s, cst.FunctionDef) and s.name.value == OLD_METHOD
            else s
            for s in updated_node.body.body
        ]
        return updated_node.with_changes(body=updated_node.body.with_changes(body=body))


def transform(source: str, context: RuleContext) -> str:
    return run_rule(source, context, _Transformer)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="package",
        package="djangorestframework",
        version=Version("3.9"),
        summary="router.register(..., base_name=) -> basename=; get_default_base_name -> get_default_basename",
        docs=DOCS,
        transform=transform,
        needles=(b"base_name",),
    )
)
