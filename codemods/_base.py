"""Shared helpers for Python and settings rules (libcst). Not a rule: the module name starts with ``_``.

The API other rule modules use:

- :func:`parse_module`: ``source`` parsed by libcst, in a :class:`MetadataWrapper` kept for the
  next rule: the engine hands every rule of a file the text the previous one returned, so while
  they change nothing the file is parsed (and its scope analysis run) once for all of them.
- :func:`transform_source`: parse, run one transformer (a plain ``cst.CSTTransformer`` or a
  ``libcst.codemod.ContextAwareTransformer``), then the import helpers it scheduled
  (``AddImportsVisitor.add_needed_import`` / ``RemoveImportsVisitor.remove_unused_import`` on the
  ``CodemodContext`` it was given), and return the *input string itself* when nothing changed.
- :func:`string_value`: the value of a plain (non-f) string literal expression, else ``None``.
- :func:`assigned_names` / :func:`has_star_import`: which names a module assigns at module level
  (outside functions and classes), for "is this setting set?" questions.
- :func:`append_statement`: add one statement at the end of a module, in the module's own
  newline and indentation style.
- :func:`remove_assignments`: remove top-level ``NAME = ...`` statements for the given names,
  keeping the comments that were above them; returns the removed names and lines.
- :func:`line_of`: the 1-based line of a character offset; :func:`docs_note`: a report note.
- :func:`string_literal`: a string literal in the quote style the file mostly uses.

A syntax error from libcst propagates as ``libcst.ParserSyntaxError``; the engine reports it as a
failed file (rules never have to catch it).
"""

from __future__ import annotations

import ast
import threading
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst
from libcst.metadata import MetadataWrapper
from packaging.version import Version

from codemods import RuleContext
from codemods import docs_note as docs_note  # re-exported: it lives where libcst is not imported
from codemods._python_ast import parse_ast

if TYPE_CHECKING:
    # libcst.codemod costs 0.4 s of CPU and 8 MB per process to import (libcst.matchers): only
    # transform_source needs it, so only a process that runs such a rule imports it.
    from libcst.codemod import CodemodContext

TransformerFactory = Callable[["CodemodContext"], cst.CSTTransformer]


class _LastParse(threading.local):
    """The last text parse_module parsed and its wrapper, per thread (rules run file after file)."""

    entry: tuple[str, MetadataWrapper] | None = None


_LAST_PARSE = _LastParse()


def parse_module(source: str) -> MetadataWrapper:
    """``source`` parsed by libcst, wrapped for metadata; the same wrapper for the same text.

    libcst trees are immutable and a wrapper keeps what it resolved (scope analysis, positions),
    so the rules of one file share one parse and one analysis until one of them changes the text.
    Wrap with ``unsafe_skip_copy``: the nodes a visitor sees are the module's own.
    """
    entry = _LAST_PARSE.entry
    if entry is not None and entry[0] == source:
        return entry[1]
    _LAST_PARSE.entry = entry = None  # the old tree is not kept alive while the new one is parsed
    wrapper = MetadataWrapper(cst.parse_module(source), unsafe_skip_copy=True)
    _LAST_PARSE.entry = (source, wrapper)
    return wrapper


def transform_source(source: str, make: TransformerFactory, *, filename: str = "<string>") -> str:
    """Run the transformer ``make(context)`` builds over ``source``; ``source`` itself if unchanged.

    Metadata the transformer declares (``METADATA_DEPENDENCIES``) is resolved for it. Imports it
    scheduled through ``AddImportsVisitor``/``RemoveImportsVisitor`` on the context are applied
    afterwards, so rules never edit import statements by hand.
    """
    from libcst.codemod import CodemodContext, ContextAwareTransformer
    from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor

    wrapper = parse_module(source)
    module = wrapper.module
    context = CodemodContext(filename=filename)
    transformer = make(context)
    if isinstance(transformer, ContextAwareTransformer):
        new = transformer.transform_module(module)
    elif transformer.get_inherited_dependencies():
        new = wrapper.visit(transformer)
    else:
        new = module.visit(transformer)
    if context.scratch.get(AddImportsVisitor.CONTEXT_KEY):
        new = AddImportsVisitor(context).transform_module(new)
    if context.scratch.get(RemoveImportsVisitor.CONTEXT_KEY):
        new = RemoveImportsVisitor(context).transform_module(new)
    code = new.code
    return source if code == source else code


def string_value(node: cst.BaseExpression) -> str | None:
    """The value of a plain string literal (implicit concatenation included); None for f-strings."""
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


