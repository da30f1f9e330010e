"""Shared pieces of the Python-code rules (libcst). Not a rule: the module name starts with ``_``.

What :mod:`codemods._base` leaves to rules that resolve names and report manual items:

- :class:`PythonRuleTransformer`: a plain ``CSTTransformer`` that knows the rule's context and
  writes manual items with ``file:line`` into ``RuleContext.notes`` (positions are computed only
  when a note is written) and each node's parent; :class:`ResolvingRuleTransformer` adds scope
  analysis, helpers to ask what a node refers to through any import alias, and references to
  ``module.name`` that are valid where they are used, scheduling the import they need.
- :func:`run_rule`: parse once, run one such transformer, add the imports it scheduled with
  ``AddImportsVisitor.add_needed_import`` and drop the imports it made unused. Both are done with
  plain tree edits instead of libcst's import visitors, which each run another metadata pass: a
  parse plus one scope analysis is what a file costs.
- :func:`remove_decorators`, :func:`rename_method`, :func:`drop_arg`, :func:`append_arg`,
  :func:`keyword_arg`, :func:`last_identifier`, :func:`dotted_name`: small tree edits several
  rules make.
- :func:`is_test_file`: whether a file is test code (``runtests.py``, ``conftest.py``, ``test*.py``,
  a ``tests/`` folder, ...), for rules and detectors that treat tests differently.
- :func:`parse_ast`, :func:`import_targets`, :func:`binds_any`, :func:`ast_dotted_name`: the
  standard library's ``ast`` (about 4x cheaper than a libcst parse, 20x with scope analysis) for
  the checks a rule makes before it hands a file to libcst, so a file its needles let through but
  it will not change costs no libcst parse or scope analysis. These checks must only ever
  over-approximate what the libcst pass would act on.
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, NamedTuple, TypeVar

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

_Node = TypeVar("_Node", cst.ClassDef, cst.FunctionDef)


class CodemodContext:
    """What our transformers use of ``libcst.codemod.CodemodContext``: the file name and the
    scratch where ``need_import`` schedules imports. Not libcst's own: importing
    ``libcst.codemod`` costs 0.4 s of CPU and 8 MB in every process (``libcst.matchers``)."""

    def __init__(self, filename: str | None = None) -> None:
        self.filename = filename
        self.scratch: dict[str, Any] = {}


class ImportItem(NamedTuple):
    """An import a rule needs (the fields of ``libcst.codemod.visitors.ImportItem`` we use)."""

    module_name: str
    obj_name: str | None = None
    alias: str | None = None
    relative: int = 0


_NEEDED_IMPORTS = "upgrader.needed_imports"  # the scratch key


def need_import(
    context: CodemodContext, module: str, obj: str | None = None, asname: str | None = None
) -> None:
    """Schedule ``import module`` / ``from module import obj [as asname]`` (``run_rule`` adds
    it unless the file has it), as ``AddImportsVisitor.add_needed_import`` does."""
    name = module.lstrip(".")
    item = ImportItem(name, obj, asname, len(module) - len(name))
    context.scratch.setdefault(_NEEDED_IMPORTS, []).append(item)


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
        self.unused_candidates: set[_ImportSpec] = set()  # imports that may now be unused
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
        root = _root_name(original)
        if root is None:
            return
        scope = self.get_metadata(ScopeProvider, root, None)
        if scope is None or root.value not in scope:
            return
        for assignment in scope[root.value]:
            if isinstance(assignment, ImportAssignment) and isinstance(
                assignment.node, (cst.Import, cst.ImportFrom)
            ):
                spec = _import_spec(assignment.node, root.value)
                if spec is not None:
                    self.unused_candidates.add(spec)


@dataclass(frozen=True)
class _ImportSpec:
    """One imported name: ``from <module> import <name> as <asname>`` (``module`` None: ``import``)."""

    module: str | None
    name: str
    asname: str | None
    bound: str  # the identifier it binds


def _import_aliases(statement: cst.BaseSmallStatement) -> Sequence[cst.ImportAlias] | None:
    if isinstance(statement, cst.Import):
        return statement.names
    if isinstance(statement, cst.ImportFrom) and not isinstance(statement.names, cst.ImportStar):
        return statement.names
    return None


def _from_module(node: cst.ImportFrom) -> str:
    return "." * len(node.relative) + (dotted_name(node.module) or "" if node.module else "")


def _alias_spec(statement: cst.Import | cst.ImportFrom, alias: cst.ImportAlias) -> _ImportSpec:
    name = dotted_name(alias.name) or ""
    asname = (
        alias.asname.name.value
        if alias.asname and isinstance(alias.asname.name, cst.Name)
        else None
    )
    bound = asname or name.split(".", 1)[0]
    module = _from_module(statement) if isinstance(statement, cst.ImportFrom) else None
    return _ImportSpec(module, name, asname, bound)


def _import_spec(statement: cst.Import | cst.ImportFrom, bound: str) -> _ImportSpec | None:
    for alias in _import_aliases(statement) or ():
        spec = _alias_spec(statement, alias)
        if spec.bound == bound:
            return spec
    return None


def _root_name(node: cst.CSTNode) -> cst.Name | None:
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


class _UsedNames(cst.CSTVisitor):
    """Every identifier used outside import statements (``__all__`` strings included)."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node.value)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)  # ``x.utc`` uses ``x``, not a name ``utc``
        return False

    def visit_Arg(self, node: cst.Arg) -> bool:
        node.value.visit(self)  # ``f(utc=1)``: the keyword is not a use of ``utc``
        return False

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        value = node.evaluated_value
        if isinstance(value, str) and value.isidentifier():
            self.names.add(value)  # ``__all__ = ["name"]`` and string annotations keep imports


