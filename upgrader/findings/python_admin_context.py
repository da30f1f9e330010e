"""``<admin site>.each_context(...)`` in a test: the ``admin-each-context-log-entries`` item (5.0).

Django 5.0's ``AdminSite.each_context()`` adds ``log_entries``, a QuerySet of the user's recent
``LogEntry`` rows (5.0's ``django/contrib/admin/sites.py``); two QuerySets never compare equal,
so a test that builds an expected render context with ``each_context()`` and compares it
(``mock_render.assert_called_once_with(request, template, context)``) fails from 5.0 on
(django-simple-history's ``test_history_form_view_*``, FINDINGS F76; upstream's fix e8cc2b2
puts ``"log_entries": ANY`` in the expected context).

Found: a call ``<x>.each_context(...)`` in a test file, unless the file already names
``log_entries`` (a string or an attribute: the fix the item asks for silences it).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from upgrader.findings.python_ast import dotted
from upgrader.findings.python_tables import ADMIN_EACH_CONTEXT

Hit = tuple[str, ast.AST, str]
KEY = "log_entries"


def _names_key(tree: ast.Module) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and node.value == KEY:
            return True
        if isinstance(node, ast.Attribute) and node.attr == KEY:
            return True
        if isinstance(node, ast.keyword) and node.arg == KEY:
            return True
    return False


def each_context_hits(tree: ast.Module) -> Iterator[Hit]:
    """``(catalogue id, call, message)`` for each ``.each_context(...)`` call (test files only:
    the caller decides)."""
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "each_context"
    ]
    if not calls or _names_key(tree):
        return
    for call in calls:
        assert isinstance(call.func, ast.Attribute)
        receiver = dotted(call.func.value) or "admin_site"
        yield (
            ADMIN_EACH_CONTEXT,
            call,
            f"`{receiver}.each_context(...)` in a test: its context has `log_entries` (a "
            "QuerySet, never equal to another) from Django 5.0; compare it as ANY",
        )
