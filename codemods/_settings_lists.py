"""Add one string to a list setting (``MIDDLEWARE``, ``INSTALLED_APPS``) of a settings module,
the way a person would: one new element beside another, in the list's own layout, quotes and
indentation, nothing else touched.

Only a module-level ``NAME = [...]`` / ``NAME = (...)`` literal of strings is edited (the first
one); a list built any other way (``+=``, a comprehension, ``env.list(...)``) is left to the
caller's note. A module naming the value anywhere already (a later ``+=``, a block) is done.
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider


def _string(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


class _Find(cst.CSTVisitor):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, setting: str, value: str) -> None:
        self.setting = setting
        self.value = value
        self.named = False  # the value is written somewhere already
        self.literal: cst.List | cst.Tuple | None = None
        self.elements: list[tuple[str, CodeRange, cst.SimpleString]] = []
        self.opening: CodeRange | None = None
        self.depth = 0

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if _string(node) == self.value:
            self.named = True

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.depth += 1

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.depth -= 1

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.depth += 1

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.depth -= 1

    def visit_Assign(self, node: cst.Assign) -> None:
        if self.depth or self.literal is not None or len(node.targets) != 1:
            return
        target = node.targets[0].target
        if not (isinstance(target, cst.Name) and target.value == self.setting):
            return
        value = node.value
        if not isinstance(value, cst.List | cst.Tuple) or not value.elements:
            return
        found = []
        for element in value.elements:
            if not isinstance(element, cst.Element) or not isinstance(
                element.value, cst.SimpleString
            ):
                return  # not a plain list of strings: left alone
            text = _string(element.value)
            if text is None:
                return
            found.append((text, self.get_metadata(PositionProvider, element.value), element.value))
        self.literal = value
        self.elements = found
        self.opening = self.get_metadata(PositionProvider, value)


def _offset(lines: list[str], line: int, column: int) -> int:
    return sum(len(text) for text in lines[: line - 1]) + column


def add_to_list(source: str, setting: str, value: str, after: tuple[str, ...] = ()) -> str | None:
    """``source`` with ``value`` added to the module's ``setting`` literal, after the last
    element among ``after`` that it has (else after its last element); ``source`` unchanged
    when the module names ``value`` already; None when the module has no such literal of
    strings to edit (or does not parse)."""
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError:
        return None
    finder = _Find(setting, value)
    MetadataWrapper(module, unsafe_skip_copy=True).visit(finder)
    if finder.named:
        return source
    if finder.literal is None or finder.opening is None:
        return None
    anchors = [i for i, (text, _r, _n) in enumerate(finder.elements) if text in after]
    index = anchors[-1] if anchors else len(finder.elements) - 1
    _text, where, node = finder.elements[index]
    quote = node.quote if node.quote in ("'", '"') else "'"
    literal = f"{node.prefix}{quote}{value}{quote}"
    lines = source.splitlines(keepends=True)
    end = _offset(lines, where.end.line, where.end.column)
    element = finder.literal.elements[index]
    has_comma = isinstance(element.comma, cst.Comma)
    after_it = lines[where.end.line - 1][where.end.column :].strip()
    after_it = after_it[1:].strip() if after_it.startswith(",") else after_it
    own_line = (
        where.start.line != finder.opening.start.line
        and lines[where.start.line - 1][: where.start.column].strip() == ""
        and (not after_it or after_it.startswith("#"))
    )
    if not own_line:  # ['a', 'b'] or several on a line: right after the anchor
        return source[:end] + f", {literal}" + source[end:]
    row = lines[where.end.line - 1]
    indent = row[: len(row) - len(row.lstrip())]
    body = row.rstrip("\r\n")
    ending = row[len(body) :] or "\n"
    next_start = _offset(lines, where.end.line + 1, 0)
    if has_comma:  # "    'a',  # note\n" -> a new line after it, with its comma
        return source[:next_start] + f"{indent}{literal},{ending}" + source[next_start:]
    # the last element without a trailing comma: give it one, the new last one has none
    edited = source[:end] + "," + source[end:next_start] + f"{indent}{literal}{ending}"
    return edited + source[next_start:]
