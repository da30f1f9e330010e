"""Move exact ``pytz`` uses to the standard library, for Django 5.0 which dropped pytz support.

Django 4.0 made ``zoneinfo`` the default time zone implementation and 5.0 removed pytz support
(``USE_DEPRECATED_PYTZ``). Rewritten, because the result is the same time zone object semantics
Django now expects:

- ``pytz.timezone(name)`` -> ``zoneinfo.ZoneInfo(name)``
- ``pytz.utc`` / ``pytz.UTC`` -> ``datetime.timezone.utc``

``tz.localize(dt)`` and ``tz.normalize(dt)`` have no exact equivalent (``dt.replace(tzinfo=tz)``
differs for ambiguous and non-existent local times), and they only exist on pytz objects: in a
file that calls them nothing is rewritten (a ``ZoneInfo`` has no ``localize``) and each call
becomes a manual item. Other pytz names (``all_timezones``, exceptions) stay, and so does
``import pytz`` while anything uses it. The rule runs at Django 5.0, where Python >= 3.10 has
``zoneinfo`` (Python 3.8 would need ``backports.zoneinfo``).

https://docs.djangoproject.com/en/4.0/releases/4.0/#zoneinfo-default-timezone-implementation
"""

from __future__ import annotations

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python import ResolvingRuleTransformer, run_rule

DOCS = (
    "https://docs.djangoproject.com/en/4.0/releases/4.0/#zoneinfo-default-timezone-implementation"
)
UTC = frozenset({"pytz.utc", "pytz.UTC"})
TIMEZONE = frozenset({"pytz.timezone"})
PYTZ_ONLY_METHODS = frozenset({"localize", "normalize"})


class _PytzOnlyCalls(cst.CSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[cst.Call] = []

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Attribute) and node.func.attr.value in PYTZ_ONLY_METHODS:
            self.calls.append(node)


class _Transformer(ResolvingRuleTransformer):
    docs = DOCS
    enabled = True

    def visit_Module(self, node: cst.Module) -> None:
        finder = _PytzOnlyCalls()
        node.visit(finder)
        # ``formats.localize(value)`` and other Django functions of that name are not pytz's.
        calls = [
            call
            for call in finder.calls
            if not any(name.startswith("django.") for name in self.qualified_names(call.func))
        ]
        if calls and "pytz" in node.code:
            self.enabled = False
            for call in calls:
                method = call.func.attr.value if isinstance(call.func, cst.Attribute) else ""
                self.note(
                    call,
                    f"pytz {method}() has no exact zoneinfo equivalent: use "
                    "dt.replace(tzinfo=ZoneInfo(...)) (check ambiguous/non-existent times, fold=) "
                    "and drop normalize(); pytz uses in this file were left as they are",
                )

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if not self.enabled or not self.refers_to(original_node.func, TIMEZONE):
            return updated_node
        args = original_node.args
        if len(args) != 1 or args[0].keyword is not None or args[0].star:
            return updated_node
        self.forget(original_node.func)
        return updated_node.with_changes(func=self.reference(original_node, "zoneinfo", "ZoneInfo"))

    def _utc(self, original: cst.BaseExpression, updated: cst.BaseExpression) -> cst.BaseExpression:
        if not self.enabled or not self.refers_to(original, UTC):
            return updated
        parent = self.parent(original)
        if isinstance(parent, cst.Attribute) and parent.attr is original:
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


def transform(source: str, context: RuleContext) -> str:
    return run_rule(source, context, _Transformer)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=Version("5.0"),
        summary="pytz.timezone(x) -> zoneinfo.ZoneInfo(x), pytz.utc -> datetime.timezone.utc; "
        "localize()/normalize() reported",
        docs=DOCS,
        transform=transform,
        needles=(b"pytz",),
    )
)