class _UnusedImportRemover(cst.CSTTransformer):
    """Drop the import aliases in ``specs`` (already known to be unused)."""

    def __init__(self, specs: Collection[_ImportSpec]) -> None:
        super().__init__()
        self.specs = frozenset(specs)

    def _remaining(self, statement: cst.BaseSmallStatement) -> list[cst.ImportAlias] | None:
        """The aliases ``statement`` keeps; None when it is not an import losing any."""
        aliases = _import_aliases(statement)
        if aliases is None:
            return None
        assert isinstance(statement, (cst.Import, cst.ImportFrom))
        kept = [a for a in aliases if _alias_spec(statement, a) not in self.specs]
        if len(kept) == len(aliases):
            return None
        if kept:
            last_comma = aliases[-1].comma
            if isinstance(statement, cst.ImportFrom) and statement.rpar is None:
                last_comma = cst.MaybeSentinel.DEFAULT
            kept[-1] = kept[-1].with_changes(comma=last_comma)
        return kept

    def emptied(self, statement: cst.BaseStatement) -> bool:
        """Whether ``statement`` is a line of imports that all go."""
        return isinstance(statement, cst.SimpleStatementLine) and all(
            self._remaining(small) == [] for small in statement.body
        )

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine | cst.RemovalSentinel:
        body: list[cst.BaseSmallStatement] = []
        changed = False
        for small in updated_node.body:
            kept = self._remaining(small)
            if kept is None:
                body.append(small)
                continue
            changed = True
            if kept:
                body.append(small.with_changes(names=kept))
        if not changed:
            return updated_node
        if not body:
            return cst.RemoveFromParent()
        if isinstance(body[-1].semicolon, cst.Semicolon):
            body[-1] = body[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
        return updated_node.with_changes(body=body)


def _remove_unused_imports(module: cst.Module, candidates: Collection[_ImportSpec]) -> cst.Module:
    used = _UsedNames()
    module.visit(used)
    unused = {spec for spec in candidates if spec.bound not in used.names}
    if not unused:
        return module
    remover = _UnusedImportRemover(unused)
    # Comment lines above a removed top-level import move to the next statement.
    body: list[cst.BaseStatement] = []
    carry: list[cst.EmptyLine] = []
    for statement in module.body:
        if remover.emptied(statement):
            assert isinstance(statement, cst.SimpleStatementLine)
            if any(line.comment is not None for line in statement.leading_lines):
                carry.extend(statement.leading_lines)  # the comment keeps its blank line above
            continue
        new = statement.visit(remover)
        assert isinstance(new, cst.BaseStatement)
        if carry:
            new = new.with_changes(leading_lines=[*carry, *new.leading_lines])
            carry = []
        body.append(new)
    new_module = module.with_changes(body=body)
    if carry:
        new_module = new_module.with_changes(footer=[*carry, *module.footer])
    return new_module


def _is_docstring(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _is_import_line(statement: cst.BaseStatement) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and all(
        isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body
    )


def _join_from_import(line: cst.BaseStatement, name: str) -> cst.BaseStatement:
    """``from m import a`` + ``b`` -> ``from m import a, b`` (a parenthesized list stays so)."""
    assert isinstance(line, cst.SimpleStatementLine)
    statement = line.body[0]
    assert isinstance(statement, cst.ImportFrom) and not isinstance(statement.names, cst.ImportStar)
    parsed = cst.parse_statement(f"from m import {name}")
    assert isinstance(parsed, cst.SimpleStatementLine)
    new_import = parsed.body[0]
    assert isinstance(new_import, cst.ImportFrom) and not isinstance(
        new_import.names, cst.ImportStar
    )
    alias = new_import.names[0]
    names = list(statement.names)
    last = names[-1]
    if isinstance(last.comma, cst.Comma):  # parenthesized with a trailing comma
        separator = names[-2].comma if len(names) >= 2 else last.comma
        names[-1] = last.with_changes(comma=separator)
        names.append(alias.with_changes(comma=last.comma))
    else:
        names[-1] = last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        names.append(alias)
    return line.with_changes(body=[statement.with_changes(names=names)])


def _add_imports(module: cst.Module, items: Sequence[ImportItem]) -> cst.Module:
    """``module`` with the imports ``items`` asks for, unless already there.

    A name from a module the file already imports from joins that ``from`` statement; anything
    else gets its own line after the file's leading block of imports (after the docstring when
    there is none). Only the top level is looked at, like ``AddImportsVisitor`` but without its
    second metadata pass.
    """
    body: list[cst.BaseStatement] = list(module.body)
    existing: set[_ImportSpec] = set()
    from_lines: dict[str, int] = {}  # module -> index of a top-level ``from module import ...``
    for index, statement in enumerate(body):
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, (cst.Import, cst.ImportFrom)):
                for alias in _import_aliases(small) or ():
                    existing.add(_alias_spec(small, alias))
            if isinstance(small, cst.ImportFrom) and len(statement.body) == 1:
                if isinstance(small.names, cst.ImportStar):
                    existing.add(_ImportSpec(_from_module(small), "*", None, "*"))
                else:
                    from_lines.setdefault(_from_module(small), index)
    plain_lines: list[str] = []
    new_from: dict[str, list[str]] = {}  # module -> names for new ``from`` lines
    for item in items:
        module_name = "." * item.relative + item.module_name
        if item.obj_name is None:
            spec = _ImportSpec(
                None, module_name, item.alias, item.alias or module_name.split(".")[0]
            )
            if spec not in existing:
                existing.add(spec)
                plain_lines.append(
                    f"import {module_name}" + (f" as {item.alias}" if item.alias else "")
                )
            continue
        spec = _ImportSpec(module_name, item.obj_name, item.alias, item.alias or item.obj_name)
        if spec in existing or _ImportSpec(module_name, "*", None, "*") in existing:
            continue
        existing.add(spec)
        name = item.obj_name + (f" as {item.alias}" if item.alias else "")
        line_index = from_lines.get(module_name)
        if line_index is None:
            new_from.setdefault(module_name, []).append(name)
        else:
            body[line_index] = _join_from_import(body[line_index], name)
    new_lines = sorted(plain_lines) + [
        f"from {name} import {', '.join(sorted(names))}" for name, names in sorted(new_from.items())
    ]
    if not new_lines:
        return module.with_changes(body=body)
    position = 0
    for index, statement in enumerate(body):
        if _is_import_line(statement):
            position = index + 1
        elif index == 0 and _is_docstring(statement):
            position = 1
        else:
            break
    statements = [cst.parse_statement(code, config=module.config_for_parsing) for code in new_lines]
    if position < len(body) and not any(_is_import_line(s) for s in body[:position]):
        following = body[position]
        if not getattr(following, "leading_lines", True):  # set a new import block off the code
            body[position] = following.with_changes(leading_lines=[cst.EmptyLine()])
    return module.with_changes(body=[*body[:position], *statements, *body[position:]])


def run_rule(
    source: str,
    context: RuleContext,
    transformer: Callable[[CodemodContext, RuleContext], PythonRuleTransformer],
) -> str:
    """Run one rule's transformer over ``source``; ``source`` itself when nothing changed.

    A syntax error propagates as ``libcst.ParserSyntaxError`` (the engine reports the file).
    Blank lines left at the top of the file by removing its first import are dropped.
    """
    module = cst.parse_module(source)
    codemod_context = CodemodContext(filename=context.filename)
    rule = transformer(codemod_context, context)
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    rule.wrapper = wrapper
    new = wrapper.visit(rule)
    needed = codemod_context.scratch.get(_NEEDED_IMPORTS)
    if needed:
        new = _add_imports(new, needed)
    if rule.unused_candidates:
        new = _remove_unused_imports(new, rule.unused_candidates)
    result = new.code
    if result == source:
        return source
    if result[:1] in ("\n", "\r") and source[:1] not in ("\n", "\r"):
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
    # No trailing comma: what followed the last argument (``\n    )``) follows the new one, after
    # the separator the other arguments use when that breaks the line (one argument per line).
    separator = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    previous = args[-2].comma if len(args) >= 2 else None
    if isinstance(previous, cst.Comma):
        if isinstance(previous.whitespace_after, cst.ParenthesizedWhitespace):
            separator = previous
    elif isinstance(last.whitespace_after_arg, cst.ParenthesizedWhitespace) and isinstance(
        call.whitespace_before_args, cst.ParenthesizedWhitespace
    ):  # ``f(\n    a\n)``: the one argument is on a line of its own, so is the new one
        separator = cst.Comma(whitespace_after=call.whitespace_before_args)
    args[-1] = last.with_changes(comma=separator, whitespace_after_arg=cst.SimpleWhitespace(""))
    return [
        *args,
        arg.with_changes(
            comma=cst.MaybeSentinel.DEFAULT, whitespace_after_arg=last.whitespace_after_arg
        ),
    ]


def drop_arg(args: Sequence[cst.Arg], index: int) -> list[cst.Arg]:
    """``args`` without ``args[index]``; the new last argument takes over the dropped one's comma."""
    kept = [arg for i, arg in enumerate(args) if i != index]
    if kept and index == len(args) - 1:
        kept[-1] = kept[-1].with_changes(comma=args[index].comma)
    return kept


class _SuperCallRenamer(cst.CSTTransformer):
    def __init__(self, old: str, new: str) -> None:
        super().__init__()
        self.old, self.new = old, new

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.Attribute:
        value = updated_node.value
        if (
            updated_node.attr.value == self.old
            and isinstance(value, cst.Call)
            and isinstance(value.func, cst.Name)
            and value.func.value == "super"
        ):
            return updated_node.with_changes(attr=cst.Name(self.new))
        return updated_node


def rename_method(node: cst.FunctionDef, new: str) -> cst.FunctionDef:
    """Method ``node`` renamed ``new``, with its ``super().<old name>(...)`` calls."""
    renamer = _SuperCallRenamer(node.name.value, new)
    return node.with_changes(name=node.name.with_changes(value=new), body=node.body.visit(renamer))


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


def parse_ast(source: str) -> ast.Module | None:
    """``source`` parsed by ``ast``; None when ``ast`` cannot (the caller then uses libcst)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escapes: the engine reports those
            return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def ast_dotted_name(node: ast.expr) -> str | None:
    """``a.b.c`` for a chain of names and attributes; None for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = ast_dotted_name(node.value)
        return f"{inner}.{node.attr}" if inner is not None else None
    return None


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


def binds_any(tree: ast.AST, names: Collection[str]) -> bool:
    """Whether ``tree`` binds (or deletes, or declares global) any of ``names`` anywhere.

    When it does not, every use of those names refers to the builtins. Star imports are not
    counted: libcst's scope analysis does not see through them either.
    """
    return any(name in names for node in ast.walk(tree) for name in _bound_names(node))


class SuperCallArg(cst.CSTTransformer):
    """``super().<method>(a, b)`` with ``len(before)`` plain arguments -> ``(a, b, <name>)``.

    Used by :class:`DefaultedParameterTransformer`."""

    def __init__(self, method: str, positional: int, name: str) -> None:
        super().__init__()
        self.method, self.positional, self.name = method, positional, name

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        func = updated_node.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value == self.method
            and isinstance(func.value, cst.Call)
            and dotted_name(func.value.func) == "super"
            and len(updated_node.args) == self.positional
            and all(arg.keyword is None and not arg.star for arg in updated_node.args)
        ):
            arg = cst.Arg(cst.Name(self.name))
            return updated_node.with_changes(args=append_arg(updated_node, arg))
        return updated_node


