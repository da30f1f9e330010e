"""Our own rewrite rules: what django-upgrade and pyupgrade leave.

One module per rule; the module name is the rule's id. A rule module registers itself when
imported, by calling :func:`register` with a :class:`Rule`. ``all_rules()`` imports every
module of this package once and returns the registry sorted by (scope, version, id).

A rule is a pure function from text to text plus the facts of the hop (:class:`RuleContext`);
it must return the input unchanged when nothing matches, never reformat what it does not
change, and be idempotent. Python rules use libcst; template rules edit tag spans in place;
settings rules run only on the project's settings module(s).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
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
        if self.scope == "django":
            return context.django_to >= self.version
        if self.scope == "python":
            return context.python_to >= self.version
        assert self.package is not None
        chosen = context.packages.get(self.package)
        return chosen is not None and chosen >= self.version

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


def all_rules() -> tuple[Rule, ...]:
    _import_all()
    order = {"django": 0, "package": 1, "python": 2}
    return tuple(
        sorted(_REGISTRY.values(), key=lambda r: (order[r.scope], r.package or "", r.version, r.id))
    )


def get_rule(rule_id: str) -> Rule:
    _import_all()
    try:
        return _REGISTRY[rule_id]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise KeyError(f"no codemod rule {rule_id!r}; known rules: {known}") from None
