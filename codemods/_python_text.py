"""Text edits at ``ast`` positions: how a rule rewrites a file without libcst when the file is
one of the plain cases it knows the libcst pass's answer for. Not a rule: the module name starts
with ``_``.

A libcst parse, its metadata and the code it writes back cost ten to forty times an ``ast``
parse, which the rules of a file share (:func:`codemods._python_ast.parse_ast`). A rule with a
text fast path computes, from the ``ast`` tree, the replacements its libcst pass would make and
splices them into the source; whenever the tree shows something that path does not decide
exactly (a comment where it would edit, parentheses it cannot see, an f-string around the node),
it answers None and the rule runs its libcst pass, which stays the reference
(``tests/codemods/test_text_fast_paths.py`` compares both on every case).

- :class:`Positions`: ``ast`` line/column (UTF-8 bytes) -> index into the source string, and a
  node's source segment; :func:`replace_spans`: apply non-overlapping replacements;
- :func:`parents`: each node's parent and the field it sits in;
- :func:`parenthesized`: whether a segment is enclosed in parentheses, as far as its own line
  shows (True, False, or None: cannot tell without tokens).
"""

from __future__ import annotations

import ast
import itertools
import re
from collections.abc import Iterable

from packaging.version import Version

from codemods._python_ast import parse_ast

_LINE_END = re.compile(r"\r\n|\r|\n")
_BARE_CR = re.compile(r"\r(?!\n)")


class Positions:
    """Maps ``ast`` positions of ``source`` to string indexes.

    Lines end as Python's tokenizer ends them (``\\n``, ``\\r\\n``); columns are UTF-8 byte
    offsets into the line, as ``ast`` gives them.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self.starts = [0, *(match.end() for match in _LINE_END.finditer(source))]

    @staticmethod
    def supported(source: str) -> bool:
        """Whether positions can be mapped (no bare CR: ``ast`` and this class may count lines
        differently there; the engine gives rules LF text anyway)."""
        return _BARE_CR.search(source) is None

    def index(self, line: int, column: int) -> int:
        start = self.starts[line - 1]
        if column == 0:
            return start
        end = self.starts[line] if line < len(self.starts) else len(self.source)
        text = self.source[start:end]
        if text.isascii():
            return start + column
        return start + len(
            text.encode("utf-8", "surrogatepass")[:column].decode("utf-8", "replace")
        )

    def span(self, node: ast.AST) -> tuple[int, int]:
        """``node``'s segment as ``(start, end)`` string indexes (parentheses around it excluded)."""
        start = self.index(node.lineno, node.col_offset)  # type: ignore[attr-defined]
        end = self.index(node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]
        return start, end

    def segment(self, node: ast.AST) -> str:
        start, end = self.span(node)
        return self.source[start:end]


def replace_spans(source: str, replacements: Iterable[tuple[int, int, str]]) -> str:
    """``source`` with each ``(start, end, text)`` put in place of ``source[start:end]``.

    The spans must not overlap; ``source`` itself when there is nothing to replace.
    """
    ordered = sorted(replacements)
    if not ordered:
        return source
    out: list[str] = []
    position = 0
    for start, end, text in ordered:
        if start < position:
            raise ValueError(f"overlapping replacements at {start}")
        out.append(source[position:start])
        out.append(text)
        position = end
    out.append(source[position:])
    return "".join(out)


def parents(tree: ast.AST) -> dict[int, tuple[ast.AST, str]]:
    """``id(node)`` -> ``(parent, field)`` for every node of ``tree`` but the root."""
    found: dict[int, tuple[ast.AST, str]] = {}
    stack = [tree]
    while stack:
        node = stack.pop()
        for field, value in ast.iter_fields(node):
            if isinstance(value, ast.AST):
                found[id(value)] = (node, field)
                stack.append(value)
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.AST):
                        found[id(item)] = (node, field)
                        stack.append(item)
    return found


