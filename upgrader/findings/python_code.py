"""Find deprecated Django (and Python, DRF, django-filter) APIs in Python code, from its AST.

What it looks for, and the heuristics that keep false positives low:

- **Imports and qualified names.** Every import binds a local name to a qualified name
  (``from django.utils import translation as t`` binds ``t`` to ``django.utils.translation``).
  An import of a removed name or module is reported at the import; an attribute chain reached
  through an alias (``t.ugettext``, ``models.NullBooleanField``, ``settings.USE_L10N``) is
  reported where it is used. Names that are merely *called* after a ``from`` import are not
  reported again (the import already is), and a name from another module (``six`` from PyPI,
  ``url`` from a project module) never matches: only the qualified name counts.
- **Calls.** Keyword arguments that went away (``Signal(providing_args=...)``, ``is_dst=``,
  ``CheckConstraint(check=...)``) are matched on the resolved callee. Method calls whose name
  is distinctive enough (``.is_ajax()``, ``.make_random_password()``) match on any receiver;
  unittest aliases only on ``self``; pytz's ``.localize()``/``.normalize()`` only in files
  that import pytz.
- **``Model.save()`` with positional arguments** is reported for ``self.save(...)`` or
  ``super().save(...)`` inside a class that looks like a model (a base named ``*Model``,
  ``AbstractUser``/``AbstractBaseUser``, or any class in a ``models.py`` / ``models/``
  module), and for ``obj.save(x, ...)`` elsewhere only when the first argument is a boolean
  literal or a variable named like a ``save()`` parameter, and the receiver is not named like a
  form, serializer, storage, file, image or session (whose ``save()`` take positional args).
  ``*args`` passed through is never reported.
- **Declarations.** ``Meta.index_together`` in models (not in migrations: Django keeps
  ``AlterIndexTogether`` and ``CreateModel(options={"index_together": ...})`` working for
  historical migrations, so they need nothing), ``default_app_config`` in ``__init__.py``, boolean ``requires_system_checks``,
  ``multi_db`` on test cases, ``filter_fields``/``filter_class`` in files that use DRF or
  django-filter, ``from_db_value(..., context)``, ``lookup_allowed()`` without ``request``,
  ``has_add_permission(self, request)`` on ``*Inline`` classes.
- **Release-notes items of 3.0-6.1 (issue 10).** Methods distinctive enough to match on any
  receiver (``get_raw_uri``, ``_html_output``, ``get_joining_columns``, ``get_prefetch_queryset``,
  ``get_cache_name``; GeoIP2's ``coords``/``open`` only on a receiver named like ``geoip``
  (its ``lat_lon``/``lon_lat`` are the replacements, kept in 6.0)); ``__isnull=`` with a literal that is not a boolean, in any call;
  ``.iterator()`` without ``chunk_size`` in a chain that calls ``prefetch_related()``; a
  ``**{...}`` alias containing ``%``; ``BaseConstraint(name, ...)`` and
  ``super().__init__(name)`` in a ``BaseConstraint`` subclass (not ``UniqueConstraint``'s,
  whose positional arguments are expressions); and, on classes, ``delete()`` on a
  ``*DeleteView``, an ``__init__`` without ``get_response`` on a ``*MiddlewareMixin``, a ``Sitemap`` without
  ``protocol``, ``create_option()`` on a select-like widget (kept by ``scan`` only when the
  project may give the widget model choices: ``widget_uses``), ``mixed_subtype`` /
  ``alternative_subtype`` on an ``*Email*`` class, ``build_suite``/``run_tests`` taking
  ``extra_tests``.
- **``._headers`` of a response** (gone in 3.2), on any receiver but ``self`` (except in a
  class named like a response or deriving from one) and names like a mail message
  (``codemods.response_headers.is_response_receiver``, shared with the rewrite).
- **Tests and test scripts.** In test files (``codemods._python.is_test_file``), every string
  or bytes literal containing ``&#39;``: Django 3.0's ``escape()`` writes ``&#x27;``, so a test
  comparing escaped output with it fails (the ``html_escape_apostrophe`` codemod rewrites those
  inside assertions). In any file, a ``settings.configure(...)`` that leaves ``SECRET_KEY``
  empty as far as the file shows (``codemods.configure_secret_key.unkeyed_calls``).
- **Field instances that never ran their class's ``__init__``** (``python_reclass``): ``x.__class__
  = models.TextField`` (django-simple-history's history fields) and field subclasses whose
  ``__init__`` skips the field class's, for the classes whose ``__init__`` gained an attribute
  (``db_collation`` in 3.2, ...): ``python_tables.FIELD_INIT_ATTRIBUTES``.
- **``ModelState.fields`` unpacked as pairs** (``python_model_state``): a dict since 3.1.
- **``migrate`` run by a test in its transaction** (``python_migrate``): ``call_command("migrate")``
  in a ``TestCase`` or a ``django_db``-marked test; ``scan`` keeps it only when the project builds
  its test database without migrations (no ``django_migrations`` table from 4.1 on).
- **``<field>._unique = ...``** (``python_field_cache``): ``Field.unique`` is cached from 5.1 on.
- Model fields that Django keeps for historical migrations (``NullBooleanField``, the
  PostgreSQL ``JSONField`` and ``CI*Field``) are reported only where a field is made of them
  (called or subclassed; naming one, as in ``isinstance(f, models.NullBooleanField)``, works),
  and never inside ``migrations/``.

The detector is this module's ``PythonDetector`` (names and attributes) over its parts:
``python_tables`` (the data matched against), ``python_visitor`` (imports and aliases),
``python_calls``, ``python_definitions``, ``python_reclass``, ``python_model_state`` and
``python_admin_context`` (the checks), ``python_ast``
(node helpers).
"""

