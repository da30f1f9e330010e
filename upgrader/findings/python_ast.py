"""Small questions about ``ast`` nodes that the Python-code detector's checks share."""

from __future__ import annotations

import ast
from collections.abc import Iterable


def dotted(node: ast.expr) -> str | None:
    """``a.b.c`` for a chain of names, else None."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return None if base is None else f"{base}.{node.attr}"
    return None


def keyword_names(call: ast.Call) -> set[str | None]:
    return {keyword.arg for keyword in call.keywords}


def is_super_call(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super"
    )


def is_str(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def has_key(call: ast.Call, keyword: str, key: str) -> bool:
    """Whether ``call`` passes ``keyword={... key: ...}`` as a dict literal."""
    for argument in call.keywords:
        if argument.arg == keyword and isinstance(argument.value, ast.Dict):
            return any(isinstance(k, ast.Constant) and k.value == key for k in argument.value.keys)
    return False


def chain_calls(node: ast.expr, method: str) -> bool:
    """Whether the call chain ending in ``node`` calls ``.method(...)`` somewhere."""
    while isinstance(node, (ast.Call, ast.Attribute)):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == method:
                return True
            node = func.value if isinstance(func, ast.Attribute) else func
        else:
            node = node.value
    return False


def class_assignments(body: Iterable[ast.stmt]) -> Iterable[tuple[str, ast.stmt]]:
    """``(name, statement)`` for each ``name = ...`` / ``name: T = ...`` directly in ``body``."""
    for statement in body:
        if isinstance(statement, ast.Assign):
            for target in statement.targets:
                if isinstance(target, ast.Name):
                    yield target.id, statement
        elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            yield statement.target.id, statement


def _int(node: ast.expr | None) -> int | None:
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    return None


def orphans_not_below(per_page: ast.expr | None, orphans: ast.expr | None) -> bool:
    """Whether both are integer literals with ``orphans >= per_page`` (6.0 deprecates it)."""
    pages, spare = _int(per_page), _int(orphans)
    return pages is not None and spare is not None and spare >= pages
