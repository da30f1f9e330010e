"""The imports of a Python rule's file: scheduling the ones a rule needs (``need_import``), adding
them (``add_imports``) and dropping the ones a rule made unused (``remove_unused_imports``).

Plain tree edits on the top level instead of libcst's import visitors, which each run another
metadata pass. Not a rule: the module name starts with ``_``.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import libcst as cst

from codemods._python_edits import dotted_name


class CodemodContext:
    """What our transformers use of ``libcst.codemod.CodemodContext``: the file name and the
    scratch where ``need_import`` schedules imports. Not libcst's own: importing
    ``libcst.codemod`` costs 0.4 s of CPU and 8 MB in every process (``libcst.matchers``)."""

    def __init__(self, filename: str | None = None) -> None:
        self.filename = filename
        self.scratch: dict[str, Any] = {}


class ImportItem(NamedTuple):
    """An import a rule needs (the fields of ``libcst.codemod.visitors.ImportItem`` we use)."""

    module_name: str
    obj_name: str | None = None
    alias: str | None = None
    relative: int = 0


NEEDED_IMPORTS = "upgrader.needed_imports"  # the scratch key


def need_import(
    context: CodemodContext, module: str, obj: str | None = None, asname: str | None = None
) -> None:
    """Schedule ``import module`` / ``from module import obj [as asname]`` (``run_rule`` adds
    it unless the file has it), as ``AddImportsVisitor.add_needed_import`` does."""
    name = module.lstrip(".")
    item = ImportItem(name, obj, asname, len(module) - len(name))
    context.scratch.setdefault(NEEDED_IMPORTS, []).append(item)


@dataclass(frozen=True)
class ImportSpec:
    """One imported name: ``from <module> import <name> as <asname>`` (``module`` None: ``import``)."""

    module: str | None
    name: str
    asname: str | None
    bound: str  # the identifier it binds


def _import_aliases(statement: cst.BaseSmallStatement) -> Sequence[cst.ImportAlias] | None:
    if isinstance(statement, cst.Import):
        return statement.names
    if isinstance(statement, cst.ImportFrom) and not isinstance(statement.names, cst.ImportStar):
        return statement.names
    return None


def _from_module(node: cst.ImportFrom) -> str:
    return "." * len(node.relative) + (dotted_name(node.module) or "" if node.module else "")


def _alias_spec(statement: cst.Import | cst.ImportFrom, alias: cst.ImportAlias) -> ImportSpec:
    name = dotted_name(alias.name) or ""
    asname = (
        alias.asname.name.value
        if alias.asname and isinstance(alias.asname.name, cst.Name)
        else None
    )
    bound = asname or name.split(".", 1)[0]
    module = _from_module(statement) if isinstance(statement, cst.ImportFrom) else None
    return ImportSpec(module, name, asname, bound)


def import_spec(statement: cst.Import | cst.ImportFrom, bound: str) -> ImportSpec | None:
    for alias in _import_aliases(statement) or ():
        spec = _alias_spec(statement, alias)
        if spec.bound == bound:
            return spec
    return None


class _UsedNames(cst.CSTVisitor):
    """Every identifier used outside import statements (``__all__`` strings included)."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node.value)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)  # ``x.utc`` uses ``x``, not a name ``utc``
        return False

    def visit_Arg(self, node: cst.Arg) -> bool:
        node.value.visit(self)  # ``f(utc=1)``: the keyword is not a use of ``utc``
        return False

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        value = node.evaluated_value
        if isinstance(value, str) and value.isidentifier():
            self.names.add(value)  # ``__all__ = ["name"]`` and string annotations keep imports


