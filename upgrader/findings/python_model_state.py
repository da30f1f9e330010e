"""``ModelState.fields`` iterated as ``(name, field)`` pairs: the ``model-state-fields-dict`` item.

``django.db.migrations.state.ModelState.fields`` was a list of ``(name, field)`` tuples up to
Django 3.0 and is a dict (name -> field) from 3.1 on (``self.fields = dict(fields)`` in 3.1's
``state.py``), so ``for name, field in model_state.fields`` unpacks each name's characters:
``ValueError: too many values to unpack`` (django-simple-history's tests on 3.2, FINDINGS F71).

Found: a ``for`` loop or comprehension whose target is a pair and whose iterable is ``<x>.fields``
with ``<x>`` a ``ModelState`` (built by ``ModelState(...)`` / ``ModelState.from_model(...)``
in the same function or module, or that call itself). ``<x>.fields.items()`` is left alone.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator

from upgrader.findings.python_ast import dotted
from upgrader.findings.python_tables import MODEL_STATE_BUILDERS, MODEL_STATE_FIELDS

Resolve = Callable[[ast.expr], "str | None"]
Hit = tuple[str, ast.AST, str]


def _builds_state(node: ast.expr, resolve: Resolve) -> bool:
    return isinstance(node, ast.Call) and resolve(node.func) in MODEL_STATE_BUILDERS


def _state_names(scope: ast.AST, resolve: Resolve) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(scope):
        if isinstance(node, ast.Assign) and _builds_state(node.value, resolve):
            names.update(
                name for name in (dotted(target) for target in node.targets) if name is not None
            )
    return names


def _loops(scope: ast.AST) -> Iterator[tuple[ast.AST, ast.expr, ast.expr]]:
    for node in ast.walk(scope):
        if isinstance(node, (ast.For, ast.AsyncFor)):
            yield node, node.target, node.iter
        elif isinstance(node, ast.comprehension):
            yield node.iter, node.target, node.iter


def model_state_loops(
    tree: ast.Module, resolve: Resolve
) -> Iterator[tuple[ast.AST, ast.expr, str]]:
    """``(loop or comprehension iterable, the iterable ``<x>.fields``, <x> as written)`` for each
    ``ModelState.fields`` unpacked as pairs: the items, and what ``codemods.model_state_fields_items``
    rewrites."""
    scopes: list[ast.AST] = [
        node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    ]
    seen: set[int] = set()
    for scope in [*scopes, tree]:
        names = _state_names(scope, resolve)
        for where, target, iterable in _loops(scope):
            if id(where) in seen:
                continue
            if not (isinstance(target, (ast.Tuple, ast.List)) and len(target.elts) == 2):
                continue
            if not (isinstance(iterable, ast.Attribute) and iterable.attr == "fields"):
                continue
            owner = iterable.value
            if dotted(owner) in names or _builds_state(owner, resolve):
                seen.add(id(where))
                yield where, iterable, dotted(owner) or "ModelState"


def model_state_hits(tree: ast.Module, resolve: Resolve) -> Iterator[Hit]:
    """``(catalogue id, node, message)`` for each ``ModelState.fields`` unpacked as pairs."""
    for where, _iterable, owner in model_state_loops(tree, resolve):
        yield (
            MODEL_STATE_FIELDS,
            where,
            f"`for name, field in {owner}.fields` (a dict since Django 3.1)",
        )
