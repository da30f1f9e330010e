"""The tables the Python-code detector matches against: removed names, modules, keyword arguments
and methods, the modules that re-export them, and the needles that make a file worth parsing.

Data only, plus the two lookups on it (``normalize``, ``removed_module``); the detector is
``python_code``, and ``runtime`` maps run-time warnings back through the same tables.
"""

from __future__ import annotations

from codemods.html_escape_apostrophe import OLD as OLD_APOSTROPHE
from codemods.unittest_aliases import ALIASES

# Qualified names whose import or use is a finding (after ``normalize``).
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
    "django.contrib.auth.views.SuccessURLAllowedHostsMixin": "auth-success-url-allowed-hosts-mixin",
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
    "django.core.mail.BadHeaderError": "mail-bad-header-error",
    "django.core.mail.message.BadHeaderError": "mail-bad-header-error",
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
    ("django.db.models.sql.datastructures.Join", "join_cols"): "get-joining-columns",
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

MODEL_BASES = frozenset({"AbstractUser", "AbstractBaseUser"})
POSTGRES_AGGREGATES = frozenset(
    f"django.contrib.postgres.aggregates.{name}" for name in ("ArrayAgg", "JSONBAgg", "StringAgg")
)
# How many arguments each django.core.mail function still takes positionally (6.0).
MAIL_POSITIONAL: dict[str, int] = {
    "django.core.mail.send_mail": 4,
    "django.core.mail.send_mass_mail": 1,
    "django.core.mail.mail_admins": 2,
    "django.core.mail.mail_managers": 2,
    "django.core.mail.EmailMessage": 4,
    "django.core.mail.EmailMultiAlternatives": 4,
}
ALIAS_METHODS = frozenset({"annotate", "alias", "aggregate", "values", "values_list"})
REMOVED_METHODS: dict[str, str] = {
    "get_raw_uri": "get-raw-uri",
    "_html_output": "form-html-output",
    "get_joining_columns": "get-joining-columns",
    "get_reverse_joining_columns": "get-joining-columns",
    "get_prefetch_queryset": "get-prefetch-queryset",
    "get_cache_name": "field-cache-name",
}
SAVE_PARAMETERS = frozenset({"force_insert", "force_update", "using", "update_fields"})
NOT_MODEL_RECEIVERS = ("form", "serializer", "storage", "file", "image", "img", "session")

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
    b"CSRF_COOKIE_USED",
    b"get_raw_uri",
    b"create_option",
    b"_html_output",
    b"joining_columns",
    b"get_prefetch_queryset",
    b"coords",
    b"_subtype",
    b"extra_tests",
    b"get_cache_name",
    b"_headers",
    b"paginate_orphans",
    b"providing_args",  # a Signal subclass imported from another module (FINDINGS F40)
    OLD_APOSTROPHE.encode(),
    b"configure",
    b"each_context",
)


# Field classes whose own __init__ (or a base's, below Field) started setting an attribute in a
# release (catalogue ``field-init-*``): an instance that never ran it, re-classed with
# ``x.__class__ = C`` or built by a subclass whose __init__ skips C's, lacks it. Keyed by the
# name after ``normalize`` (gis fields normalise to django.db.models[.fields]): name -> (catalogue
# id, attribute). ``python_reclass`` matches against it.
_DB_COLLATION = ("field-init-db-collation", "db_collation")
_GEOMETRY = ("field-init-max-geom-collections", "max_geom_collections")
FIELD_INIT_ATTRIBUTES: dict[str, tuple[str, str]] = {
    **{
        f"django.db.models.{name}": _DB_COLLATION
        for name in ("CharField", "TextField", "EmailField", "SlugField", "URLField")
    },
    **{
        f"django.contrib.postgres.fields.{name}": _DB_COLLATION
        for name in ("CICharField", "CIEmailField", "CITextField")
    },
    **{
        f"django.contrib.postgres.fields.{name}": ("field-init-default-bounds", "default_bounds")
        for name in ("DateTimeRangeField", "DecimalRangeField")
    },
    **dict.fromkeys(
        (
            "django.contrib.postgres.fields.ArrayField",
            "django.contrib.postgres.fields.array.ArrayField",
        ),
        ("field-init-array-db-collation", "db_collation"),
    ),
    **{
        f"{module}.{name}": _GEOMETRY
        for module in ("django.db.models", "django.db.models.fields")
        for name in (
            "GeometryField",
            "PointField",
            "LineStringField",
            "PolygonField",
            "MultiPointField",
            "MultiLineStringField",
            "MultiPolygonField",
            "GeometryCollectionField",
        )
    },
}

# ``migrate`` run inside a test's transaction on a test database built without migrations, which
# has no django_migrations table from Django 4.1 on (``python_migrate`` emits it).
MIGRATIONS_TABLE = "test-db-no-migrations-table"

# ``<field>._unique = ...`` on an existing field: ``Field.unique`` is a cached_property from
# Django 5.1 on (``python_field_cache`` emits it).
FIELD_UNIQUE_CACHED = "field-unique-cached"

# ``super().__init__()`` without ``get_response`` in a middleware's ``__init__(self,
# get_response, ...)``: required from Django 4.0 (``python_middleware`` emits it).
MIDDLEWARE_SUPER_GET_RESPONSE = "middleware-super-get-response"

# ``request.META["CSRF_COOKIE_USED"]``: Django 4.0's CSRF middleware sets
# ``CSRF_COOKIE_NEEDS_UPDATE`` instead (``python_middleware`` emits it).
CSRF_COOKIE_USED = "csrf-cookie-used"

# ``<admin site>.each_context(...)`` in a test: the context has a ``log_entries`` QuerySet from
# Django 5.0 on (``python_admin_context`` emits it).
ADMIN_EACH_CONTEXT = "admin-each-context-log-entries"

# ``settings.configure(...)`` without USE_TZ, whose default flips in 5.0 (``python_code``).
CONFIGURE_USE_TZ = "configure-use-tz-default"

# ``settings.configure(...)`` without DEFAULT_AUTO_FIELD, whose default flips in 6.0
# (``python_code``).
CONFIGURE_DEFAULT_AUTO_FIELD = "configure-default-auto-field"

# What builds a django.db.migrations ModelState, whose ``fields`` is a dict since 3.1
# (catalogue ``model-state-fields-dict``; ``python_model_state`` matches against it).
MODEL_STATE_FIELDS = "model-state-fields-dict"
MODEL_STATE_BUILDERS = frozenset(
    f"{module}.ModelState{suffix}"
    for module in ("django.db.migrations.state", "django.db.migrations")
    for suffix in ("", ".from_model")
)


def normalize(qualified: str) -> str:
    for prefix, public in _REEXPORTS:
        if qualified == prefix or qualified.startswith(prefix + "."):
            return public + qualified[len(prefix) :]
    return qualified


def removed_module(qualified: str) -> str | None:
    for module, deprecation_id in MODULES.items():
        if qualified == module or qualified.startswith(module + "."):
            return deprecation_id
    return None