def parenthesized(source: str, start: int, end: int) -> bool | None:
    """Whether ``source[start:end]`` stands in parentheses of its own.

    False when the nearest character before it on its line is not ``(`` or the nearest after it
    is not ``)`` (spaces and tabs skipped): nothing encloses it directly. True is never
    certain (``f(x)``'s parentheses are the call's), so it is None, as is a line edge reached
    (a parenthesis may be on another line, behind a comment or a backslash).
    """
    before = start - 1
    while before >= 0 and source[before] in " \t":
        before -= 1
    if before < 0 or source[before] in "\r\n":
        return None
    if source[before] != "(":
        return False
    after = end
    while after < len(source) and source[after] in " \t":
        after += 1
    if after >= len(source) or source[after] in "\r\n#\\":
        return None
    if source[after] != ")":
        return False
    return None


# -- imports, as codemods._python_imports edits the libcst tree -----------------------------------

_SIMPLE_STATEMENTS = (
    ast.Import,
    ast.ImportFrom,
    ast.Expr,
    ast.Assign,
    ast.AnnAssign,
    ast.AugAssign,
    ast.Pass,
    ast.Delete,
    ast.Global,
    ast.Nonlocal,
    ast.Assert,
    ast.Raise,
    ast.Return,
    ast.Break,
    ast.Continue,
)
_NESTED_SCOPES = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.Lambda,
    ast.ClassDef,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
)


class TopLevel:
    """The module's top-level statements as ``add_imports``/``remove_unused_imports`` see them
    (each one a line of its own: ``TopLevel.of`` answers None for a module where two share a
    line, or that does not end with a line break)."""

    def __init__(self, tree: ast.Module, positions: Positions) -> None:
        self.body = tree.body
        self.positions = positions

    @classmethod
    def of(cls, tree: ast.Module, positions: Positions) -> TopLevel | None:
        source = positions.source
        if not source.endswith("\n"):
            return None
        body = tree.body
        for first, second in itertools.pairwise(body):
            if second.lineno <= (first.end_lineno or first.lineno):
                return None
        return cls(tree, positions)

    def line_end(self, statement: ast.stmt) -> int:
        """The index just past the line break that ends ``statement``'s last line."""
        return self.positions.starts[statement.end_lineno or statement.lineno]

    def is_import_line(self, statement: ast.stmt) -> bool:
        return isinstance(statement, (ast.Import, ast.ImportFrom))

    def is_docstring(self, statement: ast.stmt) -> bool:
        return (
            isinstance(statement, ast.Expr)
            and isinstance(statement.value, ast.Constant)
            and isinstance(statement.value.value, (str, bytes))
        )


def _spec(
    statement: ast.Import | ast.ImportFrom, alias: ast.alias
) -> tuple[str | None, str, str | None]:
    module = None
    if isinstance(statement, ast.ImportFrom):
        module = "." * statement.level + (statement.module or "")
    return module, alias.name, alias.asname


