"""Shared pieces of the Python-code rules (libcst). Not a rule: the module name starts with ``_``.

What :mod:`codemods._base` leaves to rules that resolve names and report manual items:

- :class:`PythonRuleTransformer`: a ``ContextAwareTransformer`` with positions and notes;
  :class:`ResolvingRuleTransformer` adds qualified-name, scope and parent metadata and helpers to ask what a node refers to (through any import
  alias), to write a manual item with ``file:line`` into ``RuleContext.notes``, and to build a
  reference to ``module.name`` that is valid where it is used, scheduling the import it needs.
- :func:`run_rule`: run such a transformer over a source string with ``_base.transform_source``.
- :func:`remove_decorators`, :func:`drop_arg`, :func:`keyword_arg`, :func:`last_identifier`:
  small tree edits several rules make.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import ClassVar, TypeVar

import libcst as cst
from libcst.codemod import CodemodContext, ContextAwareTransformer
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor
from libcst.metadata import (
    ParentNodeProvider,
    PositionProvider,
    ProviderT,
    QualifiedNameProvider,
    QualifiedNameSource,
    ScopeProvider,
)

from codemods import RuleContext
from codemods._base import docs_note, transform_source

_Node = TypeVar("_Node", cst.ClassDef, cst.FunctionDef)


class PythonRuleTransformer(ContextAwareTransformer):
    """Base of the libcst rules: the rule's context and notes with ``file:line``.

    Only positions are computed; rules that resolve names use :class:`ResolvingRuleTransformer`
    (libcst unions ``METADATA_DEPENDENCIES`` over the class hierarchy, so a base cannot shrink).
    """

    METADATA_DEPENDENCIES: ClassVar[Collection[ProviderT]] = (PositionProvider,)

    #: The rule's docs link, used in notes.
    docs: ClassVar[str] = ""

    def __init__(self, context: CodemodContext, rule_context: RuleContext) -> None:
        super().__init__(context)
        self.rule_context = rule_context

    def line(self, node: cst.CSTNode) -> int | None:
        position = self.get_metadata(PositionProvider, node, None)
        return position.start.line if position is not None else None

    def note(self, node: cst.CSTNode, message: str) -> None:
        """Record a manual item for the report: ``file:line: message (see docs)``."""
        self.rule_context.notes.append(
            docs_note(self.rule_context.filename, self.line(node), message, self.docs)
        )


class ResolvingRuleTransformer(PythonRuleTransformer):
    """A rule transformer that also knows what names refer to, their scopes and parents."""

    METADATA_DEPENDENCIES: ClassVar[Collection[ProviderT]] = (
        QualifiedNameProvider,
        ScopeProvider,
        ParentNodeProvider,
    )

    # -- what a node refers to ---------------------------------------------------------------

    def qualified_names(self, node: cst.CSTNode) -> frozenset[str]:
        """Dotted names ``node`` may refer to, through imports and aliases (empty if unknown)."""
        found = self.get_metadata(QualifiedNameProvider, node, set())
        return frozenset(q.name for q in found)

    def refers_to(self, node: cst.CSTNode, names: Collection[str]) -> str | None:
        """The one of ``names`` that ``node`` refers to, if any."""
        for name in self.qualified_names(node):
            if name in names:
                return name
        return None

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        return self.get_metadata(ParentNodeProvider, node, None)

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
                AddImportsVisitor.add_needed_import(self.context, module)
                return cst.parse_expression(full)
        bound = self._bound_to(node, name)
        if bound is None or bound == {full}:
            AddImportsVisitor.add_needed_import(self.context, module, name)
            return cst.Name(name)
        stem = f"{module.replace('.', '_')}_{name}"
        alias, suffix = stem, 1
        while (bound := self._bound_to(node, alias)) is not None and bound != {full}:
            suffix += 1
            alias = f"{stem}{suffix}"
        AddImportsVisitor.add_needed_import(self.context, module, name, asname=alias)
        return cst.Name(alias)

    def module_reference(self, node: cst.CSTNode, module: str) -> cst.BaseExpression | None:
        """``module`` (dotted) as an expression where ``node`` is, with ``import module`` scheduled.

        None when the module's top-level name is bound to something else there.
        """
        top = module.split(".", 1)[0]
        bound = self._bound_to(node, top)
        if bound is not None and bound != frozenset({top}):
            return None
        AddImportsVisitor.add_needed_import(self.context, module)
        return cst.parse_expression(module)

    def forget(self, original: cst.CSTNode) -> None:
        """Schedule removal of the imports ``original`` used, if nothing else uses them."""
        RemoveImportsVisitor.remove_unused_import_by_node(self.context, original)


def run_rule(
    source: str,
    context: RuleContext,
    transformer: Callable[[CodemodContext, RuleContext], PythonRuleTransformer],
) -> str:
    """Run one rule's transformer over ``source``; ``source`` itself when nothing changed.

    Blank lines left at the top of the file by removing its first import are dropped.
    """
    result = transform_source(
        source,
        lambda codemod_context: transformer(codemod_context, context),
        filename=context.filename,
    )
    if result is not source and result[:1] in ("\n", "\r") and source[:1] not in ("\n", "\r"):
        return result.lstrip("\r\n")
    return result


def last_identifier(node: cst.BaseExpression) -> str | None:
    """``request`` for ``request``, ``self.request`` and ``get_request().request``; else None."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return node.attr.value
    return None