class _UnusedImportRemover(cst.CSTTransformer):
    """Drop the import aliases in ``specs`` (already known to be unused)."""

    def __init__(self, specs: Collection[ImportSpec]) -> None:
        super().__init__()
        self.specs = frozenset(specs)

    def on_visit(self, node: cst.CSTNode) -> bool:
        # Imports are small statements of a line: leave_SimpleStatementLine edits them without
        # its children visited, and no expression holds a statement. Not visiting those is
        # most of a file (this visit goes over every statement of the module).
        if isinstance(node, (cst.SimpleStatementLine, cst.BaseExpression)):
            return False
        return super().on_visit(node)

    def _remaining(self, statement: cst.BaseSmallStatement) -> list[cst.ImportAlias] | None:
        """The aliases ``statement`` keeps; None when it is not an import losing any."""
        aliases = _import_aliases(statement)
        if aliases is None:
            return None
        assert isinstance(statement, (cst.Import, cst.ImportFrom))
        kept = [a for a in aliases if _alias_spec(statement, a) not in self.specs]
        if len(kept) == len(aliases):
            return None
        if kept:
            last_comma = aliases[-1].comma
            if isinstance(statement, cst.ImportFrom) and statement.rpar is None:
                last_comma = cst.MaybeSentinel.DEFAULT
            kept[-1] = kept[-1].with_changes(comma=last_comma)
        return kept

    def emptied(self, statement: cst.BaseStatement) -> bool:
        """Whether ``statement`` is a line of imports that all go."""
        return isinstance(statement, cst.SimpleStatementLine) and all(
            self._remaining(small) == [] for small in statement.body
        )

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine | cst.RemovalSentinel:
        body: list[cst.BaseSmallStatement] = []
        changed = False
        for small in updated_node.body:
            kept = self._remaining(small)
            if kept is None:
                body.append(small)
                continue
            changed = True
            if kept:
                body.append(small.with_changes(names=kept))
        if not changed:
            return updated_node
        if not body:
            return cst.RemoveFromParent()
        if isinstance(body[-1].semicolon, cst.Semicolon):
            body[-1] = body[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
        return updated_node.with_changes(body=body)


def remove_unused_imports(module: cst.Module, candidates: Collection[ImportSpec]) -> cst.Module:
    used = _UsedNames()
    module.visit(used)
    unused = {spec for spec in candidates if spec.bound not in used.names}
    if not unused:
        return module
    remover = _UnusedImportRemover(unused)
    # Comment lines above a removed top-level import move to the next statement.
    body: list[cst.BaseStatement] = []
    carry: list[cst.EmptyLine] = []
    for statement in module.body:
        if remover.emptied(statement):
            assert isinstance(statement, cst.SimpleStatementLine)
            if any(line.comment is not None for line in statement.leading_lines):
                carry.extend(statement.leading_lines)  # the comment keeps its blank line above
            continue
        new = statement.visit(remover)
        assert isinstance(new, cst.BaseStatement)
        if carry:
            new = new.with_changes(leading_lines=[*carry, *new.leading_lines])
            carry = []
        body.append(new)
    new_module = module.with_changes(body=body)
    if carry:
        new_module = new_module.with_changes(footer=[*carry, *module.footer])
    return new_module


def _is_docstring(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _is_import_line(statement: cst.BaseStatement) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and all(
        isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body
    )


def _join_from_import(line: cst.BaseStatement, name: str) -> cst.BaseStatement:
    """``from m import a`` + ``b`` -> ``from m import a, b`` (a parenthesized list stays so)."""
    assert isinstance(line, cst.SimpleStatementLine)
    statement = line.body[0]
    assert isinstance(statement, cst.ImportFrom) and not isinstance(statement.names, cst.ImportStar)
    parsed = cst.parse_statement(f"from m import {name}")
    assert isinstance(parsed, cst.SimpleStatementLine)
    new_import = parsed.body[0]
    assert isinstance(new_import, cst.ImportFrom) and not isinstance(
        new_import.names, cst.ImportStar
    )
    alias = new_import.names[0]
    names = list(statement.names)
    last = names[-1]
    if isinstance(last.comma, cst.Comma):  # parenthesized with a trailing comma
        separator = names[-2].comma if len(names) >= 2 else last.comma
        names[-1] = last.with_changes(comma=separator)
        names.append(alias.with_changes(comma=last.comma))
    else:
        names[-1] = last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        names.append(alias)
    return line.with_changes(body=[statement.with_changes(names=names)])


def add_imports(module: cst.Module, items: Sequence[ImportItem]) -> cst.Module:
    """``module`` with the imports ``items`` asks for, unless already there.

    A name from a module the file already imports from joins that ``from`` statement; anything
    else gets its own line after the file's leading block of imports (after the docstring when
    there is none). Only the top level is looked at, like ``AddImportsVisitor`` but without its
    second metadata pass.
    """
    body: list[cst.BaseStatement] = list(module.body)
    existing: set[ImportSpec] = set()
    from_lines: dict[str, int] = {}  # module -> index of a top-level ``from module import ...``
    for index, statement in enumerate(body):
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, (cst.Import, cst.ImportFrom)):
                for alias in _import_aliases(small) or ():
                    existing.add(_alias_spec(small, alias))
            if isinstance(small, cst.ImportFrom) and len(statement.body) == 1:
                if isinstance(small.names, cst.ImportStar):
                    existing.add(ImportSpec(_from_module(small), "*", None, "*"))
                else:
                    from_lines.setdefault(_from_module(small), index)
    plain_lines: list[str] = []
    new_from: dict[str, list[str]] = {}  # module -> names for new ``from`` lines
    for item in items:
        module_name = "." * item.relative + item.module_name
        if item.obj_name is None:
            spec = ImportSpec(
                None, module_name, item.alias, item.alias or module_name.split(".")[0]
            )
            if spec not in existing:
                existing.add(spec)
                plain_lines.append(
                    f"import {module_name}" + (f" as {item.alias}" if item.alias else "")
                )
            continue
        spec = ImportSpec(module_name, item.obj_name, item.alias, item.alias or item.obj_name)
        if spec in existing or ImportSpec(module_name, "*", None, "*") in existing:
            continue
        existing.add(spec)
        name = item.obj_name + (f" as {item.alias}" if item.alias else "")
        line_index = from_lines.get(module_name)
        if line_index is None:
            new_from.setdefault(module_name, []).append(name)
        else:
            body[line_index] = _join_from_import(body[line_index], name)
    new_lines = sorted(plain_lines) + [
        f"from {name} import {', '.join(sorted(names))}" for name, names in sorted(new_from.items())
    ]
    if not new_lines:
        return module.with_changes(body=body)
    position = 0
    for index, statement in enumerate(body):
        if _is_import_line(statement):
            position = index + 1
        elif index == 0 and _is_docstring(statement):
            position = 1
        else:
            break
    statements = [cst.parse_statement(code, config=module.config_for_parsing) for code in new_lines]
    if position < len(body) and not any(_is_import_line(s) for s in body[:position]):
        following = body[position]
        if not getattr(following, "leading_lines", True):  # set a new import block off the code
            body[position] = following.with_changes(leading_lines=[cst.EmptyLine()])
    return module.with_changes(body=[*body[:position], *statements, *body[position:]])
