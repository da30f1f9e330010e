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
  ``get_cache_name``, GeoIP2's ``lat_lon``/``lon_lat``; ``coords``/``open`` only on a receiver
  named like ``geoip``); ``__isnull=`` with a literal that is not a boolean, in any call;
  ``.iterator()`` without ``chunk_size`` in a chain that calls ``prefetch_related()``; a
  ``**{...}`` alias containing ``%``; ``BaseConstraint(name, ...)`` and
  ``super().__init__(name)`` in a ``BaseConstraint`` subclass (not ``UniqueConstraint``'s,
  whose positional arguments are expressions); and, on classes, ``delete()`` on a
  ``*DeleteView``, an ``__init__`` without ``get_response`` on a ``*MiddlewareMixin``, a ``Sitemap`` without
  ``protocol``, ``create_option()`` on a select-like widget, ``mixed_subtype`` /
  ``alternative_subtype`` on an ``*Email*`` class, ``build_suite``/``run_tests`` taking
  ``extra_tests``.
- **Tests and test scripts.** In test files (``codemods._python.is_test_file``), every string
  or bytes literal containing ``&#39;``: Django 3.0's ``escape()`` writes ``&#x27;``, so a test
  comparing escaped output with it fails (the ``html_escape_apostrophe`` codemod rewrites those
  inside assertions). In any file, a ``settings.configure(...)`` that leaves ``SECRET_KEY``
  empty as far as the file shows (``codemods.configure_secret_key.unkeyed_calls``).
- Model fields that Django keeps for historical migrations (``NullBooleanField``, the
  PostgreSQL ``JSONField`` and ``CI*Field``) are reported only where a field is made of them
  (called or subclassed; naming one, as in ``isinstance(f, models.NullBooleanField)``, works),
  and never inside ``migrations/``.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable

from codemods._python import is_test_file
from codemods.configure_secret_key import unkeyed_calls
from codemods.html_escape_apostrophe import OLD as OLD_APOSTROPHE
from codemods.unittest_aliases import ALIASES

