"""``migrate`` run by a test inside the test's transaction, on a test database built without
migrations: the ``test-db-no-migrations-table`` item (Django 4.1).

Up to Django 4.0 ``MigrationExecutor.migrate()`` always created the ``django_migrations``
table (``self.recorder.ensure_schema()``). From 4.1 on it does not when the plan is empty
(django/django#15252; 4.0.10's ``executor.py`` calls ``ensure_schema()`` unconditionally,
4.1.13's returns early for ``plan == []`` without the table). A test database built without
migrations (``MIGRATION_MODULES`` mapping every app to ``None``, ``TEST["MIGRATE"] = False``,
pytest-django's ``--nomigrations``) is made by a ``migrate`` whose plan is empty, so it has no
``django_migrations`` table, and a test that runs ``migrate`` itself must create it inside the
``TestCase``'s transaction, which SQLite's schema editor refuses: ``MigrationSchemaMissing:
Unable to create the django_migrations table (SQLite schema editor cannot be used while
foreign key constraint checks are enabled ...)`` (django-simple-history's ``TestMigrate`` on
4.2, FINDINGS F73; upstream made it a ``TransactionTestCase``, 0c749b4).

Two parts, since the two facts are in different files:

- ``migrate_hits`` (per file, from ``python_code``): ``call_command("migrate", ...)`` (resolved
  through the imports to ``django.core.management.call_command``) in a method of a class
  deriving from ``django.test.TestCase`` directly, or in a function marked
  ``pytest.mark.django_db`` without ``transaction=True``;
- ``judge`` (on the whole project, from ``scan``): the hits stay only when the project builds
  its test database without migrations, and say where (``disabled_at``); otherwise the table
  is there and the test keeps working.
"""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from upgrader.files import SourceText, read_text
from upgrader.findings.model import Finding
from upgrader.findings.python_ast import dotted
from upgrader.findings.python_tables import MIGRATIONS_TABLE

Resolve = Callable[[ast.expr], "str | None"]
Hit = tuple[str, ast.AST, str]

CALL_COMMAND = "django.core.management.call_command"
TEST_CASES = frozenset({"django.test.TestCase", "django.test.testcases.TestCase"})
DJANGO_DB = "pytest.mark.django_db"
# pytest-django's options that build the test database without migrations.
NO_MIGRATIONS_OPTIONS = (b"--nomigrations", b"--no-migrations")
CONFIG_FILES = frozenset({"pytest.ini", "setup.cfg", "tox.ini", "pyproject.toml", "Makefile"})


def _is_migrate(node: ast.AST, resolve: Resolve) -> bool:
    return (
        isinstance(node, ast.Call)
        and resolve(node.func) == CALL_COMMAND
        and bool(node.args)
        and isinstance(node.args[0], ast.Constant)
        and node.args[0].value == "migrate"
    )


def _migrate_calls(scope: ast.AST, resolve: Resolve) -> Iterator[ast.Call]:
    for node in ast.walk(scope):
        if _is_migrate(node, resolve):
            assert isinstance(node, ast.Call)
            yield node


def _in_transaction_mark(decorator: ast.expr, resolve: Resolve) -> bool:
    """``@pytest.mark.django_db`` (or called without ``transaction=True``)."""
    call = decorator if isinstance(decorator, ast.Call) else None
    if resolve(call.func if call is not None else decorator) != DJANGO_DB:
        return False
    if call is None:
        return True
    return not any(
        k.arg == "transaction" and not (isinstance(k.value, ast.Constant) and not k.value.value)
        for k in call.keywords
    )


def migrate_hits(tree: ast.Module, resolve: Resolve) -> Iterator[Hit]:
    """``(catalogue id, call, message)`` for each ``migrate`` a test runs in its transaction."""
    seen: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            marked = any(resolve(base) in TEST_CASES for base in node.bases)
            where = f"in {node.name}, a TestCase"
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            marked = any(_in_transaction_mark(d, resolve) for d in node.decorator_list)
            where = f"in {node.name}, marked django_db"
        else:
            continue
        if not marked:
            continue
        for call in _migrate_calls(node, resolve):
            if id(call) not in seen:
                seen.add(id(call))
                yield (
                    MIGRATIONS_TABLE,
                    call,
                    f'`call_command("migrate", ...)` {where} (inside the test\'s transaction)',
                )


def _disables_all(value: ast.expr) -> bool:
    """A ``MIGRATION_MODULES`` value that maps every app to None: an object (a class with
    ``__getitem__`` returning None, the usual ``DisableMigrations()``) or ``{a: None for a in
    ...}``; a dict display names some apps only, and the others keep their migrations."""
    if isinstance(value, ast.Call):
        return dotted(value.func) != "dict"
    return (
        isinstance(value, ast.DictComp)
        and isinstance(value.value, ast.Constant)
        and value.value.value is None
    )


def _python_disables(tree: ast.Module) -> int | None:
    """The line where the module builds the test database without migrations, if it does."""
    for node in ast.walk(tree):
        pairs: list[tuple[str | None, ast.expr, int]] = []
        if isinstance(node, ast.Assign):
            pairs += [(dotted(t), node.value, node.lineno) for t in node.targets]
        elif isinstance(node, ast.keyword):
            pairs.append((node.arg, node.value, node.value.lineno))
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    pairs.append((key.value, value, key.lineno))
        for name, value, line in pairs:
            if name is None:
                continue
            if name.rpartition(".")[2] == "MIGRATION_MODULES" and _disables_all(value):
                return line
            if name == "MIGRATE" and isinstance(value, ast.Constant) and value.value is False:
                return line
    return None


def disabled_at(root: Path, files: Iterable[Path]) -> str | None:
    """``file:line`` where the project builds its test database without migrations (the first
    found), or None: ``MIGRATION_MODULES`` disabling every app or ``TEST["MIGRATE"] = False``
    in its Python files, pytest-django's ``--nomigrations`` in its config files."""
    for path in sorted(files):
        is_python = path.suffix == ".py"
        if not is_python and path.name not in CONFIG_FILES:
            continue
        try:
            data = path.read_bytes()
        except OSError:
            continue
        rel = path.relative_to(root).as_posix()
        if not is_python:
            for option in NO_MIGRATIONS_OPTIONS:
                at = data.find(option)
                if at >= 0:
                    line = data.count(b"\n", 0, at) + 1
                    return f"{rel}:{line}"
            continue
        if b"MIGRATION_MODULES" not in data and b"MIGRATE" not in data:
            continue
        source = read_text(path, data)
        if not isinstance(source, SourceText):
            continue
        try:
            tree = ast.parse(source.text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        found = _python_disables(tree)
        if found is not None:
            return f"{rel}:{found}"
    return None


def judge(root: Path, findings: list[Finding], files: Iterable[Path]) -> list[Finding]:
    """``findings`` with the ``test-db-no-migrations-table`` hits kept only when the project
    builds its test database without migrations, each saying where it does."""
    where = disabled_at(root, files)
    out: list[Finding] = []
    for finding in findings:
        if finding.id != MIGRATIONS_TABLE:
            out.append(finding)
        elif where is not None:
            message = f"{finding.message}; the test database is built without migrations ({where})"
            out.append(dataclasses.replace(finding, message=message))
    return out
