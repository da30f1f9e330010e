"""After ``<x>._unique = <v>`` on an existing field: ``vars(<x>).pop("unique", None)``, on the
hop that crosses Django 5.1.

``Field.unique`` is a ``cached_property`` from Django 5.1 on (``return self._unique or
self.primary_key``; a plain ``property`` up to 5.0). Turning a copied field's uniqueness off
through the backing attribute (django-simple-history's ``transform_field``: ``field._unique =
False``) no longer changes ``unique`` once it was read or copied with the original's cache, and
the history table keeps a UNIQUE constraint (FINDINGS F74). Dropping the cached value makes the
next read compute ``unique`` from ``_unique`` again, as the property did: on 5.1+ the behaviour of
5.0, and before 5.1 a no-op (a property keeps nothing in the instance's ``__dict__``).

The assignments completed are the scanner's ``field-unique-cached`` items
(``upgrader.findings.python_field_cache.unique_assignments``: ``<x>._unique = ...`` outside a
field's own ``__init__``, unless the function sets ``<x>.unique`` or already drops the cache);
``<x>`` is the target as written (``field``, ``self.field``).

https://docs.djangoproject.com/en/5.1/releases/5.1/
"""

from __future__ import annotations

import ast

from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._base import string_literal
from codemods._python import ast_dotted_name
from codemods._python_insert import insertions_after
from codemods._python_text import edit_tree, replace_spans
from upgrader.findings.python_field_cache import unique_assignments

DOCS = "https://docs.djangoproject.com/en/5.1/releases/5.1/"
VERSION = Version("5.1")


def _assigns_directly(statement: ast.AST, owner: str) -> bool:
    """Whether ``statement`` assigns ``<owner>._unique`` itself (not ``<owner>._unique.x``)."""
    if isinstance(statement, ast.Assign):
        targets = list(statement.targets)
    elif isinstance(statement, (ast.AugAssign, ast.AnnAssign)):
        targets = [statement.target]
    else:
        return False
    return any(
        isinstance(target, ast.Attribute)
        and target.attr == "_unique"
        and ast_dotted_name(target.value) == owner
        for target in targets
    )


def transform(source: str, context: RuleContext) -> str:
    found = edit_tree(source, "_unique", context.django_from, VERSION)
    if found is None:
        return source
    tree, positions = found
    owners: dict[int, tuple[ast.stmt, list[str]]] = {}
    for statement, owner in unique_assignments(tree):
        if not _assigns_directly(statement, owner):
            continue
        assert isinstance(statement, ast.stmt)
        entry = owners.setdefault(id(statement), (statement, []))
        if owner not in entry[1]:
            entry[1].append(owner)
    key = string_literal("unique", source)
    edits = []
    for statement, names in owners.values():
        lines = [f"vars({name}).pop({key}, None)" for name in names]
        edits.append(insertions_after(positions, statement, lines))
    return replace_spans(source, edits)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=VERSION,
        summary='x._unique = v gets vars(x).pop("unique", None) (Field.unique is cached from 5.1)',
        docs=DOCS,
        transform=transform,
        needles=(b"_unique",),
    )
)
