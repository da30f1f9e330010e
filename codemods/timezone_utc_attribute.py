"""Replace ``django.utils.timezone.utc``, deprecated in Django 4.1 and removed in 5.0, where
django-upgrade's ``utils_timezone`` fixer leaves it.

Since Django 4.0 the alias is ``datetime.timezone.utc`` itself, so the rewrite changes no
behaviour on the hops it runs on. django-upgrade rewrites ``timezone.utc`` (after ``from
django.utils import timezone``) and ``utc`` (after ``from django.utils.timezone import utc``)
only when the file's leading import block has ``import datetime [as x]`` or the name ``dt`` is
unused anywhere in the file (it then adds ``import datetime as dt``). This rule takes every
other use that resolves to ``django.utils.timezone.utc``: any alias of the module (``from
django.utils import timezone as tz``, ``import django.utils.timezone``), a ``datetime`` that is
the class (``from datetime import datetime``), a local ``dt``, imports below the top.

The replacement reuses what the file has, in this order: a name imported as
``datetime.timezone`` (``X.utc``), a name imported as the ``datetime`` module
(``dt.timezone.utc``); else ``import datetime`` and ``datetime.timezone.utc`` when the name
``datetime`` is free; else ``from datetime import timezone`` when ``timezone`` is free, and
``from datetime import timezone as datetime_timezone`` (``datetime_timezone.utc``) when it is not
(the usual case: it is Django's module). The last three are the shared
``ResolvingRuleTransformer.reference`` choice, so ``pytz_to_zoneinfo``'s ``pytz.utc`` rewrite
names the same import the same way. An import of ``utc`` or of Django's ``timezone`` module that
nothing uses any more is removed. Assignments to the attribute (``timezone.utc = ...``) and
ambiguous names (bound to something else too) are left alone.

https://docs.djangoproject.com/en/4.1/releases/4.1/#features-deprecated-in-4-1
"""

from __future__ import annotations

import ast

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python import (
    ResolvingRuleTransformer,
    import_targets,
    may_refer_to,
    parse_ast,
    run_rule,
)

DOCS = "https://docs.djangoproject.com/en/4.1/releases/4.1/#features-deprecated-in-4-1"
OLD = "django.utils.timezone.utc"


class _Transformer(ResolvingRuleTransformer):
    docs = DOCS

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def _is_old(self, node: cst.Name | cst.Attribute) -> bool:
        """``node`` is a read of ``django.utils.timezone.utc`` and of nothing else."""
        if self.qualified_names(node) != {OLD}:
            return False
        parent = self.parent(node)
        if isinstance(parent, cst.Attribute) and parent.attr is node:
            return False  # ``x.utc``: the attribute name, not a reference
        if isinstance(parent, cst.Arg) and parent.keyword is node:
            return False  # ``f(utc=...)``
        # ``timezone.utc = ...`` (a monkeypatch), ``del timezone.utc``: not a use to rewrite
        return not isinstance(parent, (cst.AssignTarget, cst.AugAssign, cst.AnnAssign, cst.Del))

    def _utc(self, node: cst.CSTNode) -> cst.BaseExpression:
        """``datetime.timezone.utc`` as an expression valid where ``node`` is (import scheduled)."""
        module = self._imported_as(node, "datetime")  # ``import datetime as dt``: dt.timezone
        if module is not None and self._imported_as(node, "datetime.timezone") is None:
            timezone: cst.BaseExpression = cst.Attribute(
                value=cst.Name(module), attr=cst.Name("timezone")
            )
        else:  # the shared choice, the one pytz_to_zoneinfo makes for pytz.utc
            timezone = self.reference(node, "datetime", "timezone")
        return cst.Attribute(value=timezone, attr=cst.Name("utc"))

    def _replace(
        self, original: cst.Name | cst.Attribute, updated: cst.Name | cst.Attribute
    ) -> cst.BaseExpression:
        if not self._is_old(original):
            return updated
        self.forget(original)
        return self._utc(original).with_changes(lpar=updated.lpar, rpar=updated.rpar)

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        return self._replace(original_node, updated_node)

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        return self._replace(original_node, updated_node)


def _may_refer_to_old(source: str) -> bool:
    """Whether ``source`` may use ``django.utils.timezone.utc`` (decided on ``ast``: a file that
    imports Django's ``timezone`` for ``now()`` and says ``utcnow`` or ``datetime.timezone.utc``
    is no reason for a libcst scope analysis): an import binds it, or an attribute named ``utc``
    may resolve to it (:func:`may_refer_to`)."""
    tree = parse_ast(source)
    if tree is None:
        return True
    bound = import_targets(tree)
    if any(OLD in targets for targets in bound.values()):
        return True
    return any(
        isinstance(node, ast.Attribute) and node.attr == "utc" and may_refer_to(node, bound, {OLD})
        for node in ast.walk(tree)
    )


def transform(source: str, context: RuleContext) -> str:
    if not _may_refer_to_old(source):
        return source
    return run_rule(source, context, _Transformer)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=Version("4.1"),
        summary="django.utils.timezone.utc (timezone.utc, any alias) -> datetime.timezone.utc "
        "where django-upgrade leaves it",
        docs=DOCS,
        transform=transform,
        needles=(b"utc",),
    )
)
