"""The base classes of the Python rules: :class:`PythonRuleTransformer` (the rule's context,
notes with ``file:line``, each node's parent) and :class:`ResolvingRuleTransformer` (scope
analysis: what a node refers to, references valid where they are used, imports to forget).
Not a rule: the module name starts with ``_``.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import ClassVar

import libcst as cst
from libcst.metadata import (
    ImportAssignment,
    MetadataWrapper,
    PositionProvider,
    ProviderT,
    QualifiedNameSource,
    ScopeProvider,
)

from codemods import RuleContext
from codemods._base import docs_note
from codemods._python_imports import CodemodContext, ImportSpec, import_spec, need_import


class PythonRuleTransformer(cst.CSTTransformer):
    """Base of the libcst rules: the rule's context, the original module, notes with ``file:line``."""

    METADATA_DEPENDENCIES: ClassVar[Collection[ProviderT]] = ()

    #: The rule's docs link, used in notes.
    docs: ClassVar[str] = ""

    def __init__(self, context: CodemodContext, rule_context: RuleContext) -> None:
        super().__init__()
        self.context = context
        self.rule_context = rule_context
        self.wrapper: MetadataWrapper | None = None  # set by run_rule before the visit
        self.unused_candidates: set[ImportSpec] = set()  # imports that may now be unused
        self._path: list[cst.CSTNode] = []  # from the module to the node being visited

    @property
    def module(self) -> cst.Module:
        """The module as parsed (the tree the ``original_node`` arguments belong to)."""
        assert self.wrapper is not None
        return self.wrapper.module

    def on_visit(self, node: cst.CSTNode) -> bool:
        self._path.append(node)
        return super().on_visit(node)

    def on_leave(
        self, original_node: cst.CSTNodeT, updated_node: cst.CSTNodeT
    ) -> cst.CSTNodeT | cst.RemovalSentinel | cst.FlattenSentinel[cst.CSTNodeT]:
        result = super().on_leave(original_node, updated_node)
        self._path.pop()
        return result

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        """The parent of ``node``, which must be the node being visited or one of its ancestors.

        Kept as a path from the root during the visit: cheaper than ``ParentNodeProvider``'s
        own pass over the whole tree.
        """
        for index in range(len(self._path) - 1, 0, -1):
            if self._path[index] is node:
                return self._path[index - 1]
        return None

    def line(self, node: cst.CSTNode) -> int | None:
        assert self.wrapper is not None
        position = self.wrapper.resolve(PositionProvider).get(node)
        return position.start.line if position is not None else None

    def note(self, node: cst.CSTNode, message: str) -> None:
        """Record a manual item for the report: ``file:line: message (see docs)``."""
        self.rule_context.notes.append(
            docs_note(self.rule_context.filename, self.line(node), message, self.docs)
        )


class ResolvingRuleTransformer(PythonRuleTransformer):
    """A rule transformer that also knows what names refer to (scope analysis)."""

    METADATA_DEPENDENCIES: ClassVar[Collection[ProviderT]] = (ScopeProvider,)

    # -- what a node refers to ---------------------------------------------------------------

    def qualified_names(self, node: cst.CSTNode) -> frozenset[str]:
        """Dotted names ``node`` may refer to, through imports and aliases (empty if unknown)."""
        # What QualifiedNameProvider computes, for the nodes asked about only (not every node).
        scope = self.get_metadata(ScopeProvider, node, None)
        if scope is None:
            return frozenset()
        return frozenset(q.name for q in scope.get_qualified_names_for(node))

    def refers_to(self, node: cst.CSTNode, names: Collection[str]) -> str | None:
        """The one of ``names`` that ``node`` refers to, if any."""
        for name in self.qualified_names(node):
            if name in names:
                return name
        return None

    # -- building references -------------------------------------------------------------------

    def _bound_to(self, node: cst.CSTNode, name: str) -> frozenset[str] | None:
        """What ``name`` is bound to where ``node`` is: None when unbound there.

        Imports give the imported dotted name; any other binding gives ``"<local>"``.
        """
        scope = self.get_metadata(ScopeProvider, node, None)
        if scope is None or name not in scope:
            return None
        return frozenset(
            q.name if q.source is QualifiedNameSource.IMPORT else "<local>"
            for q in scope.get_qualified_names_for(name)
        )

    def _imported_as(self, node: cst.CSTNode, full: str) -> str | None:
        """A module-level name already bound to ``full`` by an import, visible at ``node``."""
        scope = self.get_metadata(ScopeProvider, node, None)
        if scope is None:
            return None
        for name in sorted({assignment.name for assignment in scope.globals.assignments}):
            if self._bound_to(node, name) == frozenset({full}):
                return name
        return None

    def reference(
        self, node: cst.CSTNode, module: str, name: str, *, prefer_from: bool = False
    ) -> cst.BaseExpression:
        """An expression for ``module.name`` valid where ``node`` is; the import is scheduled.

        An existing import of exactly that object is reused (``from m import name as alias``);
        otherwise ``import module`` and ``module.name`` when the module's top-level name is free or already
        that package (unless ``prefer_from``); else ``from module import name`` when ``name`` is
        free or already that object; else ``from module import name as module_name``, so an
        existing binding (``from django.utils import timezone``) is never shadowed.
        """
        top = module.split(".", 1)[0]
        full = f"{module}.{name}"
        existing = self._imported_as(node, full)
        if existing is not None:
            return cst.Name(existing)
        if not prefer_from:
            bound = self._bound_to(node, top)
            if bound is None or bound == {top}:
                need_import(self.context, module)
                return cst.parse_expression(full)
        bound = self._bound_to(node, name)
        if bound is None or bound == {full}:
            need_import(self.context, module, name)
            return cst.Name(name)
        stem = f"{module.replace('.', '_')}_{name}"
        alias, suffix = stem, 1
        while (bound := self._bound_to(node, alias)) is not None and bound != {full}:
            suffix += 1
            alias = f"{stem}{suffix}"
        need_import(self.context, module, name, asname=alias)
        return cst.Name(alias)

    def module_reference(self, node: cst.CSTNode, module: str) -> cst.BaseExpression | None:
        """``module`` (dotted) as an expression where ``node`` is, with ``import module`` scheduled.

        None when the module's top-level name is bound to something else there.
        """
        top = module.split(".", 1)[0]
        bound = self._bound_to(node, top)
        if bound is not None and bound != frozenset({top}):
            return None
        need_import(self.context, module)
        return cst.parse_expression(module)

    def forget(self, original: cst.CSTNode) -> None:
        """``original`` is going away: the import it used goes too, if nothing else uses it."""
        root = root_name(original)
        if root is None:
            return
        scope = self.get_metadata(ScopeProvider, root, None)
        if scope is None or root.value not in scope:
            return
        for assignment in scope[root.value]:
            if isinstance(assignment, ImportAssignment) and isinstance(
                assignment.node, (cst.Import, cst.ImportFrom)
            ):
                spec = import_spec(assignment.node, root.value)
                if spec is not None:
                    self.unused_candidates.add(spec)


def root_name(node: cst.CSTNode) -> cst.Name | None:
    """``a`` for ``a``, ``a.b.c``, ``a.b(...)``, ``@a.b`` and an argument ``x=a.b``."""
    while True:
        if isinstance(node, cst.Name):
            return node
        if isinstance(node, cst.Attribute):
            node = node.value
        elif isinstance(node, cst.Call):
            node = node.func
        elif isinstance(node, cst.Decorator):
            node = node.decorator
        elif isinstance(node, cst.Arg):
            node = node.value
        else:
            return None
