"""``response._headers`` -> the response's own header API: Django 3.2 removed the private
``HttpResponseBase._headers`` (a dict of lower-case name -> ``(name, value)``) for
``HttpResponse.headers``, without a deprecation period or an alias (checked in
``django/http/response.py`` of 3.1 and 3.2.25). Tests reading headers through it break with
``AttributeError: 'HttpResponseRedirect' object has no attribute '_headers'``.

The rewrites, each the same on every Django (``response[name]`` and ``has_header(name)`` take
the name in any case and exist since 1.x):

- ``X._headers[K][1]`` -> ``X[K]``;
- ``_, v = X._headers[K]`` -> ``v = X[K]``;
- ``K in X._headers`` -> ``X.has_header(K)`` (``not in``: ``not X.has_header(K)``).

``K`` is any expression but a string literal with an upper-case letter (``_headers`` held
lower-case names only, so such a lookup never matched before: rewriting it would change what
the code does). The receiver is anything but ``self``/``cls`` and names like a mail message
(``email.message.Message`` has a ``_headers`` list of its own): :func:`is_response_receiver`,
which the scanner shares. Every other use (``X._headers[K][0]``, ``.items()``, assignments)
is left to the scanner's manual item ``response-private-headers``.

https://docs.djangoproject.com/en/3.2/releases/3.2/#requests-and-responses
"""

from __future__ import annotations

import ast

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python import PythonRuleTransformer, dotted_name, run_rule

DOCS = "https://docs.djangoproject.com/en/3.2/releases/3.2/#requests-and-responses"
ATTRIBUTE = "_headers"
_OWN_RECEIVERS = frozenset({"self", "cls"})
_MAIL_WORDS = ("msg", "message", "mail", "mime")


def is_response_receiver(receiver: str | None) -> bool:
    """Whether ``receiver`` (a dotted name; None for a call or subscript) may be a response."""
    if receiver is None:
        return True
    if receiver in _OWN_RECEIVERS:
        return False
    last = receiver.rpartition(".")[2].lower()
    return not any(word in last for word in _MAIL_WORDS)


def _headers_receiver(node: cst.BaseExpression) -> cst.BaseExpression | None:
    """``X`` when ``node`` is ``X._headers`` with a receiver that may be a response."""
    if not (isinstance(node, cst.Attribute) and node.attr.value == ATTRIBUTE):
        return None
    receiver = node.value
    if isinstance(receiver, (cst.Name, cst.Attribute)):
        if not is_response_receiver(dotted_name(receiver)):
            return None
    elif not isinstance(receiver, (cst.Call, cst.Subscript)):
        return None
    return receiver


def _single_index(node: cst.Subscript) -> cst.BaseExpression | None:
    if len(node.slice) != 1:
        return None
    element = node.slice[0].slice
    return element.value if isinstance(element, cst.Index) else None


def _usable_key(key: cst.BaseExpression) -> bool:
    if isinstance(key, cst.SimpleString):
        text = key.evaluated_value
        return isinstance(text, str) and text == text.lower()
    return not isinstance(key, (cst.ConcatenatedString, cst.FormattedString))


def _header_lookup(
    node: cst.BaseExpression,
) -> tuple[cst.BaseExpression, cst.BaseExpression] | None:
    """``(X, K)`` when ``node`` is ``X._headers[K]`` with a key the rewrite keeps the meaning of."""
    if not isinstance(node, cst.Subscript):
        return None
    receiver = _headers_receiver(node.value)
    key = _single_index(node)
    if receiver is None or key is None or not _usable_key(key):
        return None
    return receiver, key


def _subscript(receiver: cst.BaseExpression, key: cst.BaseExpression) -> cst.Subscript:
    return cst.Subscript(value=receiver, slice=[cst.SubscriptElement(slice=cst.Index(key))])


class _Transformer(PythonRuleTransformer):
    docs = DOCS

    def leave_Subscript(
        self, original_node: cst.Subscript, updated_node: cst.Subscript
    ) -> cst.BaseExpression:
        index = _single_index(updated_node)
        if not (isinstance(index, cst.Integer) and index.value == "1"):
            return updated_node
        lookup = _header_lookup(updated_node.value)
        if lookup is None:
            return updated_node
        return _subscript(*lookup).with_changes(lpar=updated_node.lpar, rpar=updated_node.rpar)

    def leave_Assign(self, original_node: cst.Assign, updated_node: cst.Assign) -> cst.Assign:
        if len(updated_node.targets) != 1:
            return updated_node
        target = updated_node.targets[0].target
        if not isinstance(target, (cst.Tuple, cst.List)) or len(target.elements) != 2:
            return updated_node
        first, second = target.elements
        if not (isinstance(first.value, cst.Name) and first.value.value == "_"):
            return updated_node
        if not isinstance(second.value, (cst.Name, cst.Attribute, cst.Subscript)):
            return updated_node
        lookup = _header_lookup(updated_node.value)
        if lookup is None:
            return updated_node
        return updated_node.with_changes(
            targets=[updated_node.targets[0].with_changes(target=second.value)],
            value=_subscript(*lookup),
        )

    def leave_Comparison(
        self, original_node: cst.Comparison, updated_node: cst.Comparison
    ) -> cst.BaseExpression:
        if len(updated_node.comparisons) != 1:
            return updated_node
        comparison = updated_node.comparisons[0]
        negated = isinstance(comparison.operator, cst.NotIn)
        if not (negated or isinstance(comparison.operator, cst.In)):
            return updated_node
        receiver = _headers_receiver(comparison.comparator)
        key = updated_node.left
        if receiver is None or not isinstance(key, cst.SimpleString) or not _usable_key(key):
            return updated_node
        call: cst.BaseExpression = cst.Call(
            func=cst.Attribute(value=receiver, attr=cst.Name("has_header")),
            args=[cst.Arg(key)],
        )
        if negated:
            call = cst.UnaryOperation(operator=cst.Not(), expression=call)
        return call.with_changes(lpar=updated_node.lpar, rpar=updated_node.rpar)


def _ast_has_attribute(tree: ast.Module) -> bool:
    """Whether any ``X._headers`` is in the code: every rewrite starts from one (the needle also
    lets through ``extra_headers`` and ``request_headers``, which cost a libcst pass otherwise)."""
    return any(
        isinstance(node, ast.Attribute) and node.attr == ATTRIBUTE for node in ast.walk(tree)
    )


def transform(source: str, context: RuleContext) -> str:
    if ATTRIBUTE not in source:
        return source
    return run_rule(source, context, _Transformer, ast_check=_ast_has_attribute)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=Version("3.2"),
        summary="response._headers[k][1] -> response[k], k in response._headers -> has_header(k)",
        docs=DOCS,
        transform=transform,
        needles=(ATTRIBUTE.encode(),),
    )
)
