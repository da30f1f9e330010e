"""``Signer(key, sep, salt)`` -> ``Signer(key=key, sep=sep, salt=salt)``: positional arguments to
``django.core.signing.Signer`` / ``TimestampSigner`` were deprecated in Django 4.2 and are
rejected since 5.1.

Django 4.2 mapped them, in order, onto ``key, sep, salt, algorithm, fallback_keys``; the keyword
spelling has been accepted by every Django release, so the rewrite is exact on any hop. Calls
with ``*args``, more than five positional arguments, or a keyword the positional one would
duplicate are left alone (the scanner still reports them).

https://docs.djangoproject.com/en/4.2/releases/4.2/#features-deprecated-in-4-2
"""

from __future__ import annotations

import ast

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python import (
    ResolvingRuleTransformer,
    import_targets,
    keyword_arg,
    may_refer_to,
    run_rule,
)

DOCS = "https://docs.djangoproject.com/en/4.2/releases/4.2/#features-deprecated-in-4-2"
SIGNERS = frozenset({"django.core.signing.Signer", "django.core.signing.TimestampSigner"})
PARAMETERS = ("key", "sep", "salt", "algorithm", "fallback_keys")


class _Transformer(ResolvingRuleTransformer):
    docs = DOCS

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        if not self.refers_to(original_node.func, SIGNERS):
            return updated_node
        args = list(updated_node.args)
        positional = [arg for arg in args if arg.keyword is None]
        if not positional or any(arg.star for arg in args) or len(positional) > len(PARAMETERS):
            return updated_node
        if args[: len(positional)] != positional:
            return updated_node  # positional after keywords cannot be written; leave it
        keywords = {arg.keyword.value for arg in args if arg.keyword is not None}
        names = PARAMETERS[: len(positional)]
        if keywords & set(names):
            return updated_node  # a TypeError either way; not ours to guess
        new_args = [
            keyword_arg(name, arg.value, like=arg)
            for name, arg in zip(names, positional, strict=True)
        ]
        return updated_node.with_changes(args=[*new_args, *args[len(positional) :]])


def _ast_may_rewrite(tree: ast.Module) -> bool:
    """Whether a call with positional arguments may be to a signer (as libcst resolves it)."""
    targets = import_targets(tree)
    return any(
        isinstance(node, ast.Call) and node.args and may_refer_to(node.func, targets, SIGNERS)
        for node in ast.walk(tree)
    )


def transform(source: str, context: RuleContext) -> str:
    return run_rule(source, context, _Transformer, ast_check=_ast_may_rewrite)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=Version("4.2"),
        summary="Signer(key, sep, salt) -> Signer(key=key, sep=sep, salt=salt)",
        docs=DOCS,
        transform=transform,
        needles=(b"Signer",),
    )
)
