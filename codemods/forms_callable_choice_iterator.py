"""``django.forms.fields.CallableChoiceIterator`` -> ``django.utils.choices.CallableChoiceIterator``.

Django 5.0 moved the (undocumented) class to ``django.utils.choices`` and dropped the old name:
``from django.forms.fields import CallableChoiceIterator`` raises ``ImportError`` on 5.0+ (seen on
wagtail 2.9, whose ``blocks/field_block.py`` imports it, so ``django.setup()`` fails). The new
class is called and iterated the same way (``CallableChoiceIterator(func)``, yielding what
``func()`` returns, normalized as choices); its attribute ``choices_func`` is now ``func``, so a
file that reads ``choices_func`` gets a manual item. ``from django.forms.fields import
CallableChoiceIterator`` becomes an import from ``django.utils.choices`` (other names of the same
import stay where they are); ``fields.CallableChoiceIterator`` references become the new name.

https://docs.djangoproject.com/en/5.0/releases/5.0/#forms
"""

from __future__ import annotations

import ast

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python import (
    ResolvingRuleTransformer,
    dotted_name,
    import_targets,
    may_refer_to,
    run_rule,
)

DOCS = "https://docs.djangoproject.com/en/5.0/releases/5.0/#forms"
OLD_MODULE = "django.forms.fields"
NEW_MODULE = "django.utils.choices"
NAME = "CallableChoiceIterator"


class _Transformer(ResolvingRuleTransformer):
    docs = DOCS
    moved = False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine | cst.FlattenSentinel[cst.SimpleStatementLine]:
        """``from django.forms.fields import CallableChoiceIterator[, other]``: the class is
        imported from ``django.utils.choices``; the other names stay in the old import."""
        if len(updated_node.body) != 1 or not isinstance(updated_node.body[0], cst.ImportFrom):
            return updated_node
        node = updated_node.body[0]
        if (
            node.relative
            or node.module is None
            or dotted_name(node.module) != OLD_MODULE
            or isinstance(node.names, cst.ImportStar)
        ):
            return updated_node
        moved = [a for a in node.names if isinstance(a.name, cst.Name) and a.name.value == NAME]
        if not moved:
            return updated_node
        self.moved = True
        kept = [a for a in node.names if a not in moved]
        module = cst.parse_expression(NEW_MODULE)
        assert isinstance(module, cst.Attribute)
        moved[-1] = moved[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        if not kept:
            return updated_node.with_changes(body=[node.with_changes(module=module, names=moved)])
        kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        old = updated_node.with_changes(body=[node.with_changes(names=kept)])
        new = cst.SimpleStatementLine(body=[cst.ImportFrom(module=module, names=moved)])
        return cst.FlattenSentinel([old, new])

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        if original_node.attr.value != NAME or not self.refers_to(
            original_node, {f"{OLD_MODULE}.{NAME}"}
        ):
            return updated_node
        self.moved = True
        self.forget(original_node)
        replacement = self.reference(original_node, NEW_MODULE, NAME, prefer_from=True)
        return replacement.with_changes(lpar=updated_node.lpar, rpar=updated_node.rpar)

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if self.moved and "choices_func" in original_node.code:
            self.note(
                original_node,
                "CallableChoiceIterator's choices_func attribute is func in Django 5.0 "
                "(django.utils.choices): rename the uses of choices_func",
            )
        return updated_node


def _ast_may_move(tree: ast.Module) -> bool:
    """Whether the file imports the class from its old module or may refer to it there."""
    targets = import_targets(tree)
    old = {f"{OLD_MODULE}.{NAME}"}
    if any(not old.isdisjoint(bound) for bound in targets.values()):
        return True
    return any(
        isinstance(node, ast.Attribute) and node.attr == NAME and may_refer_to(node, targets, old)
        for node in ast.walk(tree)
    )


def transform(source: str, context: RuleContext) -> str:
    return run_rule(source, context, _Transformer, ast_check=_ast_may_move)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=Version("5.0"),
        summary="django.forms.fields.CallableChoiceIterator -> django.utils.choices (5.0)",
        docs=DOCS,
        transform=transform,
        needles=(b"CallableChoiceIterator",),
    )
)