def dotted_name(node: cst.BaseExpression) -> str | None:
    """``a.b.c`` for a chain of names and attributes; None for anything else."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        inner = dotted_name(node.value)
        return f"{inner}.{node.attr.value}" if inner is not None else None
    return None


def keyword_arg(keyword: str, value: cst.BaseExpression, like: cst.Arg | None = None) -> cst.Arg:
    """``keyword=value``, keeping the comma and whitespace of ``like`` (an argument it replaces)."""
    arg = cst.Arg(
        value=value,
        keyword=cst.Name(keyword),
        equal=cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
        ),
    )
    if like is not None:
        arg = arg.with_changes(comma=like.comma, whitespace_after_arg=like.whitespace_after_arg)
    return arg


def append_arg(call: cst.Call, arg: cst.Arg) -> list[cst.Arg]:
    """``call``'s arguments with ``arg`` added last, in the call's layout (one per line stays so)."""
    args = list(call.args)
    if not args:
        return [arg]
    last = args[-1]
    if isinstance(last.comma, cst.Comma):  # trailing comma: the new argument goes before it
        if len(args) >= 2 and isinstance(args[-2].comma, cst.Comma):
            separator = args[-2].comma
        else:
            separator = cst.Comma(whitespace_after=call.whitespace_before_args)
        args[-1] = last.with_changes(comma=separator)
        return [*args, arg.with_changes(comma=last.comma)]
    args[-1] = last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
    return [*args, arg.with_changes(comma=cst.MaybeSentinel.DEFAULT)]


def drop_arg(args: Sequence[cst.Arg], index: int) -> list[cst.Arg]:
    """``args`` without ``args[index]``; the new last argument takes over the dropped one's comma."""
    kept = [arg for i, arg in enumerate(args) if i != index]
    if kept and index == len(args) - 1:
        kept[-1] = kept[-1].with_changes(comma=args[index].comma)
    return kept


def remove_decorators(node: _Node, indices: Collection[int]) -> _Node:
    """``node`` without its decorators at ``indices``; comment lines above them are kept.

    Indices, not nodes: metadata belongs to the original tree while edits go to the updated one.
    """
    if not indices:
        return node
    kept: list[cst.Decorator] = []
    carry: list[cst.EmptyLine] = []
    item: cst.Decorator
    for index, item in enumerate(node.decorators):
        if index in indices:
            carry.extend(line for line in item.leading_lines if line.comment is not None)
            if item.trailing_whitespace.comment is not None:
                carry.append(cst.EmptyLine(comment=item.trailing_whitespace.comment))
            continue
        leading: list[cst.EmptyLine] = [*carry, *item.leading_lines]
        kept.append(item.with_changes(leading_lines=leading) if carry else item)
        carry = []
    new = node.with_changes(decorators=kept)
    if carry:
        new = new.with_changes(lines_after_decorators=[*carry, *node.lines_after_decorators])
    return new
