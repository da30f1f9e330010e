"""Remove ``"SERIALIZE"`` from a database's ``TEST`` dict: deprecated in Django 4.0, removed in
5.0 (an unknown ``TEST`` key is ignored, a removed one is a deprecation warning on 4.x).

Since 4.0 the test runner serializes a test database only for the test cases that set
``serialized_rollback = True``, which is what 5.0 always does without the key. ``True`` (the
default) therefore changes nothing when removed; ``False`` only ever mattered to such test
cases, whose rollback it broke, so the report's note names the line. Only literal dicts under a
``"TEST"`` key are edited, keeping the other keys and the layout.

https://docs.djangoproject.com/en/4.0/releases/4.0/#features-deprecated-in-4-0
"""

from __future__ import annotations

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._base import docs_note, string_value
from codemods._python import PythonRuleTransformer, run_rule

DOCS = "https://docs.djangoproject.com/en/4.0/releases/4.0/#features-deprecated-in-4-0"
KEY = "SERIALIZE"


def _key(element: cst.BaseDictElement) -> str | None:
    return string_value(element.key) if isinstance(element, cst.DictElement) else None


class _Transformer(PythonRuleTransformer):
    docs = DOCS

    def leave_DictElement(
        self, original_node: cst.DictElement, updated_node: cst.DictElement
    ) -> cst.DictElement:
        value = updated_node.value
        if _key(updated_node) != "TEST" or not isinstance(value, cst.Dict):
            return updated_node
        elements = list(value.elements)
        index = next((i for i, e in enumerate(elements) if _key(e) == KEY), None)
        if index is None:
            return updated_node
        removed = elements.pop(index)
        if isinstance(removed, cst.DictElement) and not (
            isinstance(removed.value, cst.Name) and removed.value.value == "True"
        ):
            self.rule_context.notes.append(
                docs_note(
                    self.rule_context.filename,
                    self.line(original_node),
                    f"TEST['{KEY}'] removed (Django 5.0 serializes a test database only for "
                    "test cases with serialized_rollback = True)",
                    DOCS,
                )
            )
        if elements and index == len(elements):  # the last one went: its comma goes on
            elements[-1] = elements[-1].with_changes(comma=removed.comma)
        return updated_node.with_changes(value=value.with_changes(elements=elements))


def transform(source: str, context: RuleContext) -> str:
    if not context.is_settings or KEY not in source:
        return source
    return run_rule(source, context, _Transformer)


RULE = register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="settings",
        scope="django",
        version=Version("5.0"),
        summary="Remove TEST['SERIALIZE'] from DATABASES",
        docs=DOCS,
        transform=transform,
        needles=(b"SERIALIZE",),
    )
)
