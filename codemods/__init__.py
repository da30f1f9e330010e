"""Our own rewrite rules: what django-upgrade and pyupgrade leave.

One module per rule; the module name is the rule's id. A rule module registers itself when
imported, by calling :func:`register` with a :class:`Rule`. ``all_rules()`` imports every
module of this package once and returns the registry sorted by (scope, version, id).

A rule is a pure function from text to text plus the facts of the hop (:class:`RuleContext`);
it must return the input unchanged when nothing matches, never reformat what it does not
change, and be idempotent. Python rules use libcst; template rules edit tag spans in place;
settings rules run only on the project's settings module(s).

Selecting the rules a hop reaches needs no rule module: :func:`rule_index` reads each rule's id,
kind, scope, version and package from ``codemods._index`` (generated from the registry by
``scripts/rule_index.py``; a unit test keeps the two equal), so a rewrite whose files are all
cache hits imports neither libcst nor a rule module. Rule modules on disk that the index does not
list (or listed ones gone) make it read the registry instead: slower, never a wrong selection.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

from packaging.version import Version

RuleKind = Literal["python", "settings", "template"]
RuleScope = Literal["django", "python", "package"]


@dataclass(frozen=True)
class RuleContext:
    """What a rule may know about the hop and the file it is given."""

    django_from: Version
    django_to: Version
    python_to: Version  # the hop's Python feature version, e.g. Version("3.12")
    packages: Mapping[str, Version] = field(
        default_factory=dict
    )  # canonical name -> chosen version
    filename: str = "<string>"
    is_settings: bool = False  # the file is (part of) the project's settings module
    notes: list[str] = field(default_factory=list)  # messages for the report (rules may append)
    # URL name ("ns:name") -> whether the project's URLconf routes it to django.contrib.auth's
    # LogoutView (read statically by the engine); None when the URLconf was not read.
    url_names: Mapping[str, bool] | None = None
    # The project's own ``django.dispatch.Signal`` subclasses, by qualified name (``pkg.mod.Cls``)
    # -> whether the class defines ``__init__`` (read by the engine over every Python file).
    signal_classes: Mapping[str, bool] | None = None


def docs_note(context_filename: str, line: int | None, message: str, docs: str) -> str:
    """A report note: ``file:line: message (see docs)``."""
    where = f"{context_filename}:{line}" if line else context_filename
    return f"{where}: {message} (see {docs})"


def _reaches(scope: RuleScope, version: Version, package: str | None, context: RuleContext) -> bool:
    if scope == "django":
        return context.django_to >= version
    if scope == "python":
        return context.python_to >= version
    assert package is not None
    chosen = context.packages.get(package)
    return chosen is not None and chosen >= version


@dataclass(frozen=True)
class RuleEntry:
    """A rule as selection sees it: what :meth:`Rule.applies` and the rules' order need."""

    id: str
    kind: RuleKind
    scope: RuleScope
    version: Version
    package: str | None = None

    def applies(self, context: RuleContext) -> bool:
        """Whether the hop reaches this rule's version (as :meth:`Rule.applies`)."""
        return _reaches(self.scope, self.version, self.package, context)


@dataclass(frozen=True)
class Rule:
    """A registered rewrite rule."""

    id: str
    kind: RuleKind
    scope: RuleScope
    version: Version  # Django version, Python version, or package version (with ``package``)
    summary: str
    docs: str
    transform: Callable[[str, RuleContext], str]
    needles: tuple[bytes, ...] = ()  # cheap pre-filter: skip files containing none of these
    package: str | None = None  # canonical package name when scope == "package"

    def applies(self, context: RuleContext) -> bool:
        """Whether the hop reaches this rule's version (rules run from their version on)."""
        return _reaches(self.scope, self.version, self.package, context)

    @property
    def entry(self) -> RuleEntry:
        """What selecting this rule needs (its line of ``codemods._index``)."""
        return RuleEntry(self.id, self.kind, self.scope, self.version, self.package)

    def may_match(self, data: bytes) -> bool:
        return not self.needles or any(needle in data for needle in self.needles)


_REGISTRY: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    if rule.id in _REGISTRY and _REGISTRY[rule.id] is not rule:
        raise ValueError(f"codemod rule {rule.id!r} registered twice")
    _REGISTRY[rule.id] = rule
    return rule


@cache
def _import_all() -> None:
    for module in pkgutil.iter_modules(__path__):
        if not module.name.startswith("_"):
            importlib.import_module(f"{__name__}.{module.name}")


def _order(rule: Rule | RuleEntry) -> tuple[int, str, Version, str]:
    return (
        {"django": 0, "package": 1, "python": 2}[rule.scope],
        rule.package or "",
        rule.version,
        rule.id,
    )


def all_rules() -> tuple[Rule, ...]:
    _import_all()
    return tuple(sorted(_REGISTRY.values(), key=_order))


def _rule_modules() -> frozenset[str]:
    """The rule modules on disk (this package's modules not named ``_...``): the rule ids."""
    return frozenset(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))


@cache
def rule_index() -> tuple[RuleEntry, ...]:
    """Every rule's :class:`RuleEntry`, in :func:`all_rules` order, from ``codemods._index``
    without importing a rule module; from the registry when the rule modules on disk are not
    the ones the index lists (a rule added or removed since it was generated)."""
    from codemods._index import RULES

    entries = tuple(
        RuleEntry(rule_id, kind, scope, Version(version), package)  # type: ignore[arg-type]
        for rule_id, kind, scope, version, package in RULES
    )
    if frozenset(entry.id for entry in entries) != _rule_modules():
        return tuple(rule.entry for rule in all_rules())
    return entries


def selected_rule_ids(context: RuleContext) -> tuple[str, ...]:
    """The ids of the rules the hop of ``context`` reaches, in :func:`all_rules` order."""
    return tuple(entry.id for entry in rule_index() if entry.applies(context))


def render_index() -> str:
    """The text of ``codemods/_index.py`` for the registry as it is now."""
    lines = [
        '"""Every rule\'s id, kind, scope, version and package, in ``all_rules()`` order.',
        "",
        "Generated from the registry: do not edit; after adding, removing or changing a rule's",
        "registration run ``scripts/rule_index.py`` (tests/codemods/test_rule_index.py checks).",
        "Read by ``codemods.rule_index()`` so that selecting rules imports no rule module.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "RULES: tuple[tuple[str, str, str, str, str | None], ...] = (",
    ]
    for rule in all_rules():
        fields = (rule.id, rule.kind, rule.scope, str(rule.version), rule.package)
        quoted = ("None" if field is None else json.dumps(field) for field in fields)
        lines.append(f"    ({', '.join(quoted)}),")
    lines += [
        ")",
        "",
    ]
    return "\n".join(lines)


def index_path() -> Path:
    return Path(__file__).with_name("_index.py")


def get_rule(rule_id: str) -> Rule:
    _import_all()
    try:
        return _REGISTRY[rule_id]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise KeyError(f"no codemod rule {rule_id!r}; known rules: {known}") from None