from __future__ import annotations

import ast

from codemods.configure_secret_key import unkeyed_calls
from codemods.html_escape_apostrophe import OLD as OLD_APOSTROPHE
from codemods.response_headers import ATTRIBUTE as HEADERS_ATTRIBUTE
from codemods.response_headers import is_response_receiver
from upgrader.findings.python_admin_context import each_context_hits
from upgrader.findings.python_ast import dotted
from upgrader.findings.python_calls import CallChecks
from upgrader.findings.python_definitions import DefinitionChecks
from upgrader.findings.python_field_cache import field_unique_hits
from upgrader.findings.python_middleware import csrf_cookie_hits, middleware_hits
from upgrader.findings.python_migrate import migrate_hits
from upgrader.findings.python_model_state import model_state_hits
from upgrader.findings.python_reclass import field_init_hits
from upgrader.findings.python_tables import (
    CONFIGURE_DEFAULT_AUTO_FIELD,
    CONFIGURE_USE_TZ,
    KEPT_FIELDS,
    NAMES,
    normalize,
    removed_module,
)
from upgrader.findings.python_visitor import Emit


class PythonDetector(CallChecks, DefinitionChecks):
    """One pass over a module's AST; ``emit(id, node, message)`` for each finding."""

    def run(self, tree: ast.Module) -> None:
        self._collect_imports(tree)
        self.visit(tree)
        for call in unkeyed_calls(tree):
            self.emit("secret-key-configure", call, "`settings.configure(...)` without SECRET_KEY")
        for call in unkeyed_calls(tree, "USE_TZ"):
            self.emit(CONFIGURE_USE_TZ, call, "`settings.configure(...)` without USE_TZ")
        for call in unkeyed_calls(tree, "DEFAULT_AUTO_FIELD"):
            self.emit(
                CONFIGURE_DEFAULT_AUTO_FIELD,
                call,
                "`settings.configure(...)` without DEFAULT_AUTO_FIELD",
            )
        for deprecation_id, node, message in field_init_hits(tree, self._resolve):
            self.emit(deprecation_id, node, message)
        for deprecation_id, node, message in model_state_hits(tree, self._resolve):
            self.emit(deprecation_id, node, message)
        for deprecation_id, node, message in migrate_hits(tree, self._resolve):
            self.emit(deprecation_id, node, message)
        for deprecation_id, node, message in field_unique_hits(tree):
            self.emit(deprecation_id, node, message)
        for deprecation_id, node, message in middleware_hits(tree, self._resolve):
            self.emit(deprecation_id, node, message)
        for deprecation_id, node, message in csrf_cookie_hits(tree):
            self.emit(deprecation_id, node, message)
        if self.is_test:
            for deprecation_id, node, message in each_context_hits(tree):
                self.emit(deprecation_id, node, message)

    def visit_Constant(self, node: ast.Constant) -> None:
        value = node.value
        if self.is_test and (
            (isinstance(value, str) and OLD_APOSTROPHE in value)
            or (isinstance(value, bytes) and OLD_APOSTROPHE.encode() in value)
        ):
            self.emit(
                "html-escape-apostrophe",
                node,
                "`&#39;` in a test string (Django 3.0+ escapes ' as `&#x27;`)",
            )

    # --- expressions -------------------------------------------------------------------------
    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr == HEADERS_ATTRIBUTE and self._may_be_response(node.value):
            self.emit(
                "response-private-headers",
                node,
                "`._headers` of a response (removed in Django 3.2: use `response[name]`)",
            )
        qualified = self._resolve(node)
        if qualified is not None and qualified not in KEPT_FIELDS:
            found = NAMES.get(qualified)
            if found is not None:
                self.emit(found, node, f"uses `{qualified}`")
                return
            module_hit = removed_module(qualified)
            head = dotted(node)
            base = self.aliases.get(head.partition(".")[0], "") if head else ""
            if module_hit is not None and removed_module(normalize(base)) is None:
                self.emit(module_hit, node, f"uses `{qualified}`")
                return
        self.generic_visit(node)

    def _may_be_response(self, receiver: ast.expr) -> bool:
        """``self`` counts in a class named like a response or with such a base."""
        name = dotted(receiver)
        if name == "self" and self._classes:
            cls = self._classes[-1]
            names = [cls.name, *(dotted(base) or "" for base in cls.bases)]
            return any("Response" in each for each in names)
        return isinstance(receiver, (ast.Call, ast.Subscript)) or (
            name is not None and is_response_receiver(name)
        )


def detect_python(tree: ast.Module, filename: str, emit: Emit) -> None:
    """Run the Python-code detector over ``tree`` (parsed from ``filename``)."""
    PythonDetector(filename, emit).run(tree)
