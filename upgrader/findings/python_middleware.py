"""Middleware ``__init__`` overrides that take ``get_response`` and do not pass it on
(FINDINGS F87).

Up to Django 3.2, ``MiddlewareMixin.__init__(self, get_response=None)``; Django 4.0 requires
the argument. pretalx's ``CsrfViewMiddleware(django.middleware.csrf.CsrfViewMiddleware)``
defines ``__init__(self, get_response, *args, **kwargs)`` calling
``super().__init__(*args, **kwargs)`` and setting ``self.get_response`` itself: on 4.2 every
request the test client makes fails in ``load_middleware`` (``TypeError: __init__() missing 1
required positional argument: 'get_response'``, 200 of pretalx's tests).

``super_calls_without_get_response`` names the ``super().__init__(...)`` calls in such a method
of a class with a base that is ``*MiddlewareMixin`` or resolves to a Django middleware class
(``django.*middleware*``): what the scanner's ``middleware-super-get-response`` item names and
``codemods.middleware_super_get_response`` rewrites (``get_response`` passed first).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator

from upgrader.findings.python_ast import dotted
from upgrader.findings.python_tables import CSRF_COOKIE_USED, MIDDLEWARE_SUPER_GET_RESPONSE

Resolve = Callable[[ast.expr], "str | None"]


def _is_middleware_base(base: ast.expr, resolve: Resolve) -> bool:
    if (dotted(base) or "").endswith("MiddlewareMixin"):
        return True
    resolved = resolve(base) or ""
    return resolved.startswith("django.") and "middleware" in resolved.lower()


def _passes_get_response(call: ast.Call) -> bool:
    plain = [a for a in call.args if not isinstance(a, ast.Starred)]
    if plain:
        return True  # passed positionally (whatever its name)
    return any(k.arg == "get_response" for k in call.keywords)


def super_calls_without_get_response(tree: ast.Module, resolve: Resolve) -> Iterator[ast.Call]:
    """Each ``super().__init__(...)`` call in an ``__init__(self, get_response, ...)`` of a
    middleware class that passes neither a positional argument nor ``get_response=``."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        if not any(_is_middleware_base(base, resolve) for base in node.bases):
            continue
        for statement in node.body:
            if not isinstance(statement, ast.FunctionDef) or statement.name != "__init__":
                continue
            names = [a.arg for a in statement.args.posonlyargs + statement.args.args]
            if names[1:2] != ["get_response"]:
                continue
            for inner in ast.walk(statement):
                if (
                    isinstance(inner, ast.Call)
                    and isinstance(inner.func, ast.Attribute)
                    and inner.func.attr == "__init__"
                    and isinstance(inner.func.value, ast.Call)
                    and dotted(inner.func.value.func) == "super"
                    and not _passes_get_response(inner)
                ):
                    yield inner


def middleware_hits(tree: ast.Module, resolve: Resolve) -> Iterator[tuple[str, ast.AST, str]]:
    """``(catalogue id, call, message)`` for each ``super().__init__()`` that drops
    ``get_response``."""
    for call in super_calls_without_get_response(tree, resolve):
        yield (
            MIDDLEWARE_SUPER_GET_RESPONSE,
            call,
            "`super().__init__()` of a middleware without get_response (required from Django 4.0)",
        )


def csrf_cookie_used_keys(tree: ast.Module) -> Iterator[ast.Constant]:
    """Each ``"CSRF_COOKIE_USED"`` string: the ``request.META`` key Django's CSRF middleware set
    up to 3.2 when a page used the token; 4.0 sets ``CSRF_COOKIE_NEEDS_UPDATE`` instead, so code
    reading the old key never sees it (pretalx's ``CsrfViewMiddleware.process_response`` then
    never sets the cookie, FINDINGS F88). What ``codemods.csrf_cookie_needs_update`` renames."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and node.value == "CSRF_COOKIE_USED":
            yield node


def csrf_cookie_hits(tree: ast.Module) -> Iterator[tuple[str, ast.AST, str]]:
    """``(catalogue id, string, message)`` for each ``"CSRF_COOKIE_USED"`` key."""
    for node in csrf_cookie_used_keys(tree):
        yield (
            CSRF_COOKIE_USED,
            node,
            '`request.META["CSRF_COOKIE_USED"]` (Django 4.0 sets CSRF_COOKIE_NEEDS_UPDATE)',
        )
