"""Import names Django moved (or re-exported from the standard library) from where they live now.

Each entry of ``MOVES`` is the same object under another path, so the rewrite is exact:

- ``django.utils.lru_cache.lru_cache`` -> ``functools.lru_cache`` and
  ``django.utils.decorators.ContextDecorator`` -> ``contextlib.ContextDecorator`` (Django 2.2
  re-exported both; removed in 3.0);
- ``ForceRHR`` -> ``ForcePolygonCW`` (both PostGIS's ``ST_ForcePolygonCW``; removed in 3.0);
- ``django.utils.decorators.classproperty`` -> ``django.utils.functional.classproperty`` (3.1);
- ``django.contrib.postgres.fields.jsonb.KeyTransform``/``KeyTextTransform`` ->
  ``django.db.models.fields.json`` (3.1 moved them, 4.0 removed the old module);
- ``EmptyResultSet`` from ``django.db.models.query`` / ``.sql`` -> ``django.core.exceptions`` (3.1);
- ``django.utils.http.parse_qsl`` -> ``urllib.parse.parse_qsl`` (a backport, removed in 4.0);
- ``django.contrib.admin.sites.AlreadyRegistered``/``NotRegistered`` ->
  ``django.contrib.admin.exceptions`` (5.0);
- ``django.db.models.enums.ChoicesMeta`` -> ``ChoicesType`` (renamed in 5.0, alias removed in 6.0);
- ``django.forms.renderers.DjangoDivFormRenderer`` / ``Jinja2DivFormRenderer`` -> ``DjangoTemplates``
  / ``Jinja2`` (5.0): not the same objects but subclasses that only add a deprecation warning,
  since 5.0 renders div templates by default (the dotted paths in settings are
  ``div_form_renderer``'s).

A move applies on a hop whose target has the new location (``since``). ``from old import a, b``
is split: the moved names get their own ``from new import ...`` line, the rest stay; a renamed
name (``ForceRHR``, ``ChoicesMeta``) is renamed where it is used unless an ``as`` alias keeps
the local name. Uses through a module (``decorators.classproperty``) become references to the
new module. Star imports stay (the scanner still reports the names used through them).
"""

from __future__ import annotations

import ast
from collections.abc import Collection
from dataclasses import dataclass

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python import (
    ResolvingRuleTransformer,
    dotted_name,
    import_targets,
    refers_to_any,
    run_rule,
)

DOCS = "https://docs.djangoproject.com/en/3.1/releases/3.1/#backwards-incompatible-changes-in-3-1"


@dataclass(frozen=True)
class Move:
    module: str
    name: str
    since: Version  # the first Django release that has the new location

    @property
    def full(self) -> str:
        return f"{self.module}.{self.name}"


_ANY = Version("2.2")
_FORCE_CW = Move("django.contrib.gis.db.models.functions", "ForcePolygonCW", _ANY)
_JSON = "django.db.models.fields.json"
_ADMIN = "django.contrib.admin.exceptions"

MOVES: dict[str, Move] = {
    "django.utils.lru_cache.lru_cache": Move("functools", "lru_cache", _ANY),
    "django.utils.decorators.ContextDecorator": Move("contextlib", "ContextDecorator", _ANY),
    "django.contrib.gis.db.models.functions.ForceRHR": _FORCE_CW,
    "django.utils.decorators.classproperty": Move(
        "django.utils.functional", "classproperty", Version("3.1")
    ),
    "django.contrib.postgres.fields.jsonb.KeyTransform": Move(
        _JSON, "KeyTransform", Version("3.1")
    ),
    "django.contrib.postgres.fields.jsonb.KeyTextTransform": Move(
        _JSON, "KeyTextTransform", Version("3.1")
    ),
    "django.db.models.query.EmptyResultSet": Move("django.core.exceptions", "EmptyResultSet", _ANY),
    "django.db.models.sql.EmptyResultSet": Move("django.core.exceptions", "EmptyResultSet", _ANY),
    "django.utils.http.parse_qsl": Move("urllib.parse", "parse_qsl", Version("4.0")),
    "django.contrib.admin.sites.AlreadyRegistered": Move(
        _ADMIN, "AlreadyRegistered", Version("5.0")
    ),
    "django.contrib.admin.sites.NotRegistered": Move(_ADMIN, "NotRegistered", Version("5.0")),
    "django.db.models.enums.ChoicesMeta": Move(
        "django.db.models.enums", "ChoicesType", Version("5.0")
    ),
    "django.forms.renderers.DjangoDivFormRenderer": Move(
        "django.forms.renderers", "DjangoTemplates", Version("5.0")
    ),
    "django.forms.renderers.Jinja2DivFormRenderer": Move(
        "django.forms.renderers", "Jinja2", Version("5.0")
    ),
}


