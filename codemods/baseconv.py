"""Replace ``django.utils.baseconv``, deprecated in Django 4.0 and removed in 5.0.

Django's signing code moved to ``django.core.signing.b62_encode``/``b62_decode``, which use the
same alphabet and sign handling as ``baseconv.base62``: ``base62.encode(n)`` ->
``b62_encode(n)`` and ``base62.decode(s)`` -> ``b62_decode(s)`` are exact for integers (the
documented use; ``base62.encode`` also accepted digit strings). The other converters
(``base2``/``base16``/``base36``/``base56``/``base64``, ``BaseConverter``) have no replacement in
Django: each use becomes a manual item (copy the module, or use a package such as
``python-baseconv``).

https://docs.djangoproject.com/en/4.0/releases/4.0/#features-deprecated-in-4-0
"""

from __future__ import annotations

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python import CodemodContext, ResolvingRuleTransformer, run_rule

DOCS = "https://docs.djangoproject.com/en/4.0/releases/4.0/#features-deprecated-in-4-0"
MODULE = "django.utils.baseconv"
REPLACEMENTS = {f"{MODULE}.base62.encode": "b62_encode", f"{MODULE}.base62.decode": "b62_decode"}


class _Transformer(ResolvingRuleTransformer):
    docs = DOCS

    def __init__(self, context: CodemodContext, rule_context: RuleContext) -> None:
        super().__init__(context, rule_context)
        self.handled: set[cst.CSTNode] = set()

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def visit_Call(self, node: cst.Call) -> None:
        if (
            isinstance(node.func, (cst.Name, cst.Attribute))
            and len(node.args) == 1
            and not node.args[0].keyword
            and not node.args[0].star
            and self.refers_to(node.func, REPLACEMENTS)
        ):
            self.handled.add(node.func)

    def _note_other_use(self, node: cst.Name | cst.Attribute) -> bool:
        if node in self.handled:
            return False  # its children are part of the handled call
        parent = self.parent(node)
        if isinstance(parent, cst.Attribute) and parent.value is node:
            return True  # the longest chain is reported, not each prefix
        if isinstance(parent, cst.Attribute) and parent.attr is node:
            return False
        names = [n for n in self.qualified_names(node) if n.startswith(f"{MODULE}.") or n == MODULE]
        if names:
            self.note(
                node,
                f"{names[0]} was removed in Django 5.0 and has no replacement in Django: "
                "copy the converter into the project or use a package such as python-baseconv",
            )
            return False
        return True

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        return self._note_other_use(node)

    def visit_Name(self, node: cst.Name) -> bool:
        return self._note_other_use(node)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if original_node.func not in self.handled:
            return updated_node
        old = self.refers_to(original_node.func, REPLACEMENTS)
        assert old is not None
        self.forget(original_node.func)
        func = self.reference(
            original_node, "django.core.signing", REPLACEMENTS[old], prefer_from=True
        )
        return updated_node.with_changes(func=func)


def transform(source: str, context: RuleContext) -> str:
    return run_rule(source, context, _Transformer)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=Version("4.0"),
        summary="baseconv.base62.encode/decode -> django.core.signing.b62_encode/b62_decode",
        docs=DOCS,
        transform=transform,
        needles=(b"baseconv",),
    )
)
