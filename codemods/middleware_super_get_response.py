"""``super().__init__(*args, **kwargs)`` in a middleware ``__init__(self, get_response, ...)``
-> ``super().__init__(get_response, *args, **kwargs)``, on the hop that crosses Django 4.0.

``MiddlewareMixin.__init__`` takes ``get_response=None`` up to 3.2 and requires it from 4.0:
a subclass of a Django middleware that takes ``get_response`` and does not pass it on fails
on every request (pretalx's ``CsrfViewMiddleware``: ``TypeError: __init__() missing 1 required
positional argument: 'get_response'`` in ``load_middleware``, FINDINGS F87). Passing it is
right on 3.2 too (the mixin sets ``self.get_response`` from it).

The calls rewritten are the ones the scanner's ``middleware-super-get-response`` item names
(``upgrader.findings.python_middleware.super_calls_without_get_response``).

https://docs.djangoproject.com/en/3.1/releases/3.1/#features-deprecated-in-3-1
"""

from __future__ import annotations

import ast

from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python_text import edit_tree, replace_spans
from upgrader.findings.python_middleware import super_calls_without_get_response
from upgrader.findings.python_visitor import import_resolver

DOCS = "https://docs.djangoproject.com/en/3.1/releases/3.1/#features-deprecated-in-3-1"
VERSION = Version("4.0")


def transform(source: str, context: RuleContext) -> str:
    found = edit_tree(source, "get_response", context.django_from, VERSION)
    if found is None:
        return source
    tree, positions = found
    edits = []
    for call in super_calls_without_get_response(tree, import_resolver(tree)):
        passed: list[ast.AST] = [*call.args, *call.keywords]
        if passed:
            start = min(positions.span(node)[0] for node in passed)
            edits.append((start, start, "get_response, "))
        else:
            _start, end = positions.span(call)
            edits.append((end - 1, end - 1, "get_response"))
    return replace_spans(source, edits)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=VERSION,
        summary="a middleware's super().__init__() passes get_response (required from 4.0)",
        docs=DOCS,
        transform=transform,
        needles=(b"get_response",),
    )
)