def _import_line(module: str, aliases: list[cst.ImportAlias]) -> cst.SimpleStatementLine:
    names = [alias.with_changes(comma=cst.MaybeSentinel.DEFAULT) for alias in aliases]
    return cst.SimpleStatementLine(
        body=[cst.ImportFrom(module=cst.parse_expression(module), names=names)]  # type: ignore[arg-type]
    )


class _Transformer(ResolvingRuleTransformer):
    docs = DOCS

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        to = self.rule_context.django_to
        self.moves = {old: move for old, move in MOVES.items() if to >= move.since}
        self.renamed: dict[str, str] = {}  # old qualified name -> new local name

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement]:
        if len(updated_node.body) != 1 or not isinstance(updated_node.body[0], cst.ImportFrom):
            return updated_node
        statement = updated_node.body[0]
        if statement.relative or statement.module is None:
            return updated_node
        if isinstance(statement.names, cst.ImportStar):
            return updated_node
        module = dotted_name(statement.module)
        if module is None:
            return updated_node
        kept: list[cst.ImportAlias] = []
        moved: dict[str, list[cst.ImportAlias]] = {}
        for alias in statement.names:
            name = dotted_name(alias.name)
            move = self.moves.get(f"{module}.{name}")
            if move is None or name is None:
                kept.append(alias)
                continue
            new_alias = alias.with_changes(name=cst.Name(move.name))
            if alias.asname is None and move.name != name:
                self.renamed[f"{module}.{name}"] = move.name
            moved.setdefault(move.module, []).append(new_alias)
        if not moved:
            return updated_node
        lines: list[cst.BaseStatement] = []
        if kept:
            names = [*kept[:-1], kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)]
            lines.append(updated_node.with_changes(body=[statement.with_changes(names=names)]))
        for target, aliases in moved.items():
            line = _import_line(target, aliases)
            if not lines:
                line = line.with_changes(
                    leading_lines=updated_node.leading_lines,
                    trailing_whitespace=updated_node.trailing_whitespace,
                )
            lines.append(line)
        return cst.FlattenSentinel(lines)

    def _moved(self, node: cst.CSTNode) -> tuple[str, Move] | None:
        old = self.refers_to(node, self.moves)
        return None if old is None else (old, self.moves[old])

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        parent = self.parent(original_node)
        if isinstance(parent, cst.Attribute) and parent.attr is original_node:
            return updated_node
        found = self._moved(original_node)
        if found is None:
            return updated_node
        old, _move = found
        local = old.rpartition(".")[2]
        if original_node.value == local and old in self.renamed:
            return updated_node.with_changes(value=self.renamed[old])
        return updated_node

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        found = self._moved(original_node)
        if found is None:
            return updated_node
        _old, move = found
        if self.refers_to(original_node.value, {move.module}):  # same module, renamed
            return updated_node.with_changes(attr=cst.Name(move.name))
        self.forget(original_node)
        replacement = self.reference(original_node, move.module, move.name)
        return replacement.with_changes(lpar=updated_node.lpar, rpar=updated_node.rpar)


def _ast_may_move(tree: ast.Module, moves: Collection[str]) -> bool:
    """Whether the file imports a moved name or may refer to one (what the libcst pass edits)."""
    targets = import_targets(tree)
    if any(target in moves for bound in targets.values() for target in bound):
        return True
    return refers_to_any(tree, moves, targets)


def transform(source: str, context: RuleContext) -> str:
    moves = {old for old, move in MOVES.items() if context.django_to >= move.since}
    return run_rule(
        source, context, _Transformer, ast_check=lambda tree: _ast_may_move(tree, moves)
    )


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="django",
        version=Version("3.0"),
        summary="names Django moved (classproperty, KeyTransform, AlreadyRegistered, ChoicesMeta, "
        "lru_cache, ...) imported from where they live now",
        docs=DOCS,
        transform=transform,
        needles=(
            b"lru_cache",
            b"ContextDecorator",
            b"ForceRHR",
            b"classproperty",
            b"KeyTransform",
            b"KeyTextTransform",
            b"parse_qsl",
            b"AlreadyRegistered",
            b"NotRegistered",
            b"ChoicesMeta",
            b"EmptyResultSet",
            b"DivFormRenderer",
        ),
    )
)
