"""``settings.configure(...)`` without ``USE_TZ`` gets ``USE_TZ=False``, on the hop that
crosses Django 5.0.

Django 5.0 changed the default of ``USE_TZ`` from ``False`` to ``True``. ``settings_use_tz_explicit``
writes the old default into a settings module; settings given to ``settings.configure()`` (a
reusable app's ``runtests.py``) are no settings module, so they switched to aware datetimes
silently: django-simple-history's tests on 5.2 compare naive datetimes (8 failures, FINDINGS
F75). Writing the old default keeps behaviour in any file, test script or not; turning time
zone support on is a separate change.

"Without USE_TZ" is decided as for ``SECRET_KEY`` (``configure_secret_key.unkeyed_calls`` asked
for ``USE_TZ``): the file never mentions ``USE_TZ``; the call has no positional argument and
no ``default_settings=``; each ``**name`` expands a dict the file assigns once and never
updates. A project already on 5.0+ runs with True: nothing to preserve.

https://docs.djangoproject.com/en/5.0/releases/5.0/#features-removed-in-5-0
"""

from __future__ import annotations

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python import (
    CodemodContext,
    PythonRuleTransformer,
    append_arg,
    keyword_arg,
    parse_ast,
    run_rule,
)
from codemods.configure_secret_key import unkeyed_calls

DOCS = "https://docs.djangoproject.com/en/5.0/releases/5.0/#features-removed-in-5-0"
VERSION = Version("5.0")
KEY = "USE_TZ"


class _Transformer(PythonRuleTransformer):
    docs = DOCS

    def __init__(self, context: CodemodContext, rule_context: RuleContext) -> None:
        super().__init__(context, rule_context)
        self.lines: frozenset[int] = frozenset()

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        func = original_node.func
        name = func.attr.value if isinstance(func, cst.Attribute) else None
        if name != "configure" or self.line(original_node) not in self.lines:
            return updated_node
        value = cst.Name("False")
        return updated_node.with_changes(args=append_arg(updated_node, keyword_arg(KEY, value)))


def transform(source: str, context: RuleContext) -> str:
    if "configure" not in source or context.django_from >= VERSION:
        return source
    tree = parse_ast(source)
    if tree is None:
        return source
    lines = frozenset(call.lineno for call in unkeyed_calls(tree, KEY))
    if not lines:
        return source

    def make(codemod_context: CodemodContext, rule_context: RuleContext) -> _Transformer:
        transformer = _Transformer(codemod_context, rule_context)
        transformer.lines = lines
        return transformer

    return run_rule(source, context, make)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=VERSION,
        summary="settings.configure(...) without USE_TZ gets USE_TZ=False (the default before 5.0)",
        docs=DOCS,
        transform=transform,
        needles=(b"configure",),
    )
)