def add_imports_text(
    top: TopLevel, items: list[tuple[str, str | None, str | None]]
) -> list[tuple[int, int, str]] | None:
    """The replacements ``codemods._python_imports.add_imports`` makes for ``items``
    (``(module, name or None, alias or None)``, in the order the rule asked); None: undecided."""
    source = top.positions.source
    existing: set[tuple[str | None, str, str | None]] = set()
    from_lines: dict[str, ast.ImportFrom] = {}
    for statement in top.body:
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            for imported in statement.names:
                if imported.name == "*":
                    existing.add((_spec(statement, imported)[0], "*", None))
                else:
                    existing.add(_spec(statement, imported))
            if isinstance(statement, ast.ImportFrom) and statement.names[0].name != "*":
                from_lines.setdefault(_spec(statement, statement.names[0])[0] or "", statement)
    plain: list[str] = []
    new_from: dict[str, list[str]] = {}
    joins: list[tuple[int, int, str]] = []
    for module, name, alias in items:
        if name is None:
            spec: tuple[str | None, str, str | None] = (None, module, alias)
            if spec not in existing:
                existing.add(spec)
                plain.append(f"import {module}" + (f" as {alias}" if alias else ""))
            continue
        spec = (module, name, alias)
        if spec in existing or (module, "*", None) in existing:
            continue
        existing.add(spec)
        text = name + (f" as {alias}" if alias else "")
        line = from_lines.get(module)
        if line is None:
            new_from.setdefault(module, []).append(text)
            continue
        start, end = top.positions.span(line)
        last_end = top.positions.span(line.names[-1])[1]
        if last_end != end or "(" in source[start:end]:
            return None  # a parenthesized list: libcst's layout rules decide
        joins.append((end, end, f", {text}"))
    lines = sorted(plain) + [
        f"from {module} import {', '.join(sorted(names))}"
        for module, names in sorted(new_from.items())
    ]
    if not lines:
        return joins
    position = 0
    for index, statement in enumerate(top.body):
        if top.is_import_line(statement):
            position = index + 1
        elif index == 0 and top.is_docstring(statement):
            position = 1
        else:
            break
    if position == 0 or not any(top.is_import_line(s) for s in top.body[:position]):
        return None  # no import block: libcst sets the new one off the code
    newline = "\r\n" if source[: source.index("\n") + 1].endswith("\r\n") else "\n"
    at = top.line_end(top.body[position - 1])
    return [*joins, (at, at, "".join(line + newline for line in lines))]


def remove_import_line(top: TopLevel, statement: ast.stmt) -> tuple[int, int, str] | None:
    """The replacement ``remove_unused_imports`` makes when the top-level ``statement`` (a line
    of imports that all go) is dropped: the line and the blank lines above it, or only the line
    when a comment is among them (they stay for the next statement) or it is the first statement
    (what is above belongs to the module's header); None: undecided."""
    source = top.positions.source
    index = top.body.index(statement)
    start = top.positions.starts[statement.lineno - 1]
    end = top.line_end(statement)
    if statement.col_offset != 0:
        return None
    if index == 0:
        return start, end, ""
    previous = top.body[index - 1]
    if not isinstance(previous, _SIMPLE_STATEMENTS):
        return None  # lines after a block may be the block's
    above = source[top.line_end(previous) : start]
    if above.strip(" \t\r\n\f") == "":
        return top.line_end(previous), end, ""
    return start, end, ""


def module_level_bindings(tree: ast.Module, name: str) -> tuple[list[ast.AST], bool] | None:
    """The nodes binding ``name`` anywhere (import aliases, assignments, definitions...), and
    whether all of them are at module level (outside functions, classes, lambdas and
    comprehensions); None when none binds it."""
    found: list[ast.AST] = []
    nested = False
    stack: list[tuple[ast.AST, bool]] = [(tree, False)]
    while stack:
        node, inside = stack.pop()
        if name in _bound(node):
            found.append(node)
            # a definition's own name binds in the enclosing scope
            nested = nested or inside
        deeper = inside or isinstance(node, _NESTED_SCOPES)
        for child in ast.iter_child_nodes(node):
            stack.append((child, deeper))
    if not found:
        return None
    return found, not nested


def _bound(node: ast.AST) -> tuple[str | None, ...]:
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
        return tuple(node.names)
    return ()


def edit_tree(
    source: str, needle: str, django_from: Version, version: Version
) -> tuple[ast.Module, Positions] | None:
    """The ``ast`` tree and :class:`Positions` a text-edit rule edits ``source`` at, or None when
    the rule has nothing to do there: ``needle`` is absent, the hop starts at or past the rule's
    ``version``, or the text path cannot place edits in it exactly or it does not parse."""
    if needle not in source or django_from >= version or not Positions.supported(source):
        return None
    tree = parse_ast(source)
    return None if tree is None else (tree, Positions(source))
