"""``from django.utils.itercompat import is_iterable`` -> the function itself: Django 5.1
deprecated ``django.utils.itercompat`` and 6.0 removed it.

Django's suggested ``isinstance(x, collections.abc.Iterable)`` answers differently for objects
that iterate through ``__getitem__`` alone (``iter()`` accepts them, the ABC does not), so the
rule keeps the answer: a module-level import of the name becomes a module-level definition of
Django's own body (``iter(x)`` raising ``TypeError`` or not; checked in 5.2.19's
``django/utils/itercompat.py``), under the name it was imported as, with a comment saying where
it came from. Other uses (``from django.utils import itercompat``, an import inside a function
or among other names) are left to the scanner's manual item.

https://docs.djangoproject.com/en/5.1/releases/5.1/#features-deprecated-in-5-1
"""

from __future__ import annotations

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python import PythonRuleTransformer, dotted_name, run_rule

DOCS = "https://docs.djangoproject.com/en/5.1/releases/5.1/#features-deprecated-in-5-1"
MODULE = "django.utils.itercompat"
BODY = """\
# django.utils.itercompat.is_iterable, removed in Django 6.0 (iter() accepts what it accepted).
def {name}(x):
    try:
        iter(x)
    except TypeError:
        return False
    return True
"""


def _bound_name(line: cst.SimpleStatementLine) -> str | None:
    """The name ``from django.utils.itercompat import is_iterable [as n]`` binds, else None."""
    if len(line.body) != 1 or not isinstance(line.body[0], cst.ImportFrom):
        return None
    node = line.body[0]
    if node.relative or node.module is None or dotted_name(node.module) != MODULE:
        return None
    if isinstance(node.names, cst.ImportStar) or len(node.names) != 1:
        return None
    alias = node.names[0]
    if not isinstance(alias.name, cst.Name) or alias.name.value != "is_iterable":
        return None
    if alias.asname is None:
        return "is_iterable"
    bound = alias.asname.name
    return bound.value if isinstance(bound, cst.Name) else None


class _Transformer(PythonRuleTransformer):
    docs = DOCS

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        body: list[cst.BaseStatement] = []
        for statement in updated_node.body:
            name = (
                _bound_name(statement) if isinstance(statement, cst.SimpleStatementLine) else None
            )
            if name is None:
                body.append(statement)
                continue
            definition = cst.parse_statement(BODY.format(name=name))
            assert isinstance(definition, cst.FunctionDef)
            leading = [*statement.leading_lines, *definition.leading_lines]
            body.append(definition.with_changes(leading_lines=leading))
        return updated_node.with_changes(body=body)


def transform(source: str, context: RuleContext) -> str:
    if MODULE not in source:
        return source
    return run_rule(source, context, _Transformer)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=Version("5.1"),
        summary="from django.utils.itercompat import is_iterable -> a local is_iterable()",
        docs=DOCS,
        transform=transform,
        needles=(MODULE.encode(),),
    )
)
