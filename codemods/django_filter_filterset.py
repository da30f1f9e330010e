"""Rename django-filter's view attributes ``filter_fields``/``filter_class`` (django-filter 2.0).

django-filter 2.0 renamed the DRF view attributes ``filter_fields`` -> ``filterset_fields`` and
``filter_class`` -> ``filterset_class`` (deprecated, removed in 22.1), and on
``DjangoFilterBackend`` subclasses the method ``get_filter_class`` -> ``get_filterset_class`` and
the attribute ``default_filter_set`` -> ``filterset_base``.

Only class-level assignments in classes that look like DRF views are renamed: a base whose name
ends in ``ViewSet`` or ``APIView`` (``ModelViewSet``, ``generics.ListAPIView``...), or a class
body that sets ``filter_backends``. Other classes with the same attribute names (graphene-django's
``DjangoObjectType.Meta.filter_fields`` for one) are left alone. A class that already sets the new
name as well becomes a manual item.

https://django-filter.readthedocs.io/en/stable/guide/migration.html#view-attributes-renamed-867
"""

from __future__ import annotations

import libcst as cst
from packaging.version import Version

from codemods import Rule, RuleContext, register
from codemods._python import PythonRuleTransformer, last_identifier, rename_method, run_rule

DOCS = (
    "https://django-filter.readthedocs.io/en/stable/guide/migration.html"
    "#view-attributes-renamed-867"
)

VIEW_ATTRIBUTES = {"filter_fields": "filterset_fields", "filter_class": "filterset_class"}
BACKEND_ATTRIBUTES = {"default_filter_set": "filterset_base"}
BACKEND_METHODS = {"get_filter_class": "get_filterset_class"}
VIEW_BASE_SUFFIXES = ("ViewSet", "APIView")


def _assigned_name(statement: cst.BaseSmallStatement) -> cst.Name | None:
    if isinstance(statement, cst.Assign) and len(statement.targets) == 1:
        target = statement.targets[0].target
    elif isinstance(statement, cst.AnnAssign):
        target = statement.target
    else:
        return None
    return target if isinstance(target, cst.Name) else None


def _class_attributes(node: cst.ClassDef) -> set[str]:
    names = set()
    for statement in node.body.body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                name = _assigned_name(small)
                if name is not None:
                    names.add(name.value)
        elif isinstance(statement, cst.FunctionDef):
            names.add(statement.name.value)
    return names


def _base_names(node: cst.ClassDef) -> list[str]:
    return [name for base in node.bases if (name := last_identifier(base.value)) is not None]


class _Transformer(PythonRuleTransformer):
    docs = DOCS

    def _renames(self, node: cst.ClassDef) -> tuple[dict[str, str], dict[str, str]]:
        """(attribute renames, method renames) for this class."""
        bases = _base_names(node)
        attributes = _class_attributes(node)
        if any(base.endswith("DjangoFilterBackend") for base in bases):
            return BACKEND_ATTRIBUTES, BACKEND_METHODS
        if (
            any(base.endswith(VIEW_BASE_SUFFIXES) for base in bases)
            or "filter_backends" in attributes
        ):
            return VIEW_ATTRIBUTES, {}
        return {}, {}

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.ClassDef:
        attributes, methods = self._renames(original_node)
        if not (attributes or methods) or not isinstance(updated_node.body, cst.IndentedBlock):
            return updated_node
        existing = _class_attributes(original_node)
        renames = {**attributes, **methods}
        blocked = {old for old, new in renames.items() if old in existing and new in existing}
        for old in sorted(blocked):
            self.note(
                original_node,
                f"class {original_node.name.value} sets both {old} and {renames[old]}: "
                f"keep {renames[old]} and remove {old}",
            )
        body: list[cst.BaseStatement] = []
        changed = False
        for statement in updated_node.body.body:
            if isinstance(statement, cst.SimpleStatementLine):
                smalls: list[cst.BaseSmallStatement] = []
                for small in statement.body:
                    name = _assigned_name(small)
                    if name is not None and name.value in attributes and name.value not in blocked:
                        smalls.append(_rename_target(small, attributes[name.value]))
                        changed = True
                    else:
                        smalls.append(small)
                body.append(statement.with_changes(body=smalls))
                continue
            elif (
                isinstance(statement, cst.FunctionDef)
                and statement.name.value in methods
                and statement.name.value not in blocked
            ):
                body.append(rename_method(statement, methods[statement.name.value]))
                changed = True
                continue
            body.append(statement)
        if not changed:
            return updated_node
        return updated_node.with_changes(body=updated_node.body.with_changes(body=body))


def _rename_target(statement: cst.BaseSmallStatement, new: str) -> cst.BaseSmallStatement:
    if isinstance(statement, cst.Assign):
        target = statement.targets[0]
        assert isinstance(target.target, cst.Name)
        return statement.with_changes(
            targets=[target.with_changes(target=target.target.with_changes(value=new))]
        )
    assert isinstance(statement, cst.AnnAssign) and isinstance(statement.target, cst.Name)
    return statement.with_changes(target=statement.target.with_changes(value=new))


def transform(source: str, context: RuleContext) -> str:
    return run_rule(source, context, _Transformer)


register(
    Rule(
        id=__name__.rpartition(".")[2],
        kind="python",
        scope="package",
        package="django-filter",
        version=Version("2.0"),
        summary="DRF views: filter_fields/filter_class -> filterset_fields/filterset_class",
        docs=DOCS,
        transform=transform,
        needles=(b"filter_fields", b"filter_class", b"default_filter_set"),
    )
)
