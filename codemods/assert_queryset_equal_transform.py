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

https://docs.djangoproject.com/en/3.2/releases/3.2/#features-deprecated-in-3-2
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import BuiltinAssignment, ScopeProvider
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python import ResolvingRuleTransformer, append_arg, keyword_arg, run_rule

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


class _Transformer(ResolvingRuleTransformer):
    docs = DOCS

    def _is_builtin(self, node: cst.CSTNode, name: str) -> bool:
        """Whether ``name`` where ``node`` is means the builtin (not shadowed)."""
        scope = self.get_metadata(ScopeProvider, node, None)
        if scope is None:
            return False
        return all(isinstance(assignment, BuiltinAssignment) for assignment in scope[name])

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
                self.note(
                    original_node,
                    f"{method}() no longer applies repr() to the queryset by default (Django "
                    "4.1): if the expected values are repr strings like '<Model: x>', pass "
                    "transform=repr",
                )
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
        what = self.module.code_for_node(values.value)
        if len(what) > 40:
            what = what[:37] + "..."
        self.note(
            original_node,
            f"{method}() no longer applies repr() to the queryset by default (Django 4.1): "
            f"if {what} holds repr strings like '<Model: x>', pass transform=repr; "
            "if it holds model instances or plain values, leave it",
        )
        return updated_node

    def _with_transform(self, original: cst.Call, call: cst.Call) -> list[cst.Arg]:
        """``call``'s arguments plus ``transform=repr``, on the last argument's line layout."""
        repr_name: cst.BaseExpression = cst.Name("repr")
        if not self._is_builtin(original, "repr"):
            repr_name = self.reference(original, "builtins", "repr")
        arg = keyword_arg("transform", repr_name)
        last = call.args[-1]
        if isinstance(last.comma, cst.Comma):
            return append_arg(call, arg)
        # No trailing comma: what followed the last argument (``\n    )``) follows the new one,
        # after the separator the other arguments use when that breaks the line.
        separator = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        if len(call.args) >= 2:
            previous = call.args[-2].comma
            if isinstance(previous, cst.Comma) and isinstance(
                previous.whitespace_after, cst.ParenthesizedWhitespace
            ):
                separator = previous
        return [
            *call.args[:-1],
            last.with_changes(comma=separator, whitespace_after_arg=cst.SimpleWhitespace("")),
            arg.with_changes(whitespace_after_arg=last.whitespace_after_arg),
        ]


def transform(source: str, context: RuleContext) -> str:
    return run_rule(source, context, _Transformer)


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
