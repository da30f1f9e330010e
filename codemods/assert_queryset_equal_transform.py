"""``assertQuerysetEqual(qs, ["<M: x>"])`` gains ``transform=repr``, the default before 3.2.

Up to Django 3.1 ``TransactionTestCase.assertQuerysetEqual`` applied ``repr()`` to every item of
the queryset by default, so tests compared against lists of repr strings. Django 3.2 changed the
default ``transform`` to ``None`` (direct comparison), keeping ``repr`` with a deprecation warning
when strings are compared with objects; Django 4.1 removed that fallback, and such tests fail.
``transform=repr`` is exactly the old default, so it is added where the expected values are
visibly strings: a list, tuple or set of string expressions (literals, f-strings, ``%``/``format``
formatting, ``repr(x)``), a comprehension of one, or ``map(repr, ...)``. Code already written for
Django 3.2 or later may compare a flat ``values_list`` with plain strings, so from 3.2 on only
strings shaped like a model repr (``<Article: x>``) count and other strings are a manual item.
Expected values the rule cannot see (a name, a call) in code written for the old default become
a manual item too; in code written for 3.2 or later they are direct comparisons, left alone.
Both spellings are handled: django-upgrade's ``assert_set_methods`` renames the method
``assertQuerySetEqual`` at 4.2, and a call that has a ``transform`` is never touched again.

Test suites call the method everywhere, and most calls need nothing or only a manual item, so the
decision is first made on the standard library's ``ast`` (about 20x cheaper than libcst's parse
and scope analysis): when no call gets ``transform=repr`` and the file binds neither ``repr`` nor
``map`` (so both are the builtins), the manual items are written from that tree and the file is
returned as it is. Anything else (a call to rewrite, a shadowed builtin, an expression ``ast``
cannot tell apart as libcst would, such as an f-string or a parenthesized argument) goes through
the libcst transformer, which decides alone; it pays for scope analysis only where ``repr`` or
``map`` is bound somewhere in the file.

https://docs.djangoproject.com/en/3.2/releases/3.2/#features-deprecated-in-3-2
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection
from typing import ClassVar

import libcst as cst
from libcst.metadata import BuiltinAssignment, ProviderT, ScopeProvider
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._base import docs_note
from codemods._python import (
    PythonRuleTransformer,
    ResolvingRuleTransformer,
    append_arg,
    binds_any,
    keyword_arg,
    parse_ast,
    run_rule,
)

DOCS = "https://docs.djangoproject.com/en/3.2/releases/3.2/#features-deprecated-in-3-2"
METHODS = frozenset({"assertQuerysetEqual", "assertQuerySetEqual"})
# The transform default changed in 3.2: code written for an older Django meant repr().
REPR_DEFAULT_UNTIL = Version("3.2")


def _argument(call: cst.Call, position: int, keyword: str) -> cst.Arg | None:
    """The argument bound to parameter ``keyword`` (at ``position`` when positional)."""
    positional = [arg for arg in call.args if arg.keyword is None and not arg.star]
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return arg
    return positional[position] if len(positional) > position else None


def _text_parts(node: cst.BaseExpression) -> tuple[str, str] | None:
    """(start, end) of the text a string expression visibly begins and ends with; else None."""
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = node.evaluated_value
        return (value, value) if isinstance(value, str) else None
    if isinstance(node, cst.FormattedString):
        if not node.parts:
            return ("", "")
        first, last = node.parts[0], node.parts[-1]
        return (
            first.value if isinstance(first, cst.FormattedStringText) else "",
            last.value if isinstance(last, cst.FormattedStringText) else "",
        )
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Modulo):
        return _text_parts(node.left)
    if (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value == "format"
    ):
        return _text_parts(node.func.value)
    return None


class _Rule(PythonRuleTransformer):
    """The rule's decisions, where ``repr`` and ``map`` are the builtins.

    Never run itself: libcst caches a class's metadata dependencies on the class, and a subclass
    would inherit that cache, so the two transformers below are siblings.
    """

    docs = DOCS

    def _is_builtin(self, node: cst.CSTNode, name: str) -> bool:
        """Whether ``name`` where ``node`` is means the builtin (not shadowed)."""
        return True

    def _repr_name(self, original: cst.Call) -> cst.BaseExpression:
        """An expression for the builtin ``repr`` where ``original`` is."""
        return cst.Name("repr")

    def _is_repr(self, node: cst.BaseExpression) -> bool:
        return (
            isinstance(node, cst.Name) and node.value == "repr" and self._is_builtin(node, "repr")
        )

    def _string_kind(self, node: cst.BaseExpression) -> str | None:
        """``"repr"`` for a repr-shaped string, ``"str"`` for another string, else None."""
        if isinstance(node, cst.Call) and self._is_repr(node.func):
            return "repr"
        parts = _text_parts(node)
        if parts is None:
            return None
        start, end = parts
        # What Model.__repr__ (and most custom reprs) look like: ``<Article: Old news>``.
        return "repr" if start.startswith("<") and end.endswith(">") else "str"

    def _values_kind(self, node: cst.BaseExpression) -> str | None:
        """What the expected values are: ``"empty"``, ``"repr"``, ``"str"`` or None (unknown)."""
        if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
            if not node.elements:
                return "empty"
            kinds = set()
            for element in node.elements:
                if isinstance(element, cst.StarredElement):
                    return None
                kinds.add(self._string_kind(element.value))
            if None in kinds:
                return None
            return "repr" if kinds == {"repr"} else "str"
        if isinstance(node, (cst.ListComp, cst.GeneratorExp, cst.SetComp)):
            return self._string_kind(node.elt)
        if (
            isinstance(node, cst.Call)
            and isinstance(node.func, cst.Name)
            and node.func.value == "map"
            and self._is_builtin(node.func, "map")
            and node.args
        ):
            return "repr" if self._is_repr(node.args[0].value) else None
        return None

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        func = original_node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value in METHODS):
            return updated_node
        if _argument(original_node, 2, "transform") is not None:
            return updated_node
        method = func.attr.value
        written_for_repr_default = self.rule_context.django_from < REPR_DEFAULT_UNTIL
        if any(arg.star for arg in original_node.args):
            if written_for_repr_default:
                self.note(original_node, _unpacked_message(method))
            return updated_node
        values = _argument(original_node, 1, "values")
        if values is None:
            return updated_node
        kind = self._values_kind(values.value)
        if kind == "empty":
            return updated_node
        if kind == "repr" or (kind == "str" and written_for_repr_default):
            return updated_node.with_changes(args=self._with_transform(original_node, updated_node))
        if kind is None and not written_for_repr_default:
            return updated_node  # instances or values, compared directly as 3.2+ code may
        self.note(original_node, _values_message(method, self.module.code_for_node(values.value)))
        return updated_node

    def _with_transform(self, original: cst.Call, call: cst.Call) -> list[cst.Arg]:
        """``call``'s arguments plus ``transform=repr``, on the last argument's line layout."""
        return append_arg(call, keyword_arg("transform", self._repr_name(original)))


class _PlainTransformer(_Rule):
    """The rule for a file that binds neither ``repr`` nor ``map``: no scope analysis."""


class _Transformer(_Rule, ResolvingRuleTransformer):
    """The rule where ``repr`` or ``map`` may be shadowed: scope analysis tells."""

    METADATA_DEPENDENCIES: ClassVar[Collection[ProviderT]] = (ScopeProvider,)

    def _is_builtin(self, node: cst.CSTNode, name: str) -> bool:
        scope = self.get_metadata(ScopeProvider, node, None)
        if scope is None:
            return False
        return all(isinstance(assignment, BuiltinAssignment) for assignment in scope[name])

    def _repr_name(self, original: cst.Call) -> cst.BaseExpression:
        if self._is_builtin(original, "repr"):
            return cst.Name("repr")
        return self.reference(original, "builtins", "repr")


def _unpacked_message(method: str) -> str:
    return (
        f"{method}() no longer applies repr() to the queryset by default (Django 4.1): if the "
        "expected values are repr strings like '<Model: x>', pass transform=repr"
    )


def _values_message(method: str, what: str) -> str:
    if len(what) > 40:
        what = what[:37] + "..."
    return (
        f"{method}() no longer applies repr() to the queryset by default (Django 4.1): "
        f"if {what} holds repr strings like '<Model: x>', pass transform=repr; "
        "if it holds model instances or plain values, leave it"
    )


# -- the same decisions on ``ast``, for files where libcst would change nothing ---------------


class _Undecided(Exception):
    """``ast`` cannot decide a call exactly as the libcst transformer would: use that."""


def _ast_argument(call: ast.Call, position: int, keyword: str) -> ast.expr | None:
    for item in call.keywords:
        if item.arg == keyword:
            return item.value
    positional = [arg for arg in call.args if not isinstance(arg, ast.Starred)]
    return positional[position] if len(positional) > position else None


def _ast_text_parts(node: ast.expr) -> tuple[str, str] | None:
    """:func:`_text_parts` on ``ast`` (implicit concatenation is already one constant there)."""
    if isinstance(node, ast.Constant):
        return (node.value, node.value) if isinstance(node.value, str) else None
    if isinstance(node, ast.JoinedStr):
        raise _Undecided  # an f-string, or a concatenation libcst may not evaluate
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return _ast_text_parts(node.left)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return _ast_text_parts(node.func.value) if node.func.attr == "format" else None
    return None


def _ast_is_repr(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id == "repr"  # the builtin: checked by the caller


def _ast_string_kind(node: ast.expr) -> str | None:
    if isinstance(node, ast.Call) and _ast_is_repr(node.func):
        return "repr"
    parts = _ast_text_parts(node)
    if parts is None:
        return None
    start, end = parts
    return "repr" if start.startswith("<") and end.endswith(">") else "str"


def _ast_values_kind(node: ast.expr) -> str | None:
    """:meth:`_Transformer._values_kind` on ``ast``, where ``repr`` and ``map`` are builtins."""
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        if not node.elts:
            return "empty"
        if any(isinstance(element, ast.Starred) for element in node.elts):
            return None
        kinds = {_ast_string_kind(element) for element in node.elts}
        if None in kinds:
            return None
        return "repr" if kinds == {"repr"} else "str"
    if isinstance(node, (ast.ListComp, ast.GeneratorExp, ast.SetComp)):
        return _ast_string_kind(node.elt)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "map":
        if node.keywords or any(isinstance(arg, ast.Starred) for arg in node.args):
            raise _Undecided  # libcst looks at the first argument in source order
        if node.args:
            return "repr" if _ast_is_repr(node.args[0]) else None
    return None


def _ast_values_code(source: str, lines: list[str], node: ast.expr) -> str:
    """What libcst's ``code_for_node`` gives for the argument ``node`` (its own parentheses too)."""
    what = ast.get_source_segment(source, node)
    # What precedes it, back over blank space and line continuations, must be the ``,`` or
    # ``=`` before an argument: not a parenthesis of its own, nor a comment.
    before = lines[node.lineno - 1].encode()[: node.col_offset].decode().rstrip()
    index = node.lineno - 1
    while index > 0 and (not before or before == "\\"):
        index -= 1
        before = lines[index].rstrip()
        if before.endswith("\\"):
            before = before[:-1].rstrip()
    if what is None or not before or before[-1] not in ",=" or "#" in before:
        raise _Undecided  # parenthesized, after a comment, or not where an argument can be
    if "\n" in what[:40] or "\r" in what[:40]:
        raise _Undecided  # libcst writes the lines after the first relative to their block
    return what


