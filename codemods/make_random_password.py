"""Replace ``BaseUserManager.make_random_password()``, deprecated in Django 4.2, removed in 5.1.

``User.objects.make_random_password(...)`` becomes
``django.utils.crypto.get_random_string(...)`` with the arguments the method had by default
(length 10, the alphabet without look-alike characters), which is exactly what the method did.

The receiver must look like a user manager, since types are unknown: ``<anything>.objects``, a
name or attribute ending in ``manager`` (``_default_manager``), or ``self`` inside a class whose
base ends in ``Manager``. Calls on anything else become manual items.

https://docs.djangoproject.com/en/4.2/releases/4.2/#features-deprecated-in-4-2
"""

from __future__ import annotations

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._base import string_literal
from codemods._python import (
    CodemodContext,
    ResolvingRuleTransformer,
    keyword_arg,
    last_identifier,
    run_rule,
)

DOCS = "https://docs.djangoproject.com/en/4.2/releases/4.2/#features-deprecated-in-4-2"
# BaseUserManager.make_random_password()'s defaults in Django 4.2 (django/contrib/auth/base_user.py).
DEFAULT_LENGTH = 10
DEFAULT_ALLOWED_CHARS = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class _Transformer(ResolvingRuleTransformer):
    docs = DOCS
    quotes_like = ""

    def __init__(self, context: CodemodContext, rule_context: RuleContext) -> None:
        super().__init__(context, rule_context)
        self.manager_classes: list[bool] = []

    def visit_Module(self, node: cst.Module) -> None:
        self.quotes_like = node.code

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        bases = [last_identifier(base.value) or "" for base in node.bases]
        self.manager_classes.append(any(base.endswith("Manager") for base in bases))

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.ClassDef:
        self.manager_classes.pop()
        return updated_node

    def _looks_like_manager(self, receiver: cst.BaseExpression) -> bool:
        name = last_identifier(receiver)
        if name is None:
            return False
        if name == "self":
            return bool(self.manager_classes) and self.manager_classes[-1]
        return name == "objects" or name.lower().endswith("manager")

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        func = original_node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "make_random_password"):
            return updated_node
        if not self._looks_like_manager(func.value) or any(a.star for a in original_node.args):
            self.note(
                original_node,
                f"{self.module.code_for_node(func)}(): if this is a user manager, use "
                "django.utils.crypto.get_random_string(length, allowed_chars) (removed in Django 5.1)",
            )
            return updated_node
        args = list(updated_node.args)
        keywords = {a.keyword.value for a in args if a.keyword is not None}
        has_length = "length" in keywords or any(a.keyword is None for a in args)
        if not has_length:
            args.insert(0, keyword_arg("length", cst.Integer(str(DEFAULT_LENGTH))))
        if "allowed_chars" not in keywords and len([a for a in args if a.keyword is None]) < 2:
            chars = cst.SimpleString(string_literal(DEFAULT_ALLOWED_CHARS, self.quotes_like))
            args.append(keyword_arg("allowed_chars", chars, like=args[-1]))
        args = [
            a.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
            if i < len(args) - 1 and not isinstance(a.comma, cst.Comma)
            else a
            for i, a in enumerate(args)
        ]
        self.forget(func.value)  # ``User`` may no longer be needed
        get_random_string = self.reference(
            original_node, "django.utils.crypto", "get_random_string", prefer_from=True
        )
        return updated_node.with_changes(func=get_random_string, args=args)


def transform(source: str, context: RuleContext) -> str:
    return run_rule(source, context, _Transformer)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=Version("4.2"),
        summary="User.objects.make_random_password() -> get_random_string() with the same defaults",
        docs=DOCS,
        transform=transform,
        needles=(b"make_random_password",),
    )
)
