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
from codemods._base import docs_note
from codemods._python import (
    CodemodContext,
    ResolvingRuleTransformer,
    ast_full_name,
    binds_any,
    import_targets,
    parse_ast,
    run_rule,
)
from codemods._python_text import (
    Positions,
    TopLevel,
    add_imports_text,
    module_level_bindings,
    parents,
    remove_import_line,
    replace_spans,
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


def _names_pytz_only(tree: ast.Module) -> bool:
    """Whether ``_Transformer.visit_Module`` may find a pytz-only use, in a file whose only
    binding of ``pytz`` is ``import pytz``: any ``x.localize()``/``x.normalize()`` call (whose
    receiver only scope analysis tells from Django's), or an exception name on ``pytz.``."""
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in PYTZ_ONLY_METHODS
        ):
            return True
        if isinstance(node, ast.Attribute) and node.attr in PYTZ_EXCEPTIONS:
            full = ast_full_name(node)
            if full is not None and full.split(".", 1)[0] == "pytz":
                return True
    return False


class _Undecided(Exception):
    """The text path cannot tell what the libcst pass writes: it decides."""


def _reference(
    tree: ast.Module, module: str, name: str
) -> tuple[str, tuple[str, str | None, str | None]]:
    """``ResolvingRuleTransformer.reference`` where its answer is the same at every node: the
    expression for ``module.name`` and the import it schedules."""
    full = f"{module}.{name}"
    if any(full in targets for targets in import_targets(tree).values()):
        raise _Undecided  # an existing import of it is reused, scope by scope
    top = module.split(".", 1)[0]
    bindings = module_level_bindings(tree, top)
    if bindings is not None and any(
        isinstance(node, ast.alias) and node.name.startswith(f"{top}.") for node in bindings[0]
    ):
        raise _Undecided  # ``import datetime.x``
    plain = {
        id(alias)
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
        if alias.name == top and alias.asname is None
    }
    if bindings is None or all(id(node) in plain for node in bindings[0]):
        return f"{module}.{name}", (module, None, None)
    if not bindings[1]:
        raise _Undecided  # bound in some scopes only
    named = module_level_bindings(tree, name)
    if named is None:
        return name, (module, name, None)
    stem = f"{module.replace('.', '_')}_{name}"
    if not named[1] or module_level_bindings(tree, stem) is not None:
        raise _Undecided
    return stem, (module, name, stem)


def _ast_consumed(node: ast.AST, up: dict[int, tuple[ast.AST, str]]) -> bool:
    """``_Transformer._consumed`` on the ``ast`` node."""
    parent, field = up[id(node)]
    if isinstance(parent, ast.keyword):
        return parent.arg in CONSUMING_KEYWORDS
    if not (isinstance(parent, ast.Call) and field == "args"):
        return False
    func = parent.func
    if isinstance(func, ast.Attribute):
        return func.attr in CONSUMING_CALLS
    return isinstance(func, ast.Name) and func.id in CONSUMING_CALLS


