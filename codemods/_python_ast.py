"""Cheap checks with the standard library's ``ast`` before a rule hands a file to libcst, and
which files are tests. Not a rule: the module name starts with ``_``.
"""

from __future__ import annotations

import ast
import threading
import warnings
from collections.abc import Collection, Mapping, Sequence

# -- which files are tests ---------------------------------------------------------------------

_TEST_DIRS = frozenset({"tests", "test", "testing"})
_TEST_SCRIPTS = frozenset({"conftest.py", "runtests.py", "tests.py"})


def is_test_file(filename: str) -> bool:
    """Whether ``filename`` (relative, any separator) is test code: ``runtests.py``,
    ``conftest.py``, ``tests.py``, ``test*.py``, ``*_test.py`` / ``*_tests.py``, or a file under a
    ``tests/``, ``test/`` or ``testing/`` folder."""
    parts = filename.replace("\\", "/").split("/")
    name = parts[-1]
    return (
        name in _TEST_SCRIPTS
        or name.startswith("test")
        or name.endswith(("_test.py", "_tests.py"))
        or any(part in _TEST_DIRS for part in parts[:-1])
    )


# -- cheap checks before libcst ----------------------------------------------------------------


class _LastTree(threading.local):
    """The last text parse_ast parsed and its tree, per thread (the rules of a file ask one after
    another, with the same text while none changes it)."""

    entry: tuple[str, ast.Module | None] | None = None


_LAST_TREE = _LastTree()


def parse_ast(source: str) -> ast.Module | None:
    """``source`` parsed by ``ast``; None when ``ast`` cannot (the caller then uses libcst).

    The same tree for the same text (callers must not change it): the rules of a file share it.
    """
    entry = _LAST_TREE.entry
    if entry is not None and entry[0] == source:
        return entry[1]
    _LAST_TREE.entry = entry = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escapes: the engine reports those
            tree: ast.Module | None = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        tree = None
    _LAST_TREE.entry = (source, tree)
    return tree


def remember_tree(source: str, tree: ast.Module) -> None:
    """Make ``tree`` (``source`` parsed by ``ast.parse``, not to be changed) what
    :func:`parse_ast` answers for ``source``: the engine parsed the file already."""
    _LAST_TREE.entry = (source, tree)


def ast_dotted_name(node: ast.expr) -> str | None:
    """``a.b.c`` for a chain of names and attributes; None for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = ast_dotted_name(node.value)
        return f"{inner}.{node.attr}" if inner is not None else None
    return None


def has_method(tree: ast.AST, name: str, positional: int) -> bool:
    """Whether ``tree`` defines a function ``name`` with ``positional`` plain positional
    parameters (``self`` counted; positional-only ones not), anywhere."""
    return any(
        isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and node.name == name
        and len(node.args.args) == positional
        for node in ast.walk(tree)
    )


def ast_full_name(node: ast.expr) -> str | None:
    """libcst's full name of an expression (``get_full_name_for_node``): ``a.b`` for ``a.b``,
    ``a.b(...)`` and ``a.b[...]``, ``a.b.c`` for ``a.b().c``; None for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = ast_full_name(node.value)
        return f"{inner}.{node.attr}" if inner is not None else None
    if isinstance(node, ast.Call):
        return ast_full_name(node.func)
    if isinstance(node, ast.Subscript):
        return ast_full_name(node.value)
    return None


def may_refer_to(
    node: ast.expr, targets: Mapping[str, Collection[str]], names: Collection[str]
) -> bool:
    """Whether libcst's scope analysis may give ``node`` one of the qualified ``names``.

    ``targets`` is :func:`import_targets` of the file. libcst qualifies the full name of a node
    (:func:`ast_full_name`) through an import of its first part, or as itself where a binding
    that is no import binds that part at module level: both are counted, scopes ignored.
    """
    full = ast_full_name(node)
    if full is None:
        return False
    if full in names:
        return True
    root, dot, rest = full.partition(".")
    return any(f"{target}{dot}{rest}" in names for target in targets.get(root, ()))


def import_targets(tree: ast.AST) -> dict[str, set[str]]:
    """Every name an import binds anywhere in ``tree`` -> the dotted names it may be bound to.

    ``import a.b`` binds ``a`` to ``a``, ``import a.b as c`` binds ``c`` to ``a.b``, ``from .m
    import n as o`` binds ``o`` to ``.m.n``: what libcst's qualified names start from. Scopes are
    ignored (a name imported in any function counts everywhere), which only over-approximates.
    """
    targets: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    targets.setdefault(alias.asname, set()).add(alias.name)
                else:
                    top = alias.name.split(".", 1)[0]
                    targets.setdefault(top, set()).add(top)
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            for alias in node.names:
                if alias.name != "*":
                    full = (
                        f"{module}.{alias.name}"
                        if module and module[-1] != "."
                        else (f"{module}{alias.name}")
                    )
                    targets.setdefault(alias.asname or alias.name, set()).add(full)
    return targets


def _bound_names(node: ast.AST) -> Sequence[str | None]:
    """The names ``node`` binds, deletes or declares global (none for most nodes)."""
    if isinstance(node, ast.Name):
        return () if isinstance(node.ctx, ast.Load) else (node.id,)
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return (node.name,)
    if isinstance(node, ast.arg):
        return (node.arg,)
    if isinstance(node, ast.alias):
        return (node.asname or node.name.split(".", 1)[0],)
    if isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)):
        return (node.name,)
    if isinstance(node, ast.MatchMapping):
        return (node.rest,)
    if isinstance(node, (ast.Global, ast.Nonlocal)):
        return node.names
    return ()


def binds_any(tree: ast.AST, names: Collection[str], *, imports: bool = True) -> bool:
    """Whether ``tree`` binds (or deletes, or declares global) any of ``names`` anywhere.

    When it does not, every use of those names refers to the builtins. Star imports are not
    counted: libcst's scope analysis does not see through them either. ``imports=False``: a
    name an import binds does not count.
    """
    return any(
        name in names
        for node in ast.walk(tree)
        if imports or not isinstance(node, ast.alias)
        for name in _bound_names(node)
    )


def refers_to_any(
    tree: ast.Module, names: Collection[str], targets: Mapping[str, Collection[str]] | None = None
) -> bool:
    """Whether any name or attribute of ``tree`` may be one of the qualified ``names``
    (:func:`may_refer_to` over the whole file; ``targets`` defaults to its imports)."""
    bound = import_targets(tree) if targets is None else targets
    return any(
        isinstance(node, (ast.Name, ast.Attribute)) and may_refer_to(node, bound, names)
        for node in ast.walk(tree)
    )