# Qualified names whose import or use is a finding (after ``_normalize``).
NAMES: dict[str, str] = {
    "django.db.models.permalink": "permalink",
    **dict.fromkeys(
        (
            f"django.contrib.auth.views.{view}"
            for view in (
                "login",
                "logout",
                "password_change",
                "password_change_done",
                "password_reset",
                "password_reset_done",
                "password_reset_confirm",
                "password_reset_complete",
            )
        ),
        "auth-function-views",
    ),
    "django.shortcuts.render_to_response": "render-to-response",
    "django.contrib.staticfiles.templatetags.staticfiles.static": "staticfiles-static-function",
    "django.contrib.admin.templatetags.admin_static.static": "staticfiles-static-function",
    "django.utils.http.cookie_date": "cookie-date",
    "django.utils.encoding.python_2_unicode_compatible": "python-2-unicode-compatible",
    "django.utils.decorators.available_attrs": "available-attrs",
    "django.utils.decorators.ContextDecorator": "context-decorator",
    "django.utils.functional.curry": "utils-functional-curry",
    "django.core.paginator.QuerySetPaginator": "queryset-paginator",
    "django.utils.timezone.FixedOffset": "timezone-fixedoffset",
    "django.contrib.postgres.fields.FloatRangeField": "float-range-field",
    "django.contrib.postgres.forms.FloatRangeField": "float-range-field",
    **dict.fromkeys(
        (
            f"django.utils.translation.{name}"
            for name in (
                "ugettext",
                "ugettext_lazy",
                "ugettext_noop",
                "ungettext",
                "ungettext_lazy",
            )
        ),
        "ugettext",
    ),
    "django.utils.encoding.force_text": "force-text",
    "django.utils.encoding.smart_text": "force-text",
    **dict.fromkeys(
        (
            f"django.utils.http.{name}"
            for name in ("urlquote", "urlquote_plus", "urlunquote", "urlunquote_plus")
        ),
        "utils-http-quote",
    ),
    "django.utils.http.is_safe_url": "is-safe-url",
    "django.utils.text.unescape_entities": "unescape-entities",
    "django.utils.translation.LANGUAGE_SESSION_KEY": "language-session-key",
    "django.conf.urls.url": "conf-urls-url",
    "django.db.models.NullBooleanField": "null-boolean-field",
    "django.contrib.postgres.fields.JSONField": "postgres-jsonfield",
    "django.contrib.postgres.forms.JSONField": "postgres-jsonfield",
    "django.db.models.query_utils.InvalidQuery": "invalid-query",
    "django.db.models.query.InvalidQuery": "invalid-query",
    "django.utils.timezone.utc": "timezone-utc",
    "django.contrib.admin.utils.lookup_needs_distinct": "lookup-needs-distinct",
    "django.contrib.sessions.serializers.PickleSerializer": "pickle-serializer",
    "django.core.files.storage.get_storage_class": "get-storage-class",
    **dict.fromkeys(
        (
            f"django.contrib.postgres.fields.{name}"
            for name in ("CICharField", "CIEmailField", "CITextField", "CIText")
        ),
        "postgres-ci-fields",
    ),
    "django.forms.renderers.DjangoDivFormRenderer": "div-form-renderer",
    "django.forms.renderers.Jinja2DivFormRenderer": "div-form-renderer",
    "django.contrib.postgres.aggregates.StringAgg": "postgres-stringagg",
    "django.db.models.enums.ChoicesMeta": "choices-meta",
    "django.core.mail.BadHeaderError": "mail-legacy-classes",
    "django.core.mail.SafeMIMEText": "mail-legacy-classes",
    **dict.fromkeys(
        (f"django.utils._os.{name}" for name in ("upath", "npath", "abspathu")),
        "utils-os-py2-helpers",
    ),
    "django.utils.safestring.SafeBytes": "safe-bytes",
    "django.test.utils.patch_logger": "test-utils-patch-logger",
    "django.test.utils.str_prefix": "test-utils-patch-logger",
    "django.db.models.functions.ForceRHR": "gis-force-rhr",
    "django.contrib.staticfiles.storage.CachedStaticFilesStorage": "cached-static-files-storage",
    "django.contrib.staticfiles.storage.CachedFilesMixin": "cached-static-files-storage",
    "django.utils.decorators.classproperty": "decorators-classproperty",
    "django.views.debug.ExceptionReporterFilter": "debug-safe-settings",
    "django.views.debug.get_safe_settings": "debug-safe-settings",
    "django.views.debug.cleanse_setting": "debug-safe-settings",
    "django.contrib.admindocs.utils.trim_docstring": "admindocs-trim-docstring",
    "django.contrib.postgres.fields.KeyTransform": "postgres-jsonb-transforms",
    "django.contrib.postgres.fields.KeyTextTransform": "postgres-jsonb-transforms",
    "django.utils.http.parse_qsl": "utils-http-parse-qsl",
    **dict.fromkeys(
        (
            f"django.test.runner.{name}"
            for name in (
                "reorder_suite",
                "partition_suite_by_type",
                "is_discoverable",
                "default_test_processes",
            )
        ),
        "test-runner-private-helpers",
    ),
    **dict.fromkeys(
        (
            f"django.contrib.gis.admin.{name}"
            for name in ("GeoModelAdmin", "OSMGeoAdmin", "OpenLayersWidget")
        ),
        "gis-geo-model-admin",
    ),
    "django.contrib.sitemaps.ping_google": "sitemaps-ping-google",
    "django.contrib.admin.sites.AlreadyRegistered": "admin-sites-already-registered",
    "django.contrib.admin.sites.NotRegistered": "admin-sites-already-registered",
    "django.db.models.sql.where.SubqueryConstraint": "subquery-constraint",
    "django.db.models.query.EmptyResultSet": "empty-result-set-import",
    "django.db.models.sql.EmptyResultSet": "empty-result-set-import",
    "django.core.serializers.base.PickleSerializer": "pickle-serializer",
    "django.forms.fields.CallableChoiceIterator": "callable-choice-iterator",
    "django.core.mail.SafeMIMEMultipart": "mail-header-helpers",
    "django.core.mail.sanitize_address": "mail-header-helpers",
    "django.core.mail.forbid_multi_line_headers": "mail-header-helpers",
    "django.db.transaction.savepoint": "transaction-savepoint",
    "django.core.mail.get_connection": "mail-get-connection",
    "rest_framework.decorators.list_route": "drf-list-detail-route",
    "rest_framework.decorators.detail_route": "drf-list-detail-route",
    # Settings read through django.conf.settings.
    "django.conf.settings.DEFAULT_CONTENT_TYPE": "default-content-type",
    "django.conf.settings.FILE_CHARSET": "file-charset",
    "django.conf.settings.PASSWORD_RESET_TIMEOUT_DAYS": "password-reset-timeout-days",
    "django.conf.settings.DEFAULT_HASHING_ALGORITHM": "default-hashing-algorithm",
    "django.conf.settings.USE_L10N": "use-l10n",
    "django.conf.settings.USE_DEPRECATED_PYTZ": "use-deprecated-pytz",
    "django.conf.settings.DEFAULT_FILE_STORAGE": "storages-settings",
    "django.conf.settings.STATICFILES_STORAGE": "storages-settings",
}

