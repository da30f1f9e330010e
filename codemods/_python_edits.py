"""Small libcst tree edits several Python rules make: names of expressions, arguments added,
dropped or turned into keywords, a method renamed (with its ``super()`` calls), decorators removed.
Not a rule: the module name starts with ``_``.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TypeVar

import libcst as cst

_Node = TypeVar("_Node", cst.ClassDef, cst.FunctionDef)


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
