"""``settings.configure(...)`` without ``SECRET_KEY`` in a test script gets
``SECRET_KEY="not-secret-for-tests"``, on the hop that crosses Django 3.2.

Django 2.2 checked ``SECRET_KEY`` only when it loaded a settings module
(``Settings.__init__``); settings given to ``settings.configure()`` kept the empty default and
everything that signs (sessions, password-reset tokens, ``django.contrib.auth``) used it. Django
3.2 checks when the setting is read (``LazySettings.__getattr__``, ticket #29324), for configured
settings too, so a ``runtests.py`` with no ``SECRET_KEY`` stops before its first test with
``ImproperlyConfigured: The SECRET_KEY setting must not be empty`` (FINDINGS F13:
simple-history). A settings module without ``SECRET_KEY`` already failed on 2.2, so it needs
nothing here.

Why adding a fixed key is safe in a test script: on 3.2 every read of the empty key raises, so
no test can depend on it; the only behaviour that changes is what gets signed, with a key that
exists for the tests alone. Outside test scripts (``codemods._python.is_test_file``) a fixed,
public key could end up signing for users, so the call is left to the scanner, which lists it
as a manual item.

What counts as "without SECRET_KEY" is decided on the file alone (:func:`unkeyed_calls`, shared
with the scanner): the file never mentions ``SECRET_KEY``; the call has no positional argument
and no ``default_settings=``; each ``**name`` expands a dict literal (or ``dict(...)``) the file
assigns once and never updates. Anything else (a dict built elsewhere) is not reported.

https://docs.djangoproject.com/en/3.2/releases/3.2/#backwards-incompatible-changes-in-3-2
"""

from __future__ import annotations

import ast
from collections.abc import Callable

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._base import string_literal
from codemods._python import (
    CodemodContext,
    PythonRuleTransformer,
    append_arg,
    ast_dotted_name,
    import_targets,
    is_test_file,
    keyword_arg,
    parse_ast,
    run_rule,
)

DOCS = "https://docs.djangoproject.com/en/3.2/releases/3.2/#backwards-incompatible-changes-in-3-2"
VERSION = Version("3.2")
CONFIGURE = "django.conf.settings.configure"
KEY = "SECRET_KEY"
VALUE = "not-secret-for-tests"


def _mentions_key(tree: ast.AST, key: str = KEY) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and key in node.value:
            return True
        if (isinstance(node, ast.Name) and node.id == key) or (
            isinstance(node, ast.Attribute) and node.attr == key
        ):
            return True
        if isinstance(node, ast.keyword) and node.arg == key:
            return True
    return False


_READS = frozenset({"get", "copy", "items", "keys", "values"})  # dict methods that change nothing


def _other_setting(key: ast.expr, setting: str = KEY) -> bool:
    """Whether a subscript key is a string constant naming a setting other than ``setting``."""
    return isinstance(key, ast.Constant) and isinstance(key.value, str) and key.value != setting


def _plain_dicts(tree: ast.AST, key: str = KEY) -> set[str]:
    """Names assigned exactly once, to a dict literal without ``**`` or a ``dict(k=v)`` call,
    and never changed afterwards in a way that could set ``SECRET_KEY`` (no ``name.update(...)``,
    ``name[k] = v`` with a key that is not another setting's name, ``name |= ...``).
    ``name["MIDDLEWARE"] = ...`` (simple-history's runtests.py) and reads
    (``name.get(...)``, ``name.copy()``) leave it plain."""
    assigned: dict[str, int] = {}
    plain: set[str] = set()
    changed: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    assigned[target.id] = assigned.get(target.id, 0) + 1
                    value = node.value
                    if (isinstance(value, ast.Dict) and None not in value.keys) or (
                        isinstance(value, ast.Call)
                        and isinstance(value.func, ast.Name)
                        and value.func.id == "dict"
                        and not value.args
                        and all(keyword.arg is not None for keyword in value.keywords)
                    ):
                        plain.add(target.id)
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)) and isinstance(node.target, ast.Name):
            changed.add(node.target.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.attr not in _READS:
                changed.add(node.value.id)  # name.update(...), name.setdefault(...), ...
        elif (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Name)
            and not isinstance(node.ctx, ast.Load)
            and not _other_setting(node.slice, key)
        ):
            changed.add(node.value.id)
    return {name for name in plain if assigned[name] == 1 and name not in changed}


def _is_configure(func: ast.expr, targets: dict[str, set[str]]) -> bool:
    dotted = ast_dotted_name(func)
    if dotted is None:
        return False
    head, _, rest = dotted.partition(".")
    return any(
        (f"{target}.{rest}" if rest else target) == CONFIGURE for target in targets.get(head, ())
    )


def unkeyed_calls(tree: ast.AST, key: str = KEY) -> list[ast.Call]:
    """The ``settings.configure(...)`` calls of a module that leave ``key`` (``SECRET_KEY``)
    unset, as far as the module shows (see the module docstring; ``configure_use_tz`` asks
    for ``USE_TZ``)."""
    if _mentions_key(tree, key):
        return []
    targets = import_targets(tree)
    dicts: set[str] | None = None
    found: list[ast.Call] = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and _is_configure(node.func, targets)) or node.args:
            continue
        if any(keyword.arg == "default_settings" for keyword in node.keywords):
            continue
        expanded = [keyword.value for keyword in node.keywords if keyword.arg is None]
        if expanded and dicts is None:
            dicts = _plain_dicts(tree, key)
        if all(
            (isinstance(value, ast.Name) and value.id in (dicts or ()))
            or (isinstance(value, ast.Dict) and None not in value.keys)
            for value in expanded
        ):
            found.append(node)
    return found


def keyword_adder(
    key: str, docs: str, value: Callable[[str], cst.BaseExpression]
) -> Callable[[str, RuleContext], str]:
    """A transform that appends ``key=value(source)`` to each call :func:`unkeyed_calls` finds
    for ``key`` (the callers decide when it runs: hop, file kind)."""

    class _Adder(PythonRuleTransformer):
        def __init__(
            self,
            context: CodemodContext,
            rule_context: RuleContext,
            lines: frozenset[int],
            added: cst.BaseExpression,
        ) -> None:
            super().__init__(context, rule_context)
            self.lines = lines
            self.added = added

        def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
            func = original_node.func
            name = func.attr.value if isinstance(func, cst.Attribute) else None
            if name != "configure" or self.line(original_node) not in self.lines:
                return updated_node
            return updated_node.with_changes(
                args=append_arg(updated_node, keyword_arg(key, self.added))
            )

    _Adder.docs = docs

    def add(source: str, context: RuleContext) -> str:
        tree = parse_ast(source)
        if tree is None:
            return source
        lines = frozenset(call.lineno for call in unkeyed_calls(tree, key))
        if not lines:
            return source
        added = value(source)
        return run_rule(source, context, lambda c, r: _Adder(c, r, lines, added))

    return add


_add_secret_key = keyword_adder(
    KEY, DOCS, lambda source: cst.SimpleString(string_literal(VALUE, source))
)


def transform(source: str, context: RuleContext) -> str:
    if "configure" not in source or context.django_from >= VERSION:
        return source
    if not is_test_file(context.filename):
        return source
    return _add_secret_key(source, context)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=VERSION,
        summary='settings.configure(...) in a test script gets SECRET_KEY="not-secret-for-tests"',
        docs=DOCS,
        transform=transform,
        needles=(b"configure",),
    )
)