# Modules removed as a whole: importing them or anything under them is a finding.
MODULES: dict[str, str] = {
    "django.core.urlresolvers": "core-urlresolvers",
    "django.utils.six": "utils-six",
    "django.utils.lru_cache": "utils-lru-cache",
    "django.utils.datetime_safe": "datetime-safe",
    "django.utils.baseconv": "baseconv",
    "django.utils.itercompat": "itercompat",
    "django.utils.topological_sort": "utils-topological-sort",
    "django.utils.jslex": "utils-jslex",
    "pytz": "pytz",
}

# Modules that re-export (or define) what the tables above name by their public path.
_REEXPORTS: tuple[tuple[str, str], ...] = (
    ("django.contrib.gis.db.models", "django.db.models"),
    ("django.db.models.fields", "django.db.models"),
    ("django.db.models.constraints", "django.db.models"),
    ("django.contrib.postgres.fields.citext", "django.contrib.postgres.fields"),
    ("django.contrib.postgres.fields.jsonb", "django.contrib.postgres.fields"),
    ("django.contrib.postgres.fields.ranges", "django.contrib.postgres.fields"),
    ("django.contrib.postgres.forms.jsonb", "django.contrib.postgres.forms"),
    ("django.contrib.postgres.forms.ranges", "django.contrib.postgres.forms"),
    ("django.contrib.postgres.aggregates.general", "django.contrib.postgres.aggregates"),
    ("django.dispatch.dispatcher", "django.dispatch"),
    ("django.contrib.gis.admin.options", "django.contrib.gis.admin"),
    ("django.contrib.gis.admin.widgets", "django.contrib.gis.admin"),
    ("django.core.mail.message", "django.core.mail"),
    ("django.forms.models", "django.forms"),
    ("django.db.models.functions.datetime", "django.db.models.functions"),
)

# Kept by Django for historical migrations: not a finding inside migrations/.
MIGRATION_SAFE = frozenset({"null-boolean-field", "postgres-jsonfield", "postgres-ci-fields"})

# Field classes Django still defines for those migrations (checked on 5.2): importing or naming
# them works (``isinstance(f, models.NullBooleanField)``); a model field made of one fails its
# system check. Found where one is instantiated or subclassed, not where it is named.
KEPT_FIELDS = frozenset(
    {
        "django.db.models.NullBooleanField",
        "django.contrib.postgres.fields.JSONField",
        "django.contrib.postgres.fields.CICharField",
        "django.contrib.postgres.fields.CIEmailField",
        "django.contrib.postgres.fields.CITextField",
    }
)

# The rename table lives with the codemod that applies it; the one alias removed without a
# replacement gets its suggested spelling here.
UNITTEST_ALIASES: dict[str, str] = {
    **ALIASES,
    "assertDictContainsSubset": "assertLessEqual(subset.items(), d.items())",
}

# Calls whose keyword argument was removed: (callee, keyword) -> id.
REMOVED_KEYWORDS: dict[tuple[str, str], str] = {
    ("django.dispatch.Signal", "providing_args"): "signal-providing-args",
    ("django.core.validators.EmailValidator", "whitelist"): "email-validator-whitelist",
    ("django.core.validators.EmailValidator", "domain_whitelist"): "email-validator-whitelist",
    ("django.utils.functional.cached_property", "name"): "cached-property-name",
    **{
        (f"django.core.mail.{name}", "fail_silently"): "mail-fail-silently"
        for name in ("send_mail", "send_mass_mail", "mail_admins", "mail_managers")
    },
    ("django.db.models.CheckConstraint", "check"): "check-constraint-check",
    ("django.contrib.postgres.aggregates.ArrayAgg", "ordering"): "postgres-aggregate-ordering",
    ("django.contrib.postgres.aggregates.JSONBAgg", "ordering"): "postgres-aggregate-ordering",
    ("django.contrib.postgres.aggregates.StringAgg", "ordering"): "postgres-aggregate-ordering",
    ("django.contrib.staticfiles.finders.find", "all"): "staticfiles-find-all",
    **{
        (f"django.utils.timezone.{name}", "is_dst"): "is-dst-argument"
        for name in ("make_aware", "localtime", "localdate", "make_naive")
    },
    **{
        (f"django.db.models.functions.{name}", "is_dst"): "is-dst-argument"
        for name in (
            "Trunc",
            "TruncSecond",
            "TruncMinute",
            "TruncHour",
            "TruncDay",
            "TruncWeek",
            "TruncMonth",
            "TruncQuarter",
            "TruncYear",
        )
    },
}

