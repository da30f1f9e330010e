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
import re
from collections.abc import Iterable

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
