"""Field instances that never ran their class's ``__init__``: the ``field-init-*`` findings.

Django's field classes keep gaining attributes that their own ``__init__`` sets and their
methods read (``CharField``/``TextField.db_collation`` in 3.2, read by ``deconstruct()``).
Code that changes an existing instance's class (``field.__class__ = models.TextField``, as
django-simple-history does to copy a ``FileField`` into a history model) or a field subclass
whose ``__init__`` skips the class's own (``super(CharField, self).__init__(...)``,
``models.Field.__init__(self, ...)``) gets an instance without the attribute, and the release
that added it fails with ``AttributeError`` at import (simple-history on 3.2, FINDINGS F70).

Two shapes are found, for the classes of ``python_tables.FIELD_INIT_ATTRIBUTES``:

- ``<x>.__class__ = <field class>`` (resolved through the file's imports), unless the same
  function (or module, at top level) also sets that attribute on ``<x>`` (``<x>.db_collation =
  ...`` or ``setattr(<x>, "db_collation", ...)``): the fix the item asks for silences it;
- a class deriving from such a field class whose ``__init__`` calls a parent ``__init__`` past
  it (``super(<that class or one of its bases>, self).__init__``, or ``<C>.__init__(self, ...)``
  with ``C`` not such a field class) and never sets ``self.<attribute>``.

Where the instance comes from is only known at run time: a re-classed ``SlugField`` already has
``db_collation``; the item says so.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator

from upgrader.findings.python_ast import dotted, is_super_call
from upgrader.findings.python_tables import FIELD_INIT_ATTRIBUTES

Resolve = Callable[[ast.expr], "str | None"]
Hit = tuple[str, ast.AST, str]
Scope = ast.Module | ast.FunctionDef | ast.AsyncFunctionDef


def _short(qualified: str) -> str:
    return qualified.rpartition(".")[2]


def _sets_attribute(scope: ast.AST, receiver: str, attribute: str) -> bool:
    """Whether ``scope`` assigns ``receiver.attribute`` or calls ``setattr(receiver, "attribute", ...)``."""
    for node in ast.walk(scope):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            targets = [node.target]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "setattr"
            and len(node.args) >= 2
            and dotted(node.args[0]) == receiver
            and isinstance(node.args[1], ast.Constant)
            and node.args[1].value == attribute
        ):
            return True
        for target in targets:
            for part in ast.walk(target):
                if (
                    isinstance(part, ast.Attribute)
                    and part.attr == attribute
                    and dotted(part.value) == receiver
                ):
                    return True
    return False


def _assignments(node: ast.AST, scope: Scope) -> Iterator[tuple[ast.Assign, Scope]]:
    """Every assignment under ``node`` with its innermost enclosing function (or the module)."""
    for child in ast.iter_child_nodes(node):
        inner = child if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else scope
        if isinstance(child, ast.Assign):
            yield child, scope
        yield from _assignments(child, inner)


def reclassed_receivers(
    tree: ast.Module, resolve: Resolve
) -> Iterator[tuple[str, ast.Assign, str, str, str]]:
    """``(catalogue id, assignment, receiver, attribute, field class)`` for each ``<receiver>.__class__
    = <field class>`` whose function (or module) never sets ``<receiver>.<attribute>``: the
    ``field-init-*`` items of that shape, and what ``codemods.field_reclass_attributes`` sets."""
    for assign, scope in _assignments(tree, tree):
        qualified = resolve(assign.value)
        if qualified is None or qualified not in FIELD_INIT_ATTRIBUTES:
            continue
        deprecation_id, attribute = FIELD_INIT_ATTRIBUTES[qualified]
        for target in assign.targets:
            if not (isinstance(target, ast.Attribute) and target.attr == "__class__"):
                continue
            receiver = dotted(target.value)
            if receiver is None or _sets_attribute(scope, receiver, attribute):
                continue
            yield deprecation_id, assign, receiver, attribute, qualified


def _reclassed(tree: ast.Module, resolve: Resolve) -> Iterator[Hit]:
    for deprecation_id, assign, receiver, attribute, qualified in reclassed_receivers(
        tree, resolve
    ):
        name = _short(qualified)
        written = dotted(assign.value) or name
        yield (
            deprecation_id,
            assign,
            f"`{receiver}.__class__ = {written}`: the instance never ran {name}.__init__, "
            f"which sets `{attribute}` (unless it already was a {name})",
        )


def _parent_init(call: ast.Call, resolve: Resolve, fields: set[str]) -> str | None:
    """What a ``...__init__(...)`` call in a field subclass's ``__init__`` runs: "all" for the
    field class's own __init__ (``super().__init__``, ``super(<this class>, self)``,
    ``CharField.__init__(self)``), the call as written when it skips the field class's
    (``super(CharField, self).__init__``, ``Field.__init__``), or None (not such a call)."""
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr == "__init__"):
        return None
    receiver = func.value
    if is_super_call(receiver):
        assert isinstance(receiver, ast.Call)
        start = resolve(receiver.args[0]) if receiver.args else None
        return f"super({_short(start)}, self).__init__" if start in fields else "all"
    parent = resolve(receiver)
    if parent is None or not call.args or dotted(call.args[0]) != "self":
        return None
    if parent in FIELD_INIT_ATTRIBUTES:
        return "all"
    return f"{_short(parent)}.__init__" if parent.startswith("django.") else None


def _skipping_subclasses(tree: ast.Module, resolve: Resolve) -> Iterator[Hit]:
    for cls in ast.walk(tree):
        if not isinstance(cls, ast.ClassDef):
            continue
        bases = [name for name in map(resolve, cls.bases) if name in FIELD_INIT_ATTRIBUTES]
        init = next(
            (
                node
                for node in cls.body
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                and node.name == "__init__"
            ),
            None,
        )
        if not bases or init is None:
            continue
        deprecation_id, attribute = FIELD_INIT_ATTRIBUTES[bases[0]]
        if _sets_attribute(init, "self", attribute):
            continue
        calls = [
            (call, _parent_init(call, resolve, set(bases)))
            for call in ast.walk(init)
            if isinstance(call, ast.Call)
        ]
        if any(parent == "all" for _, parent in calls):
            continue
        for call, parent in calls:
            if parent is not None:
                name = _short(bases[0])
                yield (
                    deprecation_id,
                    call,
                    f"`{cls.name}.__init__` calls `{parent}(...)`, skipping "
                    f"{name}.__init__, which sets `{attribute}`",
                )
                break


def field_init_hits(tree: ast.Module, resolve: Resolve) -> Iterator[Hit]:
    """``(catalogue id, node, message)`` for each field instance left without an attribute."""
    yield from _reclassed(tree, resolve)
    yield from _skipping_subclasses(tree, resolve)