_MODEL_BASES = frozenset({"AbstractUser", "AbstractBaseUser"})
_POSTGRES_AGGREGATES = frozenset(
    f"django.contrib.postgres.aggregates.{name}" for name in ("ArrayAgg", "JSONBAgg", "StringAgg")
)
# How many arguments each django.core.mail function still takes positionally (6.0).
_MAIL_POSITIONAL: dict[str, int] = {
    "django.core.mail.send_mail": 4,
    "django.core.mail.send_mass_mail": 1,
    "django.core.mail.mail_admins": 2,
    "django.core.mail.mail_managers": 2,
    "django.core.mail.EmailMessage": 4,
    "django.core.mail.EmailMultiAlternatives": 4,
}
_ALIAS_METHODS = frozenset({"annotate", "alias", "aggregate", "values", "values_list"})
REMOVED_METHODS: dict[str, str] = {
    "get_raw_uri": "get-raw-uri",
    "_html_output": "form-html-output",
    "get_joining_columns": "get-joining-columns",
    "get_reverse_joining_columns": "get-joining-columns",
    "get_prefetch_queryset": "get-prefetch-queryset",
    "get_cache_name": "field-cache-name",
    "lat_lon": "geoip2-coords",
    "lon_lat": "geoip2-coords",
}
_SAVE_PARAMETERS = frozenset({"force_insert", "force_update", "using", "update_fields"})
_NOT_MODEL_RECEIVERS = ("form", "serializer", "storage", "file", "image", "img", "session")

# Bytes at least one of which a file must contain to be worth parsing.
NEEDLES: tuple[bytes, ...] = (
    b"django",
    b"pytz",
    b"rest_framework",
    b"assert",
    b"fail",
    b".save(",
    b"is_ajax",
    b"filter_",
    b"from_db_value",
    b"lookup_allowed",
    b"base_name",
    b"index_together",
    b"make_random_password",
    b"default_app_config",
    b"requires_system_checks",
    b"multi_db",
    b"allow_database_queries",
    b"allow_tags",
    b"is_authenticated",
    b"is_anonymous",
    b"localize",
    b"normalize",
    b"log_deletion",
    b"log_action",
    b"has_add_permission",
    b"isnull",
    b"get_raw_uri",
    b"create_option",
    b"_html_output",
    b"joining_columns",
    b"get_prefetch_queryset",
    b"lat_lon",
    b"lon_lat",
    b"_subtype",
    b"extra_tests",
    b"get_cache_name",
    OLD_APOSTROPHE.encode(),
    b"configure",
)

Emit = Callable[[str, ast.AST, str], None]


def _normalize(qualified: str) -> str:
    for prefix, public in _REEXPORTS:
        if qualified == prefix or qualified.startswith(prefix + "."):
            return public + qualified[len(prefix) :]
    return qualified


def _removed_module(qualified: str) -> str | None:
    for module, deprecation_id in MODULES.items():
        if qualified == module or qualified.startswith(module + "."):
            return deprecation_id
    return None


