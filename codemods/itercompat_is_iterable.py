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


def _bound_name(line: cst.SimpleStatementLine, module: str, name: str) -> str | None:
    """The name ``from <module> import <name> [as n]`` binds, when ``line`` is only that."""
    if len(line.body) != 1 or not isinstance(line.body[0], cst.ImportFrom):
        return None
    node = line.body[0]
    if node.relative or node.module is None or dotted_name(node.module) != module:
        return None
    if isinstance(node.names, cst.ImportStar) or len(node.names) != 1:
        return None
    alias = node.names[0]
    if not isinstance(alias.name, cst.Name) or alias.name.value != name:
        return None
    if alias.asname is None:
        return name
    bound = alias.asname.name
    return bound.value if isinstance(bound, cst.Name) else None


def define_in_place(
    source: str, context: RuleContext, module: str, name: str, body: str, docs: str
) -> str:
    """Replace a module-level ``from <module> import <name> [as n]`` with ``body`` (the removed
    function's source, ``{name}`` where its name goes), for rules keeping a removed helper's
    exact answers (``admindocs_trim_docstring`` uses it too)."""

    class _Definer(PythonRuleTransformer):
        def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
            statements: list[cst.BaseStatement] = []
            for statement in updated_node.body:
                bound = (
                    _bound_name(statement, module, name)
                    if isinstance(statement, cst.SimpleStatementLine)
                    else None
                )
                if bound is None:
                    statements.append(statement)
                    continue
                definition = cst.parse_statement(body.format(name=bound))
                assert isinstance(definition, cst.FunctionDef)
                leading = [*statement.leading_lines, *definition.leading_lines]
                statements.append(definition.with_changes(leading_lines=leading))
            return updated_node.with_changes(body=statements)

    _Definer.docs = docs
    if module not in source:
        return source
    return run_rule(source, context, _Definer)


def transform(source: str, context: RuleContext) -> str:
    return define_in_place(source, context, MODULE, "is_iterable", BODY, DOCS)


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
