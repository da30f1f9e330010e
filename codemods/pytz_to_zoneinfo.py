"""Move exact ``pytz`` uses to the standard library, for Django 5.0 which dropped pytz support.

Django 4.0 made ``zoneinfo`` the default time zone implementation and 5.0 removed pytz support
(``USE_DEPRECATED_PYTZ``). Rewritten:

- ``pytz.timezone(name)`` -> ``zoneinfo.ZoneInfo(name)``
- ``pytz.utc`` / ``pytz.UTC`` -> ``datetime.timezone.utc``

but only where the zone is consumed on the spot, so no pytz-only method can be called on it
later: as a ``tzinfo=``/``tz=`` argument, or the argument of ``astimezone()``, ``now()``,
``fromtimestamp()``, ``localtime()``, ``make_aware()``, ``make_naive()``, ``activate()``.
A zone that is stored, returned or passed to other code may reach a ``tz.localize(dt)`` elsewhere
(a ``ZoneInfo`` has no ``localize``): those stay, as manual items.

A file that calls ``localize()``/``normalize()`` or catches pytz's exceptions
(``UnknownTimeZoneError``, ``NonExistentTimeError``...) is not rewritten at all: ``localize`` has
no exact equivalent (``dt.replace(tzinfo=tz)`` differs for ambiguous and non-existent times) and
``ZoneInfo`` raises other exceptions. Those calls and handlers become manual items. Other pytz
names (``all_timezones``) stay, and so does ``import pytz`` while anything uses it. The rule runs
at Django 5.0, where Python >= 3.10 has ``zoneinfo``.

https://docs.djangoproject.com/en/4.0/releases/4.0/#zoneinfo-default-timezone-implementation
"""

from __future__ import annotations

import ast
import re

import libcst as cst
from libcst.helpers import get_full_name_for_node
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python import (
    CodemodContext,
    ResolvingRuleTransformer,
    binds_any,
    import_targets,
    parse_ast,
    run_rule,
)

DOCS = (
    "https://docs.djangoproject.com/en/4.0/releases/4.0/#zoneinfo-default-timezone-implementation"
)
UTC = frozenset({"pytz.utc", "pytz.UTC"})
TIMEZONE = frozenset({"pytz.timezone"})
PYTZ_ONLY_METHODS = frozenset({"localize", "normalize"})


# Where a zone is used up at once: keyword arguments, and calls that only read the zone.
CONSUMING_KEYWORDS = frozenset({"tzinfo", "tz"})
CONSUMING_CALLS = frozenset(
    {"astimezone", "now", "fromtimestamp", "localtime", "make_aware", "make_naive", "activate"}
)
PYTZ_EXCEPTIONS = frozenset(
    {
        "UnknownTimeZoneError",
        "InvalidTimeError",
        "AmbiguousTimeError",
        "NonExistentTimeError",
        "exceptions",
    }
)