def text_transform(source: str, tree: ast.Module, filename: str) -> tuple[str, list[str]] | None:
    """The libcst pass's text and notes, as text edits at ``ast`` positions; None: let it decide.

    Decided here: a file that binds ``pytz`` by one top-level ``import pytz`` line and nothing
    else, names no pytz-only method or exception, and has no string holding ``pytz``. There
    every ``pytz`` resolves to that import, so what refers to ``pytz.utc``/``pytz.timezone`` is
    what is spelled so; the references and imports the libcst pass would write are the same at
    every node or the file goes to libcst (``_reference``), and so does anything else the text
    edits cannot mirror exactly (``codemods._python_text``).
    """
    if not Positions.supported(source):
        return None
    if _PYTZ_ONLY_WORDS.search(source) and _names_pytz_only(tree):
        return None
    positions = Positions(source)
    top = TopLevel.of(tree, positions)
    if top is None:
        return None
    imports = [
        node
        for node in ast.walk(tree)
        if (
            isinstance(node, (ast.Import, ast.ImportFrom))
            and any(
                (alias.asname or alias.name.split(".", 1)[0]) == "pytz"
                or alias.name.startswith("pytz")
                for alias in node.names
            )
        )
        or (isinstance(node, ast.ImportFrom) and (node.module or "").startswith("pytz"))
    ]
    if (
        len(imports) != 1
        or not isinstance(imports[0], ast.Import)
        or [(a.name, a.asname) for a in imports[0].names] != [("pytz", None)]
        or imports[0] not in tree.body
        or binds_any(tree, {"pytz"}, imports=False)
    ):
        return None
    line = imports[0]
    up = parents(tree)
    replacements: list[tuple[int, int, str]] = []
    notes: list[tuple[int, str]] = []  # (end of the node, note): libcst writes them on leaving
    needed: list[tuple[str, str | None, str | None]] = []
    forgotten: set[int] = set()  # ids of the ``pytz`` names of replaced nodes
    pytz_names = 0
    references: dict[tuple[str, str], tuple[str, tuple[str, str | None, str | None]]] = {}
    try:
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and "pytz" in node.value
            ):
                raise _Undecided  # ``__all__ = ["pytz"]`` keeps the import
            if isinstance(node, ast.Name) and node.id == "pytz":
                pytz_names += 1
            if (
                isinstance(node, (ast.Call, ast.Subscript))
                and ast_full_name(node) in TIMEZONE
                and not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute))
            ):
                raise _Undecided  # ``pytz.timezone[0](x)``, ``pytz.timezone(a)(b)``: libcst's names
            if not isinstance(node, ast.Attribute) or node.attr not in _ACTED_ON_ATTRIBUTES:
                continue
            full = ast_full_name(node)
            if full not in UTC | TIMEZONE:
                continue
            if not (isinstance(node.value, ast.Name) and node.value.id == "pytz"):
                raise _Undecided  # ``pytz().utc``: libcst's full name, not spelled so
            parent, field = up[id(node)]
            if full in UTC:
                subject: ast.AST = node
                what, replacement, ref = (
                    "pytz.utc",
                    "datetime.timezone.utc",
                    ("datetime", "timezone"),
                )
            elif isinstance(parent, ast.Call) and field == "func":
                if (
                    len(parent.args) != 1
                    or parent.keywords
                    or isinstance(parent.args[0], ast.Starred)
                ):
                    continue
                if positions.span(parent)[0] != positions.span(node)[0]:
                    raise _Undecided  # ``(pytz.timezone)(name)``: libcst drops the parentheses
                subject = parent
                what, replacement, ref = (
                    "pytz.timezone(...)",
                    "zoneinfo.ZoneInfo(...)",
                    ("zoneinfo", "ZoneInfo"),
                )
            else:
                continue
            end = positions.span(subject)[1]
            if not _ast_consumed(subject, up):
                message = (
                    f"{what} is stored or passed on, where pytz-only methods (localize, "
                    f"normalize) may be called on it: once none are, replace it with {replacement}"
                )
                notes.append((end, docs_note(filename, subject.lineno, message, DOCS)))  # type: ignore[attr-defined]
                continue
            if ref not in references:
                references[ref] = _reference(tree, *ref)
            expression, item = references[ref]
            needed.append(item)
            forgotten.add(id(node.value))
            start, stop = positions.span(node)
            replacements.append((start, stop, f"{expression}.utc" if full in UTC else expression))
    except _Undecided:
        return None
    notes.sort(key=lambda item: item[0])
    messages = [note for _end, note in notes]
    if not replacements:
        return source, messages
    added = add_imports_text(top, needed)
    if added is None:
        return None
    replacements.extend(added)
    if pytz_names == len(forgotten):  # nothing uses the import any more
        removed = remove_import_line(top, line)
        if removed is None:
            return None
        replacements.append(removed)
    result = replace_spans(source, replacements)
    if result[:1] in ("\n", "\r") and source[:1] not in ("\n", "\r"):
        result = result.lstrip("\r\n")
    return result, messages


def transform(source: str, context: RuleContext, *, text_edits: bool = True) -> str:
    """The rule; ``text_edits=False``: always the libcst pass (the reference tests compare)."""
    tree = parse_ast(source)
    if tree is None:
        return run_rule(source, context, _Transformer)
    if not _ast_may_act(tree):
        return source
    if text_edits:
        fast = text_transform(source, tree, context.filename)
        if fast is not None:
            context.notes.extend(fast[1])
            return fast[0]
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