def _dotted(node: ast.expr) -> str | None:
    """``a.b.c`` for a chain of names, else None."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return None if base is None else f"{base}.{node.attr}"
    return None


def _keywords(call: ast.Call) -> set[str | None]:
    return {keyword.arg for keyword in call.keywords}


def _is_super_call(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super"
    )


def _is_str(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


class PythonDetector(ast.NodeVisitor):
    """One pass over a module's AST; ``emit(id, node, message)`` for each finding."""

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

    def run(self, tree: ast.Module) -> None:
        self._collect_imports(tree)
        self.visit(tree)
        for call in unkeyed_calls(tree):
            self.emit("secret-key-configure", call, "`settings.configure(...)` without SECRET_KEY")

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
                module_hit = _removed_module(node.module)
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
        normal = _normalize(qualified)
        if normal in KEPT_FIELDS:
            return
        found = NAMES.get(normal) or _removed_module(normal)
        if found is not None:
            self.emit(found, node, f"imports `{qualified}`")

    def _resolve(self, node: ast.expr) -> str | None:
        dotted = _dotted(node)
        if dotted is None:
            return None
        head, _, rest = dotted.partition(".")
        target = self.aliases.get(head)
        if target is None:
            return None
        return _normalize(f"{target}.{rest}" if rest else target)

    # --- expressions -------------------------------------------------------------------------
    def visit_Attribute(self, node: ast.Attribute) -> None:
        qualified = self._resolve(node)
        if qualified is not None and qualified not in KEPT_FIELDS:
            found = NAMES.get(qualified)
            if found is not None:
                self.emit(found, node, f"uses `{qualified}`")
                return
            module_hit = _removed_module(qualified)
            head = _dotted(node)
            base = self.aliases.get(head.partition(".")[0], "") if head else ""
            if module_hit is not None and _removed_module(_normalize(base)) is None:
                self.emit(module_hit, node, f"uses `{qualified}`")
                return
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        self._check_call(node)
        self.generic_visit(node)

    def _check_call(self, node: ast.Call) -> None:
        self._check_isnull(node)
        func = node.func
        callee = self._resolve(func)
        keywords = _keywords(node)
        if callee in KEPT_FIELDS:
            self.emit(NAMES[callee], node, f"`{callee.rpartition('.')[2]}(...)` field")
        if callee is not None:
            for keyword in keywords:
                if keyword is not None and (callee, keyword) in REMOVED_KEYWORDS:
                    self.emit(REMOVED_KEYWORDS[callee, keyword], node, f"`{keyword}=` argument")
            self._check_resolved_call(node, callee, keywords)
        if isinstance(func, ast.Attribute):
            self._check_method_call(node, func, keywords)

    def _check_resolved_call(self, node: ast.Call, callee: str, keywords: set[str | None]) -> None:
        if callee in ("django.db.models.ForeignKey", "django.db.models.OneToOneField"):
            if len(node.args) < 2 and not keywords & {"on_delete", None}:
                self.emit(
                    "on-delete-required", node, f"`{callee.rpartition('.')[2]}` without on_delete"
                )
        elif callee == "django.utils.crypto.get_random_string":
            if not node.args and not keywords & {"length", None}:
                self.emit("get-random-string-length", node, "`get_random_string()` without length")
        elif callee == "django.utils.html.format_html":
            if (
                len(node.args) == 1
                and not node.keywords
                and not isinstance(node.args[0], ast.Starred)
            ):
                self.emit(
                    "format-html-no-args", node, "`format_html()` with no arguments to format"
                )
        elif callee == "django.db.models.BaseConstraint" and any(
            not isinstance(a, ast.Starred) for a in node.args
        ):
            self.emit(
                "constraint-positional-args", node, "`BaseConstraint()` with positional arguments"
            )
        elif callee in _MAIL_POSITIONAL and len(node.args) > _MAIL_POSITIONAL[callee]:
            name = callee.rpartition(".")[2]
            self.emit(
                "mail-positional-args", node, f"`{name}()` with optional arguments by position"
            )
        elif callee == "django.forms.ModelMultipleChoiceField" and _has_key(
            node, "error_messages", "list"
        ):
            self.emit("model-multiple-choice-list-key", node, "`error_messages={'list': ...}`")
        elif callee in _POSTGRES_AGGREGATES and not keywords & {"default", None}:
            name = callee.rpartition(".")[2]
            self.emit("postgres-aggregate-default", node, f"`{name}()` without default=")
        elif callee == "django.utils.functional.cached_property" and len(node.args) >= 2:
            self.emit("cached-property-name", node, "`cached_property(func, name)`")
        elif callee in (
            "django.core.signing.Signer",
            "django.core.signing.TimestampSigner",
        ) and any(not isinstance(arg, ast.Starred) for arg in node.args):
            name = callee.rpartition(".")[2]
            self.emit("signer-positional-args", node, f"`{name}()` with positional arguments")

    def _check_method_call(
        self, node: ast.Call, func: ast.Attribute, keywords: set[str | None]
    ) -> None:
        name = func.attr
        receiver = func.value
        on_self = isinstance(receiver, ast.Name) and receiver.id == "self"
        if name in _ALIAS_METHODS:
            self._check_alias_percent(node)
        if name == "is_ajax" and not node.args and not node.keywords:
            self.emit("is-ajax", node, "`.is_ajax()`")
        elif name in REMOVED_METHODS:
            self.emit(REMOVED_METHODS[name], node, f"`.{name}()`")
        elif name in ("coords", "open") and "geoip" in (_dotted(receiver) or "").lower():
            self.emit("geoip2-coords", node, f"`GeoIP2.{name}()`")
        elif name in ("build_suite", "run_tests") and "extra_tests" in keywords:
            self.emit("test-runner-extra-tests", node, "`extra_tests=` argument")
        elif name == "iterator" and not node.args and "chunk_size" not in keywords:
            if _chain_calls(receiver, "prefetch_related"):
                self.emit(
                    "iterator-prefetch-chunk-size",
                    node,
                    "`.prefetch_related(...).iterator()` without chunk_size",
                )
        elif name in ("is_authenticated", "is_anonymous") and not node.args:
            if (isinstance(receiver, ast.Name) and receiver.id == "user") or (
                isinstance(receiver, ast.Attribute) and receiver.attr == "user"
            ):
                self.emit("user-is-authenticated-call", node, f"`user.{name}()` called")
        elif name == "log_deletion" or (
            name == "log_action" and (_dotted(receiver) or "").endswith("LogEntry.objects")
        ):
            self.emit("admin-log-deletion", node, f"`.{name}()`")
        elif name == "make_random_password":
            self.emit("make-random-password", node, "`.make_random_password()`")
        elif name in ("localize", "normalize") and self.uses_pytz and node.args:
            self.emit("pytz-localize", node, f"pytz `.{name}()`")
        elif name == "datetimes" and "is_dst" in keywords:
            self.emit("is-dst-argument", node, "`QuerySet.datetimes(is_dst=...)`")
        elif name == "register" and "base_name" in keywords:
            self.emit("drf-router-base-name", node, "`register(base_name=...)`")
        elif name == "save":
            self._check_save(node, receiver)
        elif (
            name == "__init__"
            and _is_super_call(receiver)
            and self._classes
            and any(
                (_dotted(base) or "").endswith("BaseConstraint") for base in self._classes[-1].bases
            )
            and any(not isinstance(arg, ast.Starred) for arg in node.args)
        ):
            self.emit(
                "constraint-positional-args",
                node,
                "`BaseConstraint.__init__()` with positional arguments",
            )
        elif on_self and name in UNITTEST_ALIASES:
            self.emit("unittest-aliases", node, f"`self.{name}()` (use {UNITTEST_ALIASES[name]})")
        elif on_self:
            self._check_test_assertion(node, name, keywords)

    def _check_isnull(self, node: ast.Call) -> None:
        for keyword in node.keywords:
            value = keyword.value
            if (
                keyword.arg is not None
                and keyword.arg.endswith("__isnull")
                and isinstance(value, ast.Constant)
                and not isinstance(value.value, bool)
            ):
                self.emit("isnull-non-boolean", keyword.value, f"`{keyword.arg}={value.value!r}`")

    def _check_alias_percent(self, node: ast.Call) -> None:
        for keyword in node.keywords:
            if keyword.arg is None and isinstance(keyword.value, ast.Dict):
                for key in keyword.value.keys:
                    if key is not None and _is_str(key) and "%" in str(key.value):  # type: ignore[attr-defined]
                        self.emit("column-alias-percent", key, f"alias {key.value!r}")  # type: ignore[attr-defined]

    def _check_test_assertion(self, node: ast.Call, name: str, keywords: set[str | None]) -> None:
        if name in ("assertQuerysetEqual", "assertFormsetError"):
            self.emit("assert-queryset-equal-rename", node, f"`self.{name}()`")
        if (
            name in ("assertQuerysetEqual", "assertQuerySetEqual")
            and "transform" not in keywords
            and len(node.args) >= 2
            and self._compares_reprs(node.args[1])
        ):
            self.emit("assert-queryset-equal-repr", node, f"`self.{name}()` against repr strings")
        if name in ("assertFormError", "assertFormsetError") and node.args:
            first = node.args[0]
            text = (_dotted(first) or "").lower()
            if "resp" in text or (
                isinstance(first, ast.Call)
                and isinstance(first.func, ast.Attribute)
                and (_dotted(first.func.value) or "").endswith("client")
            ):
                self.emit("assert-form-error-response", node, f"`self.{name}(response, ...)`")

    @staticmethod
    def _compares_reprs(values: ast.expr) -> bool:
        if isinstance(values, (ast.List, ast.Tuple, ast.Set)):
            return any(_is_str(element) for element in values.elts)
        return (
            isinstance(values, ast.Call)
            and isinstance(values.func, ast.Name)
            and values.func.id == "map"
            and bool(values.args)
            and isinstance(values.args[0], ast.Name)
            and values.args[0].id == "repr"
        )

    def _check_save(self, node: ast.Call, receiver: ast.expr) -> None:
        positional = [arg for arg in node.args if not isinstance(arg, ast.Starred)]
        if not positional:
            return
        if _is_super_call(receiver) or (isinstance(receiver, ast.Name) and receiver.id == "self"):
            if self._in_model_class():
                self.emit("model-save-positional-args", node, "`save()` with positional arguments")
            return
        name = (_dotted(receiver) or "").rpartition(".")[2].lower()
        if not name or any(word in name for word in _NOT_MODEL_RECEIVERS):
            return
        first = positional[0]
        if (isinstance(first, ast.Constant) and isinstance(first.value, bool)) or (
            isinstance(first, ast.Name) and first.id in _SAVE_PARAMETERS
        ):
            self.emit("model-save-positional-args", node, "`save()` with positional arguments")

    def _in_model_class(self) -> bool:
        if not self._classes:
            return False
        if self.in_models_module:
            return True
        for base in self._classes[-1].bases:
            last = (_dotted(base) or "").rpartition(".")[2]
            if last.endswith("Model") or last in _MODEL_BASES:
                return True
        return False

    # --- declarations ------------------------------------------------------------------------
    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        if node.name == "Meta" and self._classes and not self.in_migrations:
            for name, statement in _class_assignments(node.body):
                if name == "index_together":
                    self.emit("index-together", statement, "`Meta.index_together`")
        for base in node.bases:
            resolved = self._resolve(base)
            if resolved in KEPT_FIELDS:
                self.emit(NAMES[resolved], node, f"a field built on `{resolved}`")
        bases = [(_dotted(base) or "").rpartition(".")[2] for base in node.bases]
        for name, statement in _class_assignments(node.body):
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

    def _check_class_body(self, node: ast.ClassDef, bases: list[str]) -> None:
        methods = {
            statement.name: statement
            for statement in node.body
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef))
        }
        attributes = {name for name, _ in _class_assignments(node.body)}
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
            bases = [(_dotted(base) or "").rpartition(".")[2] for base in self._classes[-1].bases]
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
            for name, statement in _class_assignments(node.body):
                if name == "default_app_config":
                    self.emit("default-app-config", statement, "`default_app_config`")
        self.generic_visit(node)


