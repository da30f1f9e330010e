"""Remove the ``@python_2_unicode_compatible`` class decorator and its import.

Django 3.0 removed ``django.utils.encoding.python_2_unicode_compatible`` and ``django.utils.six``
with it; on Python 3 the decorator did nothing, so dropping it is exact. The same decorator from
the external ``six`` package is removed too (it is equally a no-op on Python 3). Direct calls that are not
decorators (``Foo = python_2_unicode_compatible(Foo)``) become manual items.
Converting ``__unicode__`` methods is out of scope.

https://docs.djangoproject.com/en/3.0/releases/3.0/#removed-private-python-2-compatibility-apis
"""

from __future__ import annotations

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python import ResolvingRuleTransformer, remove_decorators, run_rule

DOCS = "https://docs.djangoproject.com/en/3.0/releases/3.0/#removed-private-python-2-compatibility-apis"

DECORATORS = frozenset(
    {
        "django.utils.encoding.python_2_unicode_compatible",
        "django.utils.six.python_2_unicode_compatible",
        "six.python_2_unicode_compatible",
    }
)


class _Transformer(ResolvingRuleTransformer):
    docs = DOCS

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.ClassDef:
        targets = set()
        for index, decorator in enumerate(original_node.decorators):
            if self.refers_to(decorator.decorator, DECORATORS):
                self.forget(decorator)
                targets.add(index)
        return remove_decorators(updated_node, targets)

    def visit_Call(self, node: cst.Call) -> None:
        if self.refers_to(node.func, DECORATORS):
            self.note(
                node, "python_2_unicode_compatible() called directly: remove the call by hand"
            )


def transform(source: str, context: RuleContext) -> str:
    return run_rule(source, context, _Transformer)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=Version("3.0"),
        summary="Remove the @python_2_unicode_compatible decorator (a no-op on Python 3) and its import",
        docs=DOCS,
        transform=transform,
        needles=(b"python_2_unicode_compatible",),
    )
)
