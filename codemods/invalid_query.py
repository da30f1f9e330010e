"""``except InvalidQuery`` -> ``except (FieldDoesNotExist, FieldError)``: Django 3.1 deprecated
``django.db.models.query_utils.InvalidQuery`` and 4.0 removed it.

Since 3.1 Django raises ``FieldDoesNotExist`` (``raw()`` without the primary key) or
``FieldError`` (``select_related()`` on a deferred field) where it raised ``InvalidQuery``, and
``InvalidQuery``'s metaclass makes ``except InvalidQuery`` catch exactly those two (checked in
3.2.25's ``django/db/models/query_utils.py``): on hops to 3.1+ the handler catches the same
exceptions. ``except (InvalidQuery, X)`` keeps ``X``. Other uses (``raise InvalidQuery``,
``isinstance``) are left to the scanner's manual item.

https://docs.djangoproject.com/en/3.1/releases/3.1/#features-deprecated-in-3-1
"""

from __future__ import annotations

import ast

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python import ResolvingRuleTransformer, import_targets, may_refer_to, run_rule

DOCS = "https://docs.djangoproject.com/en/3.1/releases/3.1/#features-deprecated-in-3-1"
NAMES = frozenset(
    {"django.db.models.query_utils.InvalidQuery", "django.db.models.query.InvalidQuery"}
)
REPLACEMENTS = ("FieldDoesNotExist", "FieldError")


class _Transformer(ResolvingRuleTransformer):
    docs = DOCS

    def leave_ExceptHandler(
        self, original_node: cst.ExceptHandler, updated_node: cst.ExceptHandler
    ) -> cst.ExceptHandler:
        original, updated = original_node.type, updated_node.type
        if original is None or updated is None:
            return updated_node
        if isinstance(original, cst.Tuple) and isinstance(updated, cst.Tuple):
            pairs = list(zip(original.elements, updated.elements, strict=True))
        else:
            pairs = [(cst.Element(original), cst.Element(updated))]
        hits = [self.refers_to(o.value, NAMES) is not None for o, _ in pairs]
        if not any(hits) or any(isinstance(o, cst.StarredElement) for o, _ in pairs):
            return updated_node
        elements: list[cst.BaseExpression] = []
        for (old, new), hit in zip(pairs, hits, strict=True):
            if not hit:
                elements.append(new.value)
                continue
            self.forget(old.value)
            for name in REPLACEMENTS:
                reference = self.reference(
                    original_node, "django.core.exceptions", name, prefer_from=True
                )
                if not any(e.deep_equals(reference) for e in elements):
                    elements.append(reference)
        tuple_node = cst.Tuple([cst.Element(e) for e in elements])
        whitespace = updated_node.whitespace_after_except
        if isinstance(whitespace, cst.SimpleWhitespace) and not whitespace.value:
            whitespace = cst.SimpleWhitespace(" ")  # ``except(InvalidQuery):``
        return updated_node.with_changes(type=tuple_node, whitespace_after_except=whitespace)


def _ast_may_rewrite(tree: ast.Module) -> bool:
    targets = import_targets(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.ExceptHandler) and node.type is not None:
            types = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
            if any(may_refer_to(t, targets, NAMES) for t in types):
                return True
    return False


def transform(source: str, context: RuleContext) -> str:
    if "InvalidQuery" not in source:
        return source
    return run_rule(source, context, _Transformer, ast_check=_ast_may_rewrite)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=Version("3.1"),
        summary="except InvalidQuery -> except (FieldDoesNotExist, FieldError)",
        docs=DOCS,
        transform=transform,
        needles=(b"InvalidQuery",),
    )
)