def _has_key(call: ast.Call, keyword: str, key: str) -> bool:
    """Whether ``call`` passes ``keyword={... key: ...}`` as a dict literal."""
    for argument in call.keywords:
        if argument.arg == keyword and isinstance(argument.value, ast.Dict):
            return any(isinstance(k, ast.Constant) and k.value == key for k in argument.value.keys)
    return False


def _chain_calls(node: ast.expr, method: str) -> bool:
    """Whether the call chain ending in ``node`` calls ``.method(...)`` somewhere."""
    while isinstance(node, (ast.Call, ast.Attribute)):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == method:
                return True
            node = func.value if isinstance(func, ast.Attribute) else func
        else:
            node = node.value
    return False


def _class_assignments(body: Iterable[ast.stmt]) -> Iterable[tuple[str, ast.stmt]]:
    """``(name, statement)`` for each ``name = ...`` / ``name: T = ...`` directly in ``body``."""
    for statement in body:
        if isinstance(statement, ast.Assign):
            for target in statement.targets:
                if isinstance(target, ast.Name):
                    yield target.id, statement
        elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            yield statement.target.id, statement


def detect_python(tree: ast.Module, filename: str, emit: Emit) -> None:
    """Run the Python-code detector over ``tree`` (parsed from ``filename``)."""
    PythonDetector(filename, emit).run(tree)
