"""The Python-code detector's checks on definitions: classes (``Meta``, class attributes, methods
overridden on a known base), functions' signatures, assignments and module-level names.
"""

from __future__ import annotations

import ast

from upgrader.findings.python_ast import class_assignments, dotted, orphans_not_below
from upgrader.findings.python_tables import KEPT_FIELDS, NAMES
from upgrader.findings.python_visitor import DetectorBase


class DefinitionChecks(DetectorBase):
    """``visit_ClassDef``, ``visit_FunctionDef``, ``visit_Assign``, ``visit_Module``."""

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        if node.name == "Meta" and self._classes and not self.in_migrations:
            for name, statement in class_assignments(node.body):
                if name == "index_together":
                    self.emit("index-together", statement, "`Meta.index_together`")
        for base in node.bases:
            resolved = self._resolve(base)
            if resolved in KEPT_FIELDS:
                self.emit(NAMES[resolved], node, f"a field built on `{resolved}`")
        bases = [(dotted(base) or "").rpartition(".")[2] for base in node.bases]
        for name, statement in class_assignments(node.body):
            value = getattr(statement, "value", None)
            if name == "requires_system_checks" and isinstance(value, ast.Constant):
                if isinstance(value.value, bool):
                    self.emit(
                        "requires-system-checks-bool", statement, "boolean `requires_system_checks`"
                    )
            elif name in ("multi_db", "allow_database_queries") and any(
                base.endswith("TestCase") for base in bases
            ):
                self.emit("testcase-multi-db", statement, f"`{name}` on a test case")
            elif name in ("filter_fields", "filter_class") and self.uses_drf_or_filters:
                self.emit("django-filter-view-attributes", statement, f"`{name}` view attribute")
        self._check_class_body(node, bases)
        self._classes.append(node)
        self.generic_visit(node)
        self._classes.pop()

    def _check_paginate_orphans(self, node: ast.ClassDef) -> None:
        """``paginate_orphans >= paginate_by`` in a class body: ListView passes them on."""
        values = {
            name: statement.value
            for name, statement in class_assignments(node.body)
            if isinstance(statement, (ast.Assign, ast.AnnAssign)) and statement.value is not None
        }
        if "paginate_orphans" in values and orphans_not_below(
            values.get("paginate_by"), values["paginate_orphans"]
        ):
            self.emit(
                "paginator-orphans",
                values["paginate_orphans"],
                "`paginate_orphans` >= `paginate_by`",
            )

    def _check_class_body(self, node: ast.ClassDef, bases: list[str]) -> None:
        methods = {
            statement.name: statement
            for statement in node.body
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef))
        }
        attributes = {name for name, _ in class_assignments(node.body)}
        self._check_paginate_orphans(node)
        if any(base.endswith("DeleteView") for base in bases) and "delete" in methods:
            self.emit("delete-view-delete", methods["delete"], "`DeleteView.delete()` override")
        if any(base.endswith("MiddlewareMixin") for base in bases) and "__init__" in methods:
            init = methods["__init__"].args
            if len(init.posonlyargs + init.args) < 2 and init.vararg is None:
                self.emit(
                    "middleware-mixin-get-response",
                    methods["__init__"],
                    "`MiddlewareMixin.__init__()` without get_response",
                )
        if (
            any(self._resolve(base) == "django.contrib.sitemaps.Sitemap" for base in node.bases)
            and "protocol" not in attributes
        ):
            self.emit("sitemap-protocol-https", node, "`Sitemap` without `protocol`")
        if "create_option" in methods and any(
            "Select" in base or "Widget" in base or base.endswith("Input") for base in bases
        ):
            self.emit(
                "model-choice-iterator-value",
                methods["create_option"],
                "`create_option()` receives ModelChoiceIteratorValue",
            )
        for name in ("mixed_subtype", "alternative_subtype"):
            if name in attributes and any("Email" in base for base in bases):
                self.emit("mail-mixed-subtype", node, f"`{name}` on an email class")
        for name in ("build_suite", "run_tests"):
            function = methods.get(name)
            if function is not None and any(
                arg.arg == "extra_tests" for arg in function.args.args + function.args.kwonlyargs
            ):
                self.emit("test-runner-extra-tests", function, f"`{name}(extra_tests)` override")

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._check_function(node)
        self._visit_function_body(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._check_function(node)
        self._visit_function_body(node)

    def _visit_function_body(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        # A nested function is not part of the enclosing class body.
        saved, self._classes = self._classes, self._classes[:]
        self.generic_visit(node)
        self._classes = saved

    def _check_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if not self._classes:
            return
        names = [arg.arg for arg in node.args.posonlyargs + node.args.args]
        if node.name == "from_db_value" and len(names) == 5:
            self.emit("from-db-value-context", node, "`from_db_value(..., context)`")
        elif node.name == "has_add_permission" and len(names) == 2 and node.args.vararg is None:
            bases = [(dotted(base) or "").rpartition(".")[2] for base in self._classes[-1].bases]
            if any(base.endswith("Inline") for base in bases):
                self.emit(
                    "inline-has-add-permission-obj", node, "`has_add_permission()` without obj"
                )
        elif node.name == "log_deletion":
            self.emit("admin-log-deletion", node, "overrides `log_deletion()`")
        elif node.name == "get_cache_name":
            self.emit("field-cache-name", node, "overrides `get_cache_name()`")
        elif node.name == "get_prefetch_queryset":
            # Django 6.0 calls get_prefetch_querysets() only: the override stops being used.
            self.emit("get-prefetch-queryset", node, "overrides `get_prefetch_queryset()`")
        elif node.name == "lookup_allowed":
            every = names + [arg.arg for arg in node.args.kwonlyargs]
            if "request" not in every and node.args.vararg is None and node.args.kwarg is None:
                self.emit("lookup-allowed-request", node, "`lookup_allowed()` without request")

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            if (
                isinstance(target, ast.Attribute)
                and target.attr == "allow_tags"
                and isinstance(node.value, ast.Constant)
                and node.value.value is True
            ):
                self.emit("admin-allow-tags", node, "`allow_tags = True`")
        self.generic_visit(node)

    def visit_Module(self, node: ast.Module) -> None:
        if self.is_dunder_init:
            for name, statement in class_assignments(node.body):
                if name == "default_app_config":
                    self.emit("default-app-config", statement, "`default_app_config`")
        self.generic_visit(node)
