"""The Python-code detector's state: what the file is, its import aliases, and ``emit``.

``DetectorBase`` collects every import before the walk (binding local names to qualified
names, reporting removed ones) and resolves an attribute chain through those aliases; the
checks (``python_calls``, ``python_definitions``) and ``python_code.PythonDetector`` build on it.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from codemods._python_ast import is_test_file
from upgrader.findings.python_ast import dotted
from upgrader.findings.python_tables import (
    KEPT_FIELDS,
    MIGRATION_SAFE,
    NAMES,
    normalize,
    removed_module,
)

Emit = Callable[[str, ast.AST, str], None]


class DetectorBase(ast.NodeVisitor):
    """The state one pass over a module's AST shares; ``emit(id, node, message)`` for each finding."""

    def __init__(self, filename: str, emit: Emit) -> None:
        parts = filename.replace("\\", "/").split("/")
        self.in_migrations = "migrations" in parts[:-1]
        self.is_dunder_init = parts[-1] == "__init__.py"
        self.is_test = is_test_file(filename)
        self.in_models_module = parts[-1] == "models.py" or "models" in parts[:-1]
        self._emit = emit
        self.aliases: dict[str, str] = {}
        self._classes: list[ast.ClassDef] = []
        self.uses_pytz = False
        self.uses_drf_or_filters = False

    # --- reporting ---------------------------------------------------------------------------
    def emit(self, deprecation_id: str, node: ast.AST, message: str) -> None:
        if self.in_migrations and deprecation_id in MIGRATION_SAFE:
            return
        self._emit(deprecation_id, node, message)

    # --- imports -----------------------------------------------------------------------------
    def _collect_imports(self, tree: ast.Module) -> None:
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    self._note_module(alias.name)
                    if alias.asname:
                        self.aliases[alias.asname] = alias.name
                    else:
                        head = alias.name.partition(".")[0]
                        self.aliases.setdefault(head, head)
                    self._check_import(alias.name, node)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                self._note_module(node.module)
                module_hit = removed_module(node.module)
                if module_hit is not None:
                    self.emit(module_hit, node, f"`from {node.module} import ...`")
                for alias in node.names:
                    if alias.name == "*":
                        continue
                    qualified = f"{node.module}.{alias.name}"
                    self.aliases[alias.asname or alias.name] = qualified
                    if module_hit is None:
                        self._check_import(qualified, node)

    def _note_module(self, module: str) -> None:
        top = module.partition(".")[0]
        if top == "pytz":
            self.uses_pytz = True
        if top in ("rest_framework", "django_filters"):
            self.uses_drf_or_filters = True

    def _check_import(self, qualified: str, node: ast.AST) -> None:
        normal = normalize(qualified)
        if normal in KEPT_FIELDS:
            return
        found = NAMES.get(normal) or removed_module(normal)
        if found is not None:
            self.emit(found, node, f"imports `{qualified}`")

    def _resolve(self, node: ast.expr) -> str | None:
        chain = dotted(node)
        if chain is None:
            return None
        head, _, rest = chain.partition(".")
        target = self.aliases.get(head)
        if target is None:
            return None
        return normalize(f"{target}.{rest}" if rest else target)


def import_resolver(
    tree: ast.Module, filename: str = "<string>"
) -> Callable[[ast.expr], str | None]:
    """The detector's name resolution for ``tree`` (its imports collected, nothing reported):
    what a codemod hands to the hit functions the detector runs, so both find the same nodes."""
    base = DetectorBase(filename, lambda _id, _node, _message: None)
    base._collect_imports(tree)
    return base._resolve