class _AssignedNames(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: set[str] = set()
        self.star_import = False
        self._depth = 0  # > 0 inside a function, class or lambda

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._depth += 1

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._depth -= 1

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._depth += 1

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._depth -= 1

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self._depth += 1

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self._depth -= 1

    def _target(self, target: cst.BaseExpression) -> None:
        if self._depth:
            return
        if isinstance(target, cst.Name):
            self.names.add(target.value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._target(element.value)
        elif isinstance(target, cst.StarredElement):
            self._target(target.value)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._target(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._target(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._target(node.target)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._target(node.target)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if self._depth:
            return
        if isinstance(node.names, cst.ImportStar):
            self.star_import = True
        else:
            for alias in node.names:
                name = alias.asname.name if alias.asname else alias.name
                if isinstance(name, cst.Name):
                    self.names.add(name.value)

    def visit_Global(self, node: cst.Global) -> None:
        # ``global X`` inside a function can set X at module level: count it as set.
        self.names.update(item.name.value for item in node.names)


def _scan(module: cst.Module) -> _AssignedNames:
    scanner = _AssignedNames()
    module.visit(scanner)
    return scanner


def assigned_names(module: cst.Module) -> frozenset[str]:
    """Names a module binds outside functions and classes (``if``/``try`` blocks included)."""
    return frozenset(_scan(module).names)


def has_star_import(module: cst.Module) -> bool:
    """Whether the module does ``from X import *`` (a setting may then come from X)."""
    return _scan(module).star_import


def append_statement(module: cst.Module, code: str, *, comment: str | None = None) -> cst.Module:
    """``module`` with the statement ``code`` (one line, no newline) added at its end.

    A blank line separates it from what comes before; ``comment`` (without ``#``) goes on the
    line above it. The module's newline style (CRLF stays CRLF) is used for the new lines.
    """
    statement = cst.parse_statement(code, config=module.config_for_parsing)
    leading: list[cst.EmptyLine] = [cst.EmptyLine()] if module.body else []
    if comment is not None:
        leading.append(cst.EmptyLine(comment=cst.Comment(f"# {comment}")))
    statement = statement.with_changes(leading_lines=leading)
    return module.with_changes(body=[*module.body, statement])


def _assigns_only(statement: cst.BaseSmallStatement, names: Collection[str]) -> bool:
    if isinstance(statement, cst.Assign):
        targets = [t.target for t in statement.targets]
    elif isinstance(statement, cst.AnnAssign):
        targets = [statement.target]
    else:
        return False
    return all(isinstance(t, cst.Name) and t.value in names for t in targets)


def remove_assignments(
    module: cst.Module,
    names: Collection[str],
    keep: Callable[[cst.BaseExpression], bool] = lambda _value: False,
) -> tuple[cst.Module, list[tuple[str, int]]]:
    """Remove top-level ``NAME = value`` statements for ``names`` unless ``keep(value)``.

    Only the module's own top level is looked at (settings live there). ``A = 1; B = 2`` loses just
    the matching part. Comment and blank lines above a removed line move to the next statement (or
    the module footer), so no user text is lost. Returns the new module and ``(name, line)`` per removal.
    """
    wanted = frozenset(names)

    def removable(statement: cst.BaseSmallStatement) -> str | None:
        if isinstance(statement, cst.Assign) and len(statement.targets) == 1:
            target = statement.targets[0].target
        elif isinstance(statement, cst.AnnAssign) and statement.value is not None:
            target = statement.target
        else:
            return None
        if not isinstance(target, cst.Name) or target.value not in wanted:
            return None
        assert statement.value is not None
        return None if keep(statement.value) else target.value

    removed: list[tuple[str, int]] = []
    body: list[cst.BaseStatement] = []
    carry: list[cst.EmptyLine] = []
    line = len(module.header) + 1
    for statement in module.body:
        start = line + len(statement.leading_lines)
        line += len(module.code_for_node(statement).splitlines())
        if isinstance(statement, cst.SimpleStatementLine):
            hits = [removable(s) for s in statement.body]
            if any(hits):
                removed.extend((name, start) for name in hits if name)
                kept = [s for s, hit in zip(statement.body, hits, strict=True) if not hit]
                if not kept:
                    carry.extend(statement.leading_lines)
                    continue
                if isinstance(kept[-1].semicolon, cst.Semicolon):
                    kept[-1] = kept[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
                statement = statement.with_changes(body=kept)
        if carry:
            statement = statement.with_changes(
                leading_lines=_join_lines(carry, statement.leading_lines)
            )
            carry = []
        body.append(statement)
    if not removed:
        return module, removed
    new = module.with_changes(body=body)
    if carry:
        new = new.with_changes(footer=_join_lines(carry, module.footer))
    return new, removed


def _join_lines(
    first: Sequence[cst.EmptyLine], second: Sequence[cst.EmptyLine]
) -> list[cst.EmptyLine]:
    """``first + second`` without doubling the blank line where they meet."""
    if first and second and _blank(first[-1]) and _blank(second[0]):
        return [*first, *second[1:]]
    return [*first, *second]


def _blank(line: cst.EmptyLine) -> bool:
    return line.comment is None


def remove_setting_if(
    source: str,
    context: RuleContext,
    setting: str,
    removable: Callable[[cst.BaseExpression], bool],
    manual: str,
    docs: str,
) -> str:
    """Remove ``setting = value`` from a settings module where ``removable(value)`` (a value
    that changes nothing once the setting is gone); every other value stays, with the note
    ``manual`` at its line. Comment lines above a removed line stay."""
    if not context.is_settings or setting not in source:
        return source
    module = parse_module(source).module
    _unused, kept = remove_assignments(module, {setting}, keep=removable)
    for _name, line in kept:  # what removing the other values would have removed
        context.notes.append(docs_note(context.filename, line, manual, docs))
    new, removed = remove_assignments(module, {setting}, keep=lambda value: not removable(value))
    return new.code if removed else source


def line_of(text: str, offset: int) -> int:
    """1-based line number of ``offset`` in ``text``."""
    return text.count("\n", 0, offset) + 1


def string_literal(value: str, like: str) -> str:
    """``value`` as a Python string literal quoted the way ``like`` (a source file) mostly quotes.

    Single quotes when the file uses more ``'`` than ``"`` (Django 2.2's settings template does),
    double quotes otherwise; the other quote when the value contains the preferred one.
    """
    quote = "'" if like.count("'") > like.count('"') else '"'
    if quote in value:
        quote = '"' if quote == "'" else "'"
    escaped = value.replace("\\", "\\\\")
    return f"{quote}{escaped}{quote}"


@dataclass(frozen=True)
class PinnedDefault:
    """A setting whose default a Django release flips: write the old default where it is unset."""

    setting: str
    flipped: Version  # the release whose new default would change behaviour
    docs: str
    comment: str  # the comment above the written line
    star_note: str  # the note when a star import may set it elsewhere
    done_note: str  # the note when it was written
    # Text the settings module must contain for the default to matter (the middleware that
    # reads the setting, e.g. "XFrameOptionsMiddleware"); empty: always.
    only_with: str = ""


def mentions(source: str, needle: str) -> bool:
    """Whether code (not a comment) in ``source`` has a string containing ``needle`` or assigns
    a name equal to it: ``"...XFrameOptionsMiddleware"`` in ``MIDDLEWARE``, ``MEDIA_ROOT = ...``.
    The scanner's ``settings_file`` asks the same of the settings files' ``ast``."""
    if needle not in source:
        return False
    tree = parse_ast(source)
    if tree is None:
        return True  # libcst decides whether the file can be rewritten at all
    return any(
        (isinstance(node, ast.Constant) and isinstance(node.value, str) and needle in node.value)
        or (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id == needle)
        for node in ast.walk(tree)
    )


def pin_unset_default(
    source: str, context: RuleContext, pinned: PinnedDefault, value: Callable[[str], str]
) -> str:
    """``<setting> = <value(source)>`` appended to a settings module that does not set it.

    Nothing happens outside settings modules, in a module without ``pinned.only_with``, or once
    the project already runs a Django where the new default holds (nothing to preserve); a
    module that star-imports another one may get the setting from there, so it is left alone
    with a note.
    """
    if not context.is_settings or context.django_from >= pinned.flipped:
        return source
    if pinned.only_with and not mentions(source, pinned.only_with):
        return source
    module = parse_module(source).module
    if pinned.setting in assigned_names(module):
        return source
    if has_star_import(module):
        context.notes.append(docs_note(context.filename, None, pinned.star_note, pinned.docs))
        return source
    new = append_statement(module, f"{pinned.setting} = {value(source)}", comment=pinned.comment)
    context.notes.append(docs_note(context.filename, None, pinned.done_note, pinned.docs))
    return new.code
