"""A field's ``_unique`` set on an existing instance: the ``field-unique-cached`` item (5.1).

``Field.unique`` is a ``cached_property`` from Django 5.1 on (``return self._unique or
self.primary_key``; a plain ``property`` up to 5.0.14, checked in the wheels of 4.2.30, 5.0.14,
5.1.14 and 5.2.19). Code that turns a copied field's uniqueness off through the backing
attribute (``field._unique = False``, as django-simple-history does for its history models'
fields) has no effect once ``unique`` was read: the copy keeps ``unique`` True (read before,
or copied with the original's cache), and the history table gets a UNIQUE constraint
(``IntegrityError`` on the second history row; simple-history on 5.2, FINDINGS F74; upstream's
fix 9b668d7 sets ``field.unique = False`` too).

Found: ``<x>._unique = ...`` on anything but ``self`` inside ``__init__`` (a field's own
initialisation, before anything reads ``unique``), unless the same function (or module) also
sets ``<x>.unique``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from upgrader.findings.python_ast import dotted
from upgrader.findings.python_tables import FIELD_UNIQUE_CACHED

Hit = tuple[str, ast.AST, str]
Scope = ast.Module | ast.FunctionDef | ast.AsyncFunctionDef


def _assigned(scope: Scope) -> Iterator[tuple[ast.Attribute, ast.AST]]:
    """``(target, statement)`` for each attribute assigned in ``scope`` (not nested functions)."""
    stack: list[ast.AST] = list(scope.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        for target in targets:
            for each in ast.walk(target):
                if isinstance(each, ast.Attribute):
                    yield each, node
        stack.extend(ast.iter_child_nodes(node))


def _clears_cache(scope: Scope) -> set[str | None]:
    """Receivers of ``vars(<x>).pop("unique", ...)`` in ``scope`` (``field_unique_cache_clear``'s fix)."""
    found: set[str | None] = set()
    for node in ast.walk(scope):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "pop"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and node.args[0].value == "unique"
        ):
            inner = node.func.value
            if (
                isinstance(inner, ast.Call)
                and isinstance(inner.func, ast.Name)
                and inner.func.id == "vars"
                and len(inner.args) == 1
            ):
                found.add(dotted(inner.args[0]))
    return found


def unique_assignments(tree: ast.Module) -> Iterator[tuple[ast.AST, str]]:
    """``(statement, <x> as written)`` for each ``<x>._unique = ...`` that 5.1 ignores: the items,
    and where ``codemods.field_unique_cache_clear`` drops the cache. Silenced by ``<x>.unique =``
    or ``vars(<x>).pop("unique", ...)`` in the same function (or module)."""
    scopes: list[Scope] = [tree]
    scopes += [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    for scope in scopes:
        in_init = not isinstance(scope, ast.Module) and scope.name == "__init__"
        assigned = list(_assigned(scope))
        fixed = {dotted(t.value) for t, _ in assigned if t.attr == "unique"}
        fixed |= _clears_cache(scope)
        for target, statement in assigned:
            owner = dotted(target.value)
            if target.attr != "_unique" or owner is None or owner in fixed:
                continue
            if owner == "self" and in_init:
                continue
            yield statement, owner


def field_unique_hits(tree: ast.Module) -> Iterator[Hit]:
    """``(catalogue id, statement, message)`` for each ``<x>._unique =`` that 5.1 ignores."""
    for statement, owner in unique_assignments(tree):
        yield (
            FIELD_UNIQUE_CACHED,
            statement,
            f"`{owner}._unique = ...` (Field.unique is cached from Django 5.1: "
            f"set `{owner}.unique` too)",
        )