class _PytzOnlyUses(cst.CSTVisitor):
    """``x.localize(...)``/``x.normalize(...)`` calls and pytz exception references."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[cst.Call] = []
        self.exceptions: list[cst.Attribute | cst.Name] = []

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Attribute) and node.func.attr.value in PYTZ_ONLY_METHODS:
            self.calls.append(node)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value in PYTZ_EXCEPTIONS:
            self.exceptions.append(node)

    def visit_Name(self, node: cst.Name) -> None:
        if node.value in PYTZ_EXCEPTIONS:
            self.exceptions.append(node)


class _Transformer(ResolvingRuleTransformer):
    docs = DOCS
    enabled = True
    # Decided on the file's ``ast`` by ``transform`` (the defaults ask libcst about everything):
    # whether a pytz-only method or exception is named at all, and the local names an import
    # binds to pytz.utc/UTC/timezone (None: every node may resolve to one, ask scope analysis).
    names_pytz_only = True
    zone_names: frozenset[str] | None = None

    def _may_refer(self, node: cst.CSTNode, names: frozenset[str]) -> bool:
        """False when ``node`` cannot resolve to one of ``names`` (cheaper than asking libcst).

        A name resolves through its own bindings (``zone_names`` holds those from imports),
        an attribute chain through its first name, so it must end in the last part of one.
        """
        if self.zone_names is None:
            return True
        full = get_full_name_for_node(node)
        if full is None:
            return False
        _head, dot, last = full.rpartition(".")
        if not dot:
            return full in self.zone_names
        return any(name.rpartition(".")[2] == last for name in names)

    def visit_Module(self, node: cst.Module) -> None:
        if not self.names_pytz_only:
            return
        finder = _PytzOnlyUses()
        node.visit(finder)
        # ``formats.localize(value)`` and other Django functions of that name are not pytz's.
        calls = [
            call
            for call in finder.calls
            if not any(name.startswith("django.") for name in self.qualified_names(call.func))
        ]
        exceptions = [
            ref
            for ref in finder.exceptions
            if any(name.startswith("pytz.") for name in self.qualified_names(ref))
        ]
        if not exceptions and not (calls and "pytz" in node.code):
            return
        self.enabled = False
        for call in calls:
            method = call.func.attr.value if isinstance(call.func, cst.Attribute) else ""
            self.note(
                call,
                f"pytz {method}() has no exact zoneinfo equivalent: use "
                "dt.replace(tzinfo=ZoneInfo(...)) (check ambiguous/non-existent times, fold=) "
                "and drop normalize(); pytz uses in this file were left as they are",
            )
        for ref in exceptions:
            self.note(
                ref,
                f"{sorted(self.qualified_names(ref))[0]}: zoneinfo raises other exceptions "
                "(ZoneInfoNotFoundError for unknown zones, none for non-existent or ambiguous "
                "times); pytz uses in this file were left as they are",
            )

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def _consumed(self, node: cst.CSTNode) -> bool:
        """Whether the zone ``node`` evaluates to is used up where it stands."""
        arg = self.parent(node)
        if not isinstance(arg, cst.Arg) or arg.star:
            return False
        if arg.keyword is not None:
            return arg.keyword.value in CONSUMING_KEYWORDS
        call = self.parent(arg)
        if not isinstance(call, cst.Call):
            return False
        func = call.func
        name = func.attr.value if isinstance(func, cst.Attribute) else getattr(func, "value", None)
        return name in CONSUMING_CALLS

    def _kept(self, node: cst.CSTNode, what: str, replacement: str) -> None:
        self.note(
            node,
            f"{what} is stored or passed on, where pytz-only methods (localize, normalize) may be "
            f"called on it: once none are, replace it with {replacement}",
        )

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if not self.enabled or not self._may_refer(original_node.func, TIMEZONE):
            return updated_node
        if not self.refers_to(original_node.func, TIMEZONE):
            return updated_node
        args = original_node.args
        if len(args) != 1 or args[0].keyword is not None or args[0].star:
            return updated_node
        if not self._consumed(original_node):
            self._kept(original_node, "pytz.timezone(...)", "zoneinfo.ZoneInfo(...)")
            return updated_node
        self.forget(original_node.func)
        return updated_node.with_changes(func=self.reference(original_node, "zoneinfo", "ZoneInfo"))

    def _utc(self, original: cst.BaseExpression, updated: cst.BaseExpression) -> cst.BaseExpression:
        if not self.enabled or not self._may_refer(original, UTC):
            return updated
        if not self.refers_to(original, UTC):
            return updated
        parent = self.parent(original)
        if isinstance(parent, cst.Attribute) and parent.attr is original:
            return updated
        if not self._consumed(original):
            self._kept(original, "pytz.utc", "datetime.timezone.utc")
            return updated
        self.forget(original)
        timezone = self.reference(original, "datetime", "timezone")
        return cst.Attribute(
            value=timezone, attr=cst.Name("utc"), lpar=updated.lpar, rpar=updated.rpar
        )

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        return self._utc(original_node, updated_node)

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        return self._utc(original_node, updated_node)


# The attribute names through which ``import pytz`` can reach what the rule acts on.
_ACTED_ON_ATTRIBUTES = frozenset({"utc", "UTC", "timezone"}) | PYTZ_EXCEPTIONS


def _ast_may_act(tree: ast.Module) -> bool:
    """Whether the libcst pass may change the file or note something in it.

    It acts on ``localize()``/``normalize()`` calls and on what resolves to ``pytz.utc``,
    ``pytz.timezone`` or a pytz exception. libcst resolves names from imports and from bindings
    of the name itself: with no ``from pytz import``, no ``import pytz.sub`` and ``pytz`` bound by
    nothing but ``import pytz [as p]``, a node resolves there only through an attribute
    (``p.utc``), so a file without one of those attribute names has nothing to act on.
    """
    whole_module = False
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in PYTZ_ONLY_METHODS:
                return True
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "pytz":
                    whole_module = True
                elif alias.name.startswith("pytz."):
                    return True
                if _ACTED_ON_ATTRIBUTES.intersection(alias.name.split(".")[1:]):
                    return True
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            parts = node.module.split(".")
            if (node.level == 0 and parts[0] == "pytz") or _ACTED_ON_ATTRIBUTES.intersection(
                parts[1:]
            ):
                return True
    if binds_any(tree, {"pytz"}, imports=False):
        return True  # ``class pytz:``, ``pytz = ...``: libcst qualifies what it binds as pytz.*
    if not whole_module:
        return False
    return any(
        isinstance(node, ast.Attribute) and node.attr in _ACTED_ON_ATTRIBUTES
        for node in ast.walk(tree)
    )


_PYTZ_ONLY_WORDS = re.compile(
    r"\b(?:" + "|".join(sorted(PYTZ_ONLY_METHODS | PYTZ_EXCEPTIONS)) + r")\b"
)


def transform(source: str, context: RuleContext) -> str:
    tree = parse_ast(source)
    if tree is None:
        return run_rule(source, context, _Transformer)
    if not _ast_may_act(tree):
        return source
    zone_names: frozenset[str] | None = None
    if not binds_any(tree, {"pytz"}, imports=False):
        zone_names = frozenset(
            name
            for name, targets in import_targets(tree).items()
            if not targets.isdisjoint(UTC | TIMEZONE)
        )
    names_pytz_only = _PYTZ_ONLY_WORDS.search(source) is not None

    def make(context: CodemodContext, rule_context: RuleContext) -> _Transformer:
        transformer = _Transformer(context, rule_context)
        transformer.zone_names = zone_names
        transformer.names_pytz_only = names_pytz_only
        return transformer

    return run_rule(source, context, make)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=Version("5.0"),
        summary="pytz.timezone(x)/pytz.utc consumed on the spot -> zoneinfo/datetime.timezone; "
        "the rest (localize, normalize, exceptions) reported",
        docs=DOCS,
        transform=transform,
        needles=(b"pytz",),
    )
)
