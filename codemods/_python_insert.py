"""A statement added right after another, as a text edit at ``ast`` positions, in the same block.
Not a rule: the module name starts with ``_``.

Used by the rules that complete an assignment the scanner points at (``field_reclass_attributes``,
``field_unique_cache_clear``): the new statement goes on a line of its own after the
statement's last line, with that statement's indentation and line ending, when the statement
starts its line and nothing but a comment follows it; otherwise (``if x: a = 1``, ``a = 1; b``)
after the statement on the same line, as ``; <new>``. Either way it runs right after the
statement, in its block.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence

from codemods._python_text import Positions

_ENDINGS = ("\r\n", "\n", "\r")


def _line_ending(text: str) -> str:
    for ending in _ENDINGS:
        if text.endswith(ending):
            return ending
    return ""


def _only_comment(rest: str) -> bool:
    stripped = rest.strip()
    return not stripped or stripped.startswith("#")


def insertion_after(positions: Positions, statement: ast.stmt, new: str) -> tuple[int, int, str]:
    """The ``(start, end, text)`` edit (``start == end``) that puts ``new`` after ``statement``."""
    source = positions.source
    start = positions.index(statement.lineno, statement.col_offset)
    line_start = positions.starts[statement.lineno - 1]
    indent = source[line_start:start]
    end = positions.index(statement.end_lineno or statement.lineno, statement.end_col_offset or 0)
    last = (statement.end_lineno or statement.lineno) - 1
    line_end = positions.starts[last + 1] if last + 1 < len(positions.starts) else len(source)
    line = source[positions.starts[last] : line_end]
    ending = _line_ending(line)
    rest = source[end : line_end - len(ending)]
    if indent.strip() or not _only_comment(rest) or rest.rstrip().endswith("\\"):
        return end, end, f"; {new}"
    if not ending:  # the last line of a file without a final newline
        first = next((e for e in _ENDINGS if e in source), "\n")
        return line_end, line_end, f"{first}{indent}{new}"
    return line_end, line_end, f"{indent}{new}{ending}"


def insertions_after(
    positions: Positions, statement: ast.stmt, new: Sequence[str]
) -> tuple[int, int, str]:
    """The one edit that puts each of ``new`` (at least one) after ``statement``, in order."""
    start, end, text = insertion_after(positions, statement, new[0])
    for more in new[1:]:
        text += insertion_after(positions, statement, more)[2]
    return start, end, text