_NEWLINE = re.compile(r"\r\n|\r|\n")


def _ast_notes(source: str, tree: ast.Module, context: RuleContext) -> list[str]:
    """The manual items the libcst transformer would write; raises :class:`_Undecided` when it
    would change a call or ``ast`` cannot tell."""
    written_for_repr_default = context.django_from < REPR_DEFAULT_UNTIL
    lines = _NEWLINE.split(source)  # as the tokenizer counts lines (not str.splitlines)
    found: list[tuple[tuple[int, int], str]] = []  # (end position, note): libcst's leave order
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in METHODS
        ):
            continue
        if _ast_argument(node, 2, "transform") is not None:
            continue
        method = node.func.attr
        assert node.end_lineno is not None and node.end_col_offset is not None
        end = (node.end_lineno, node.end_col_offset)
        if any(isinstance(arg, ast.Starred) for arg in node.args) or any(
            item.arg is None for item in node.keywords
        ):
            if written_for_repr_default:
                found.append(
                    (end, docs_note(context.filename, node.lineno, _unpacked_message(method), DOCS))
                )
            continue
        values = _ast_argument(node, 1, "values")
        if values is None:
            continue
        kind = _ast_values_kind(values)
        if kind == "empty" or (kind is None and not written_for_repr_default):
            continue
        if kind == "repr" or (kind == "str" and written_for_repr_default):
            raise _Undecided  # a call to rewrite: libcst does it
        message = _values_message(method, _ast_values_code(source, lines, values))
        found.append((end, docs_note(context.filename, node.lineno, message, DOCS)))
    return [note for _, note in sorted(found)]


def transform(source: str, context: RuleContext) -> str:
    tree = parse_ast(source)
    if tree is None or binds_any(tree, ("repr", "map")):
        return run_rule(source, context, _Transformer)
    try:
        notes = _ast_notes(source, tree, context)
    except _Undecided:
        return run_rule(source, context, _PlainTransformer)
    context.notes.extend(notes)
    return source


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=Version("3.2"),
        summary="assertQuerysetEqual(qs, ['<M: x>']) -> add transform=repr (the pre-3.2 default)",
        docs=DOCS,
        transform=transform,
        needles=(b"assertQuerysetEqual", b"assertQuerySetEqual"),
    )
)