def add_defaulted_parameter(
    node: cst.FunctionDef, positional: int, name: str, method: str
) -> cst.FunctionDef | None:
    """``def m(self, a)`` (``positional`` parameters, self included) -> ``def m(self, a,
    name=None)``, passing ``name`` on in ``super().m(a)`` calls; None when the signature is not
    exactly that (``*args``, keyword-only, another count)."""
    params = node.params
    if (
        len(params.params) != positional
        or params.posonly_params
        or params.kwonly_params
        or not isinstance(params.star_arg, cst.MaybeSentinel)
        or params.star_kwarg is not None
    ):
        return None
    last = params.params[-1]
    added = cst.Param(
        name=cst.Name(name),
        default=cst.Name("None"),
        equal=cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(""),
            whitespace_after=cst.SimpleWhitespace(""),
        ),
        comma=last.comma,
    )
    new_params = [
        *params.params[:-1],
        last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))),
        added,
    ]
    body = node.body.visit(SuperCallArg(method, positional - 1, name))
    assert isinstance(body, cst.BaseSuite)
    return node.with_changes(params=params.with_changes(params=new_params), body=body)


class DefaultedParameterTransformer(PythonRuleTransformer):
    """A method of classes whose base name ends with ``base_suffix`` gains ``parameter=None``.

    ``def <method>(self, a)`` (``positional`` parameters, self included) in, e.g., a class whose
    base is ``...Inline`` becomes ``def <method>(self, a, <parameter>=None)``, passing it on in
    ``super().<method>(a)``: the shape of Django's admin hooks that gained an argument.
    """

    method: ClassVar[str] = ""
    base_suffix: ClassVar[str] = ""
    positional: ClassVar[int] = 0
    parameter: ClassVar[str] = ""

    def __init__(self, context: CodemodContext, rule_context: RuleContext) -> None:
        super().__init__(context, rule_context)
        self._matching_class: list[bool] = []  # per enclosing class: does a base match?

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        bases = [(dotted_name(base.value) or "").rpartition(".")[2] for base in node.bases]
        self._matching_class.append(any(base.endswith(self.base_suffix) for base in bases))

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.ClassDef:
        self._matching_class.pop()
        return updated_node

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        if updated_node.name.value != self.method or not (
            self._matching_class and self._matching_class[-1]
        ):
            return updated_node
        changed = add_defaulted_parameter(
            updated_node, self.positional, self.parameter, self.method
        )
        return updated_node if changed is None else changed
