"""The deprecations and removals that break code on the way from Django 2.0 to 6.1, as data.

Each :class:`Deprecation` names when an API was deprecated and when it stopped working, links
the release-notes section that announces it, says how it gets fixed (a django-upgrade fixer,
one of our codemods in ``codemods/``, or by hand) and which detectors of this package find it.

Entries are keyed to a *scope*: Django itself, the Python version (``scope="python"``, e.g. the
unittest aliases removed in Python 3.12) or a third-party package (``scope="package"`` with
``package`` its canonical PyPI name, e.g. DRF 3.10 removing ``list_route``). Versions are
strings of that scope's numbering and always parse as ``packaging`` versions.

Sources:
- Django deprecation timeline, docs/internals/deprecation.txt
  (https://docs.djangoproject.com/en/dev/internals/deprecation/): the removal versions.
- Django release notes, docs/releases/X.Y.txt, sections "Features deprecated in X.Y",
  "Features removed in X.Y" and "Backwards incompatible changes": the deprecation versions and
  the ``docs`` links.
- django-upgrade 1.33 (``django_upgrade/fixers/*.py``): fixer names and the target version at
  which each one runs (``Fixer(..., min_version=...)``).
- Python 3.12 "What's New", section "Removed" (unittest aliases).
- Django REST framework 3.8 announcement and release notes; django-filter migration guide.

django-upgrade fixers that modernise code which keeps working (``admin_register``,
``request_headers``, ``test_http_headers``, ``versioned_branches``, ...) are not entries here;
nor are the deprecations Django 6.1 started that django-upgrade has no fixer for yet (their
removal in 2028.0 follows the timeline's rule; the three with fixers are here). Django's
``RemovedInDjango70Warning`` is an alias of ``RemovedInDjango2028Warning`` (checked in 6.0.10
and 6.1.3's ``django/utils/deprecation.py``): the release after 6.2 is 2028.0, so the 6.0 and
6.1 deprecations say ``removed_in="2028.0"``, the version verify reads from either warning.

``undetected`` says, for an entry no detector can point at (a changed default, runtime
state), why, and how ``verify``'s run (its test results and captured warnings) shows it.

Entries changed without a deprecation period (private APIs dropped in 3.0, the scheme
``CSRF_TRUSTED_ORIGINS`` needs since 4.0) have ``warned=False`` and ``deprecated_in ==
removed_in``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Literal

from packaging.version import Version

FixKind = Literal["django-upgrade", "codemod", "manual"]
Detector = Literal["python", "settings", "template", "static"]
Scope = Literal["django", "python", "package"]

# The rule ids of our own codemods (``codemods/<id>.py``), agreed with the rewrite stage.
CODEMOD_IDS: tuple[str, ...] = (
    "settings_default_auto_field",
    "settings_use_tz_explicit",
    "settings_use_l10n",
    "settings_csrf_trusted_origins_scheme",
    "settings_memcached_backend",
    "settings_default_hashing_algorithm",
    "settings_password_hashers",
    "template_load_static",
    "template_ifequal",
    "template_length_is",
    "request_is_ajax",
    "utils_six",
    "python_2_unicode_compatible",
    "available_attrs",
    "pytz_to_zoneinfo",
    "get_storage_class",
    "make_random_password",
    "datetime_safe",
    "baseconv",
    "model_save_positional_args",
    "unittest_aliases",
    "drf_list_detail_route",
    "django_filter_filterset",
    "drf_router_basename",
    "django_filter_field_name",
    "drf_null_boolean_field",
    "assert_queryset_equal_transform",
    "template_logout_link",
    "settings_file_charset",
    "moved_names",
    "signer_keyword_args",
    "isnull_boolean",
    "cached_property_name",
    "forms_callable_choice_iterator",
    "postgres_aggregate_default",
    "utils_os_py2",
    "iterator_chunk_size",
    "debug_safe_settings",
    "from_db_value_context",
    "inline_has_add_permission_obj",
    "lookup_allowed_request",
    "timezone_utc_attribute",
    "html_escape_apostrophe",
    "configure_secret_key",
    "configure_use_tz",
    "configure_default_auto_field",
    "settings_x_frame_options",
    "settings_file_upload_permissions",
    "settings_secure_referrer_policy",
    "settings_secure_coop",
    "div_form_renderer",
    "is_dst_argument",
    "get_raw_uri",
    "constraint_keyword_args",
    "settings_csrf_cookie_masked",
    "settings_use_deprecated_pytz",
    "settings_test_serialize",
    "response_headers",
    "geoip2_coords",
    "field_cache_name",
    "invalid_query",
    "settings_default_content_type",
    "get_prefetch_querysets",
    "get_joining_fields",
    "itercompat_is_iterable",
    "admindocs_trim_docstring",
    "mail_bad_header_error",
    "model_state_fields_items",
    "middleware_super_get_response",
    "csrf_cookie_needs_update",
    "field_reclass_attributes",
    "field_unique_cache_clear",
)


@dataclass(frozen=True)
class Fix:
    """How a deprecation gets fixed: ``ref`` is a django-upgrade fixer or one of our codemods."""

    kind: FixKind
    ref: str | None = None

    def __str__(self) -> str:
        return f"{self.kind} {self.ref}" if self.ref else self.kind


@dataclass(frozen=True)
class Deprecation:
    """One API that a version deprecated and a later version removed (or changed)."""

    id: str  # stable, kebab-case
    deprecated_in: str
    removed_in: str
    summary: str  # one line: what changed
    docs: str  # release notes with an anchor
    fix: Fix
    suggestion: str  # the change to make (shown for manual items)
    kinds: tuple[Detector, ...]  # the detectors that find it; () when only a fixer covers it
    scope: Scope = "django"
    package: str | None = None  # canonical PyPI name when scope == "package"
    warned: bool = True  # False: changed without a deprecation period
    # Why no detector can point at it (empty when one can), and how verify's run shows it.
    undetected: str = ""
    # A regular expression for the runtime warning's message, when it names no API the
    # detectors look for (upgrader.findings.runtime.catalogue_id).
    warning: str = ""

    @property
    def deprecated_version(self) -> Version:
        return Version(self.deprecated_in)

    @property
    def removed_version(self) -> Version:
        return Version(self.removed_in)

    @property
    def automatic(self) -> bool:
        return self.fix.kind != "manual"

    @property
    def subject(self) -> str:
        """Whose version this entry is keyed to: "Django", "Python" or the package name."""
        if self.scope == "django":
            return "Django"
        if self.scope == "python":
            return "Python"
        assert self.package is not None
        return self.package


def _notes(version: str, anchor: str) -> str:
    return f"https://docs.djangoproject.com/en/{version}/releases/{version}/#{anchor}"


def _deprecated_in(version: str) -> str:
    return _notes(version, "features-deprecated-in-" + version.replace(".", "-"))


def _removed_in(version: str) -> str:
    return _notes(version, "features-removed-in-" + version.replace(".", "-"))


def _incompatible(version: str) -> str:
    return _notes(version, "backwards-incompatible-changes-in-" + version.replace(".", "-"))


def _upgrade(fixer: str) -> Fix:
    return Fix("django-upgrade", fixer)


def _codemod(rule: str) -> Fix:
    return Fix("codemod", rule)


MANUAL = Fix("manual")
PY: tuple[Detector, ...] = ("python",)
SETTINGS: tuple[Detector, ...] = ("settings",)
TEMPLATE: tuple[Detector, ...] = ("template",)
STATIC: tuple[Detector, ...] = ("static",)  # static files, when a manifest storage is set

_ENTRIES: tuple[Deprecation, ...] = (
    # --- Removed in 2.0 / 2.1 (deprecated in 1.9 - 1.11) --------------------------------------
    Deprecation(
        "on-delete-required",
        "1.9",
        "2.0",
        "ForeignKey and OneToOneField require the on_delete argument",
        _removed_in("2.0"),
        _upgrade("on_delete"),
        "Pass on_delete=models.CASCADE (or the behaviour you mean) to every ForeignKey/OneToOneField.",
        PY,
    ),
    Deprecation(
        "user-is-authenticated-call",
        "1.10",
        "2.0",
        "user.is_authenticated and user.is_anonymous are properties; calling them fails",
        _removed_in("2.0"),
        _upgrade("request_user_attributes"),
        "Drop the call parentheses: `request.user.is_authenticated`.",
        PY,
    ),
    Deprecation(
        "core-urlresolvers",
        "1.10",
        "2.0",
        "django.core.urlresolvers is removed; its names live in django.urls",
        _removed_in("2.0"),
        _upgrade("compatibility_imports"),
        "Import reverse, resolve, NoReverseMatch, ... from django.urls.",
        PY,
    ),
    Deprecation(
        "middleware-classes",
        "1.10",
        "2.0",
        "The MIDDLEWARE_CLASSES setting is removed",
        _removed_in("2.0"),
        MANUAL,
        "Move the list to MIDDLEWARE and make each custom middleware new-style "
        "(a callable taking get_response, or MiddlewareMixin).",
        SETTINGS,
    ),
    Deprecation(
        "admin-allow-tags",
        "1.9",
        "2.0",
        "ModelAdmin methods' allow_tags attribute is ignored (HTML is escaped)",
        _removed_in("2.0"),
        _upgrade("admin_allow_tags"),
        "Return format_html(...) or mark_safe(...) from the method and drop `allow_tags = True`.",
        PY,
    ),
    Deprecation(
        "permalink",
        "1.11",
        "2.1",
        "The models.permalink decorator is removed",
        _removed_in("2.1"),
        _upgrade("permalink"),
        "Return reverse(...) from get_absolute_url() instead of decorating it.",
        PY,
    ),
    Deprecation(
        "auth-function-views",
        "1.11",
        "2.1",
        "django.contrib.auth's function-based views (login, logout, password_*) are removed",
        _removed_in("2.1"),
        MANUAL,
        "Use LoginView, LogoutView, PasswordChangeView, PasswordResetView, ... (`.as_view()`).",
        PY,
    ),
    # --- Removed in 3.0 -------------------------------------------------------------------------
    Deprecation(
        "render-to-response",
        "2.0",
        "3.0",
        "django.shortcuts.render_to_response() is removed",
        _deprecated_in("2.0"),
        _upgrade("render_to_response"),
        "Use render(request, template_name, context).",
        PY,
    ),
    Deprecation(
        "postgresql-psycopg2-backend",
        "2.0",
        "3.0",
        "The django.db.backends.postgresql_psycopg2 database backend is removed",
        _deprecated_in("2.0"),
        _upgrade("settings_database_postgresql"),
        'Set ENGINE to "django.db.backends.postgresql".',
        SETTINGS,
    ),
    Deprecation(
        "default-content-type",
        "2.0",
        "3.0",
        "The DEFAULT_CONTENT_TYPE setting is removed",
        _deprecated_in("2.0"),
        _codemod("settings_default_content_type"),
        "Delete the setting; pass content_type= to the responses that need another type.",
        SETTINGS + PY,
    ),
    Deprecation(
        "from-db-value-context",
        "2.0",
        "3.0",
        "Field.from_db_value() no longer receives the context argument",
        _deprecated_in("2.0"),
        _codemod("from_db_value_context"),
        "Define from_db_value(self, value, expression, connection) without `context`.",
        PY,
    ),
    Deprecation(
        "staticfiles-template-library",
        "2.1",
        "3.0",
        "The staticfiles and admin_static template tag libraries are removed",
        _deprecated_in("2.1"),
        _codemod("template_load_static"),
        "Write {% load static %}.",
        TEMPLATE,
    ),
    Deprecation(
        "staticfiles-static-function",
        "2.1",
        "3.0",
        "static() from django.contrib.staticfiles.templatetags.staticfiles is removed",
        _deprecated_in("2.1"),
        _upgrade("compatibility_imports"),
        "Import static from django.templatetags.static.",
        PY,
    ),
    Deprecation(
        "cookie-date",
        "2.1",
        "3.0",
        "django.utils.http.cookie_date() is removed",
        _deprecated_in("2.1"),
        MANUAL,
        "Use django.utils.http.http_date(), which follows RFC 7231.",
        PY,
    ),
    Deprecation(
        "inline-has-add-permission-obj",
        "2.1",
        "3.0",
        "InlineModelAdmin.has_add_permission() must accept the obj argument",
        _deprecated_in("2.1"),
        _codemod("inline_has_add_permission_obj"),
        "Define has_add_permission(self, request, obj) (obj is the parent object or None).",
        PY,
    ),
    Deprecation(
        "utils-six",
        "3.0",
        "3.0",
        "django.utils.six (a Python 2 compatibility shim) is removed",
        _notes("3.0", "removed-private-python-2-compatibility-apis"),
        _codemod("utils_six"),
        "Use the Python 3 builtins (str, range, ...) or depend on the `six` package.",
        PY,
        warned=False,
    ),
    Deprecation(
        "python-2-unicode-compatible",
        "3.0",
        "3.0",
        "The python_2_unicode_compatible decorator is removed",
        _notes("3.0", "removed-private-python-2-compatibility-apis"),
        _codemod("python_2_unicode_compatible"),
        "Delete the decorator; keep __str__.",
        PY,
        warned=False,
    ),
    Deprecation(
        "available-attrs",
        "3.0",
        "3.0",
        "django.utils.decorators.available_attrs() is removed",
        _notes("3.0", "removed-private-python-2-compatibility-apis"),
        _codemod("available_attrs"),
        "Use functools.wraps(func) without assigned=available_attrs(func).",
        PY,
        warned=False,
    ),
    Deprecation(
        "utils-lru-cache",
        "3.0",
        "3.0",
        "django.utils.lru_cache is removed",
        _notes("3.0", "removed-private-python-2-compatibility-apis"),
        _codemod("moved_names"),
        "Use functools.lru_cache.",
        PY,
        warned=False,
    ),
    Deprecation(
        "context-decorator",
        "3.0",
        "3.0",
        "django.utils.decorators.ContextDecorator is removed",
        _notes("3.0", "removed-private-python-2-compatibility-apis"),
        _upgrade("compatibility_imports"),
        "Import ContextDecorator from contextlib.",
        PY,
        warned=False,
    ),
    Deprecation(
        "utils-functional-curry",
        "3.0",
        "3.0",
        "django.utils.functional.curry() is removed",
        _notes("3.0", "removed-private-python-2-compatibility-apis"),
        MANUAL,
        "Use functools.partial (or functools.partialmethod on classes).",
        PY,
        warned=False,
    ),
    Deprecation(
        "utils-os-py2-helpers",
        "3.0",
        "3.0",
        "django.utils._os.upath(), npath() and abspathu() (private Python 2 helpers) are removed",
        _notes("3.0", "removed-private-python-2-compatibility-apis"),
        _codemod("utils_os_py2"),
        "Drop upath()/npath() around a path (they returned it unchanged on Python 3); "
        "use os.path.abspath() for abspathu().",
        PY,
        warned=False,
    ),
    Deprecation(
        "safe-bytes",
        "3.0",
        "3.0",
        "django.utils.safestring.SafeBytes (private Python 2 API) is removed",
        _notes("3.0", "removed-private-python-2-compatibility-apis"),
        MANUAL,
        "Use str and mark_safe(); bytes are never safe strings on Python 3.",
        PY,
        warned=False,
    ),
    Deprecation(
        "test-utils-patch-logger",
        "3.0",
        "3.0",
        "The private django.test.utils.patch_logger() and str_prefix() are removed",
        _incompatible("3.0"),
        MANUAL,
        "Use self.assertLogs(logger, level) instead of patch_logger(); write plain strings "
        "instead of str_prefix().",
        PY,
        warned=False,
    ),
    Deprecation(
        "gis-force-rhr",
        "2.1",
        "3.0",
        "The GIS function ForceRHR is removed",
        _removed_in("3.0"),
        _codemod("moved_names"),
        "Use ForcePolygonCW (ForceRHR enforced the same clockwise orientation).",
        PY,
    ),
    Deprecation(
        "model-save-default-pk",
        "3.0",
        "3.0",
        "Model.save() of an instance with an explicit pk whose field has a default now INSERTs",
        _incompatible("3.0"),
        MANUAL,
        "Update existing rows with save(force_update=True) or QuerySet.update(), or drop "
        "the pk field's default.",
        (),
        warned=False,
        undetected="whether the pk was set by hand on an instance that already has a row is "
        "runtime state; verify's test run shows it as an IntegrityError on the second save().",
    ),
    Deprecation(
        "x-frame-options-deny",
        "3.0",
        "3.0",
        "X_FRAME_OPTIONS defaults to 'DENY' (was 'SAMEORIGIN'): the site cannot frame its pages",
        _incompatible("3.0"),
        _codemod("settings_x_frame_options"),
        "Set X_FRAME_OPTIONS = 'SAMEORIGIN' to keep framing the site's own pages, or leave "
        "Django's safer 'DENY' when it never does (the admin's popups do not need it).",
        SETTINGS,
        warned=False,
    ),
    Deprecation(
        "file-upload-permissions-default",
        "3.0",
        "3.0",
        "FILE_UPLOAD_PERMISSIONS defaults to 0o644 (uploaded files were 0o600 when streamed)",
        _incompatible("3.0"),
        _codemod("settings_file_upload_permissions"),
        "Set FILE_UPLOAD_PERMISSIONS = None to keep the operating system's modes, or 0o644 "
        "when a web server reads MEDIA_ROOT directly.",
        SETTINGS,
        warned=False,
    ),
    Deprecation(
        "html-escape-apostrophe",
        "3.0",
        "3.0",
        "django.utils.html.escape() (autoescaping, |escape, format_html) writes ' as &#x27;, not "
        "&#39;: tests comparing escaped output with &#39; fail",
        _incompatible("3.0"),
        _codemod("html_escape_apostrophe"),
        "Compare against &#x27; (what Django 3.0+ writes), or build the expected text with "
        'django.utils.html.escape("\'").',
        PY,
        warned=False,
    ),
    # --- Removed in 3.1 (deprecated in 2.2) -----------------------------------------------------
    Deprecation(
        "queryset-paginator",
        "2.2",
        "3.1",
        "django.core.paginator.QuerySetPaginator is removed",
        _deprecated_in("2.2"),
        _upgrade("queryset_paginator"),
        "Use Paginator.",
        PY,
    ),
    Deprecation(
        "timezone-fixedoffset",
        "2.2",
        "3.1",
        "django.utils.timezone.FixedOffset is removed",
        _deprecated_in("2.2"),
        _upgrade("timezone_fixedoffset"),
        "Use datetime.timezone(datetime.timedelta(minutes=offset), name).",
        PY,
    ),
    Deprecation(
        "float-range-field",
        "2.2",
        "3.1",
        "django.contrib.postgres FloatRangeField is removed",
        _deprecated_in("2.2"),
        _upgrade("postgres_float_range_field"),
        "Use DecimalRangeField.",
        PY,
    ),
    Deprecation(
        "file-charset",
        "2.2",
        "3.1",
        "The FILE_CHARSET setting is removed",
        _deprecated_in("2.2"),
        _codemod("settings_file_charset"),
        "Delete the setting and save templates and static files as UTF-8.",
        SETTINGS + PY,
    ),
    Deprecation(
        "testcase-multi-db",
        "2.2",
        "3.1",
        "TestCase.multi_db and allow_database_queries are removed",
        _deprecated_in("2.2"),
        _upgrade("testcase_databases"),
        'Set `databases = "__all__"` (or the set of aliases the test uses).',
        PY,
    ),
    Deprecation(
        "cached-static-files-storage",
        "2.2",
        "3.1",
        "CachedStaticFilesStorage and CachedFilesMixin are removed",
        _removed_in("3.1"),
        MANUAL,
        "Use ManifestStaticFilesStorage (collectstatic writes its manifest; "
        "manifest_strict = False keeps missing files from raising).",
        PY + SETTINGS,
    ),
    Deprecation(
        "decorators-classproperty",
        "3.1",
        "3.1",
        "django.utils.decorators.classproperty moved to django.utils.functional",
        _incompatible("3.1"),
        _codemod("moved_names"),
        "Import classproperty from django.utils.functional.",
        PY,
        warned=False,
    ),
    Deprecation(
        "debug-safe-settings",
        "3.1",
        "3.1",
        "django.views.debug.ExceptionReporterFilter, get_safe_settings() and cleanse_setting() "
        "are removed",
        _incompatible("3.1"),
        _codemod("debug_safe_settings"),
        "Subclass SafeExceptionReporterFilter and call its get_safe_settings() / "
        "cleanse_setting() methods.",
        PY,
        warned=False,
    ),
    Deprecation(
        "admindocs-trim-docstring",
        "3.1",
        "3.1",
        "django.contrib.admindocs.utils.trim_docstring() is removed",
        _incompatible("3.1"),
        _codemod("admindocs_trim_docstring"),
        "Use inspect.cleandoc() (it leaves the first line out of the common indentation and "
        "does not take None), or define trim_docstring() locally.",
        PY,
        warned=False,
    ),
    Deprecation(
        "meta-ordering-group-by",
        "2.2",
        "3.1",
        "Model Meta.ordering no longer affects GROUP BY queries (values().annotate())",
        _removed_in("3.1"),
        MANUAL,
        "Add an explicit order_by() to aggregation queries over models with Meta.ordering "
        "that relied on it.",
        (),
        undetected="which querysets aggregate over an ordered model is decided at run time; "
        "verify's warning capture on 2.2/3.0 shows RemovedInDjango31Warning "
        "'...Meta.ordering... will be ignored'.",
        warning=r"Meta\.ordering",
    ),
    Deprecation(
        "model-choice-iterator-value",
        "3.1",
        "3.1",
        "ModelChoiceIterator yields ModelChoiceIteratorValue, not the pk, to widgets' create_option()",
        _incompatible("3.1"),
        MANUAL,
        "In create_option() compare value.value (the pk) or use value.instance; use "
        "str(value) or value.value as a dict key.",
        PY,
        warned=False,
    ),
    Deprecation(
        "empty-result-set-import",
        "3.1",
        "3.1",
        "EmptyResultSet is no longer importable from django.db.models.query / django.db.models.sql",
        _incompatible("3.1"),
        _codemod("moved_names"),
        "Import EmptyResultSet from django.core.exceptions.",
        PY,
        warned=False,
    ),
    Deprecation(
        "secure-referrer-policy-default",
        "3.1",
        "3.1",
        "SECURE_REFERRER_POLICY defaults to 'same-origin': other sites get no Referer header",
        _incompatible("3.1"),
        _codemod("settings_secure_referrer_policy"),
        "Set SECURE_REFERRER_POLICY = None (no header, as before) while other sites or "
        "analytics rely on the Referer header; 'same-origin' once nothing does.",
        SETTINGS,
        warned=False,
    ),
    # --- Changed in 3.2 without deprecation --------------------------------------------------------
    Deprecation(
        "secret-key-configure",
        "3.2",
        "3.2",
        "settings.configure() without SECRET_KEY: Django 3.2 raises ImproperlyConfigured when the "
        "empty SECRET_KEY is read (2.2 checked settings modules only; ticket #29324)",
        _incompatible("3.2"),
        _codemod("configure_secret_key"),
        "Pass SECRET_KEY to settings.configure(): a fixed value such as "
        'SECRET_KEY="not-secret-for-tests" in a test script, the real key '
        '(os.environ["DJANGO_SECRET_KEY"]) in anything that serves or signs for users.',
        PY,
        warned=False,
    ),
    Deprecation(
        "response-private-headers",
        "3.2",
        "3.2",
        "HttpResponse._headers (lower-case name -> (name, value)) is gone: headers live in "
        "HttpResponse.headers, with no alias (private, but common in tests: "
        "`response._headers['location'][1]`)",
        _notes("3.2", "requests-and-responses"),
        _codemod("response_headers"),
        "Read headers through the response: `response['location']` (or "
        "`response.headers['location']`), `response.has_header('location')`, "
        "`response.items()` for every (name, value); set them with `response['X-Name'] = value`.",
        PY,
        warned=False,
    ),
    Deprecation(
        "model-state-fields-dict",
        "3.1",
        "3.1",
        "django.db.migrations.state.ModelState.fields is a dict (name -> field) since 3.1, no "
        "longer a list of (name, field) pairs: `for name, field in state.fields` fails with "
        "ValueError (3.1's state.py: `self.fields = dict(fields)`)",
        _incompatible("3.1"),
        _codemod("model_state_fields_items"),
        "Iterate `state.fields.items()` (a dict on 3.1+; model_state_fields_items writes it); "
        "code that must also run on 3.0 can test `isinstance(state.fields, dict)` first.",
        PY,
        warned=False,
    ),
    # --- A field instance that never ran its class's __init__ (3.2, 4.1, 4.2, 6.0) ---------------
    # Each release below made a field class's own __init__ set an attribute that its methods
    # (deconstruct, db_parameters, check) read: found by diffing the ``self.X =`` assignments of
    # every field class's __init__ (and its bases') in Django 2.2.28 ... 6.1.3. Field.__init__'s
    # own additions (db_comment 4.2, db_default 5.0) are not entries: every field ran it.
    Deprecation(
        "field-init-db-collation",
        "3.2",
        "3.2",
        "CharField and TextField (and EmailField, SlugField, URLField, the CI*Fields) set "
        "db_collation in __init__; an instance re-classed with `x.__class__ = models.TextField`, "
        "or a subclass whose __init__ skips CharField's, has none: AttributeError in "
        "deconstruct() and the system checks",
        _notes("3.2", "models"),
        _codemod("field_reclass_attributes"),
        "Set the attribute where the class is assigned (field_reclass_attributes adds "
        '`field.db_collation = getattr(field, "db_collation", None)`: a collation the instance '
        "had is kept, None is what __init__ sets by default), or build a new field from "
        "`field.deconstruct()` instead of re-classing the instance; a subclass calls "
        "super().__init__() (by hand: not rewritten).",
        PY,
        warned=False,
    ),
    Deprecation(
        "field-init-default-bounds",
        "4.1",
        "4.1",
        "DateTimeRangeField and DecimalRangeField set default_bounds in __init__; an instance "
        "re-classed to one (or a subclass skipping its __init__) has none",
        _notes("4.1", "django-contrib-postgres"),
        MANUAL,
        'Set `field.default_bounds = "[)"` where the class is assigned, or build a new field '
        "from `field.deconstruct()`.",
        PY,
        warned=False,
    ),
    Deprecation(
        "field-init-array-db-collation",
        "4.2",
        "4.2",
        "ArrayField sets db_collation (its base field's) in __init__, read by db_parameters(); an "
        "instance re-classed to ArrayField (or a subclass skipping its __init__) has none",
        _notes("4.2", "django-contrib-postgres"),
        MANUAL,
        'Set `field.db_collation = getattr(field.base_field, "db_collation", None)` where the '
        "class is assigned, or build a new field from `field.deconstruct()`.",
        PY,
        warned=False,
    ),
    Deprecation(
        "field-init-max-geom-collections",
        "6.0",
        "6.0",
        "GeometryField (and PointField, PolygonField, ...) sets max_geom_collections in "
        "__init__, read by deconstruct() and formfield(); an instance re-classed to one (or a "
        "subclass skipping its __init__) has none",
        _notes("6.0", "django-contrib-gis"),
        MANUAL,
        "Set `field.max_geom_collections = MAX_GEOM_COLLECTIONS` (from "
        "django.contrib.gis.geos.prototypes.io, the __init__ default) where the class is "
        "assigned, or build a new field from `field.deconstruct()`.",
        PY,
        warned=False,
    ),
    # --- Removed in 4.0 (deprecated in 3.0 / 3.1) -----------------------------------------------
    Deprecation(
        "ugettext",
        "3.0",
        "4.0",
        "ugettext(), ugettext_lazy(), ugettext_noop(), ungettext(), ungettext_lazy() are removed",
        _deprecated_in("3.0"),
        _upgrade("utils_translation"),
        "Use gettext(), gettext_lazy(), gettext_noop(), ngettext(), ngettext_lazy().",
        PY,
    ),
    Deprecation(
        "force-text",
        "3.0",
        "4.0",
        "django.utils.encoding.force_text() and smart_text() are removed",
        _notes("3.0", "django-utils-encoding-force-text-and-smart-text"),
        _upgrade("utils_encoding"),
        "Use force_str() and smart_str().",
        PY,
    ),
    Deprecation(
        "utils-http-quote",
        "3.0",
        "4.0",
        "django.utils.http.urlquote(), urlquote_plus(), urlunquote(), urlunquote_plus() are removed",
        _deprecated_in("3.0"),
        _upgrade("utils_http"),
        "Use urllib.parse.quote(), quote_plus(), unquote(), unquote_plus().",
        PY,
    ),
    Deprecation(
        "is-safe-url",
        "3.0",
        "4.0",
        "django.utils.http.is_safe_url() is removed",
        _deprecated_in("3.0"),
        _upgrade("utils_http"),
        "Use url_has_allowed_host_and_scheme().",
        PY,
    ),
    Deprecation(
        "unescape-entities",
        "3.0",
        "4.0",
        "django.utils.text.unescape_entities() is removed",
        _deprecated_in("3.0"),
        _upgrade("utils_text"),
        "Use html.unescape().",
        PY,
    ),
    Deprecation(
        "language-session-key",
        "3.0",
        "4.0",
        "django.utils.translation.LANGUAGE_SESSION_KEY is removed (the language lives in a cookie)",
        _deprecated_in("3.0"),
        MANUAL,
        "Set the LANGUAGE_COOKIE_NAME cookie on the response instead of the session key.",
        PY,
    ),
    Deprecation(
        "conf-urls-url",
        "3.1",
        "4.0",
        "django.conf.urls.url() is removed",
        _deprecated_in("3.1"),
        _upgrade("django_urls"),
        "Use django.urls.path() (or re_path() for regular expressions).",
        PY,
    ),
    Deprecation(
        "is-ajax",
        "3.1",
        "4.0",
        "HttpRequest.is_ajax() is removed",
        _deprecated_in("3.1"),
        _codemod("request_is_ajax"),
        'Check `request.headers.get("x-requested-with") == "XMLHttpRequest"` '
        "or better the Accept header.",
        PY,
    ),
    Deprecation(
        "null-boolean-field",
        "3.1",
        "4.0",
        "The NullBooleanField model field is removed (kept only for historical migrations)",
        _deprecated_in("3.1"),
        _upgrade("null_boolean_field"),
        "Use BooleanField(null=True).",
        PY,
    ),
    Deprecation(
        "signal-providing-args",
        "3.1",
        "4.0",
        "Signal() no longer accepts providing_args",
        _deprecated_in("3.1"),
        _upgrade("signal_providing_args"),
        "Drop providing_args and document the arguments in a comment or docstring.",
        PY,
    ),
    Deprecation(
        "password-reset-timeout-days",
        "3.1",
        "4.0",
        "The PASSWORD_RESET_TIMEOUT_DAYS setting is removed",
        _deprecated_in("3.1"),
        _upgrade("password_reset_timeout_days"),
        "Set PASSWORD_RESET_TIMEOUT in seconds (days * 60 * 60 * 24).",
        SETTINGS + PY,
    ),
    Deprecation(
        "default-hashing-algorithm",
        "3.1",
        "4.0",
        "The DEFAULT_HASHING_ALGORITHM transitional setting is removed",
        _deprecated_in("3.1"),
        _codemod("settings_default_hashing_algorithm"),
        "Delete the setting (Django 4.0 always uses sha256 for signing).",
        SETTINGS + PY,
    ),
    Deprecation(
        "template-ifequal",
        "3.1",
        "4.0",
        "The {% ifequal %} and {% ifnotequal %} template tags are removed",
        _deprecated_in("3.1"),
        _codemod("template_ifequal"),
        "Write {% if a == b %} / {% if a != b %}.",
        TEMPLATE,
    ),
    Deprecation(
        "get-random-string-length",
        "3.1",
        "4.0",
        "get_random_string() requires the length argument",
        _deprecated_in("3.1"),
        _upgrade("crypto_get_random_string"),
        "Pass length=12 (the old default) or the length you need.",
        PY,
    ),
    Deprecation(
        "postgres-jsonfield",
        "3.1",
        "4.0",
        "django.contrib.postgres JSONField (model and form) is removed; use the cross-database one",
        _deprecated_in("3.1"),
        _upgrade("compatibility_imports"),
        "Import JSONField from django.db.models (model) or django.forms (form).",
        PY,
    ),
    Deprecation(
        "invalid-query",
        "3.1",
        "4.0",
        "django.db.models.query_utils.InvalidQuery is removed",
        _deprecated_in("3.1"),
        _codemod("invalid_query"),
        "Catch FieldDoesNotExist (raw queries) or FieldError (select_related) instead.",
        PY,
    ),
    Deprecation(
        "model-multiple-choice-list-key",
        "3.1",
        "4.0",
        "ModelMultipleChoiceField's 'list' error message key is removed",
        _deprecated_in("3.1"),
        _upgrade("forms_model_multiple_choice_field"),
        "Use the 'invalid_list' key in error_messages.",
        PY,
    ),
    Deprecation(
        "isnull-non-boolean",
        "3.1",
        "4.0",
        "The __isnull lookup accepts only True and False",
        _deprecated_in("3.1"),
        _codemod("isnull_boolean"),
        "Pass True or False to __isnull (1/0 -> True/False, or bool(value)).",
        PY,
    ),
    Deprecation(
        "middleware-mixin-get-response",
        "3.1",
        "4.0",
        "MiddlewareMixin requires the get_response argument",
        _deprecated_in("3.1"),
        MANUAL,
        "Write def __init__(self, get_response): super().__init__(get_response).",
        PY,
    ),
    Deprecation(
        "middleware-super-get-response",
        "3.1",
        "4.0",
        "MiddlewareMixin requires the get_response argument: a middleware __init__ taking "
        "get_response calls super().__init__() without it (TypeError on every request on 4.0+)",
        _deprecated_in("3.1"),
        _codemod("middleware_super_get_response"),
        "Pass it on: super().__init__(get_response, ...) (middleware_super_get_response writes "
        "it).",
        PY,
    ),
    Deprecation(
        "csrf-cookie-used",
        "4.0",
        "4.0",
        "request.META['CSRF_COOKIE_USED'] is no longer set: Django 4.0's CSRF middleware sets "
        "CSRF_COOKIE_NEEDS_UPDATE when the cookie must be sent",
        _incompatible("4.0"),
        _codemod("csrf_cookie_needs_update"),
        "Read request.META['CSRF_COOKIE_NEEDS_UPDATE'] (csrf_cookie_needs_update writes it).",
        PY,
        warned=False,
    ),
    Deprecation(
        "postgres-jsonb-transforms",
        "3.1",
        "4.0",
        "django.contrib.postgres.fields.jsonb (KeyTransform, KeyTextTransform) is removed",
        _deprecated_in("3.1"),
        _codemod("moved_names"),
        "Import KeyTransform and KeyTextTransform from django.db.models.fields.json.",
        PY,
    ),
    Deprecation(
        "utils-http-parse-qsl",
        "4.0",
        "4.0",
        "django.utils.http.parse_qsl() (a Python backport) is removed",
        _incompatible("4.0"),
        _codemod("moved_names"),
        "Use urllib.parse.parse_qsl().",
        PY,
        warned=False,
    ),
    Deprecation(
        "get-raw-uri",
        "4.0",
        "4.0",
        "HttpRequest.get_raw_uri() is removed",
        _incompatible("4.0"),
        _codemod("get_raw_uri"),
        "Use request.build_absolute_uri() (it validates the host against ALLOWED_HOSTS).",
        PY,
        warned=False,
    ),
    Deprecation(
        "test-runner-private-helpers",
        "4.0",
        "4.0",
        "django.test.runner's reorder_suite(), partition_suite_by_type(), is_discoverable() "
        "and default_test_processes() are removed",
        _incompatible("4.0"),
        MANUAL,
        "Use DiscoverRunner.reorder_by / reorder_tests() and "
        "django.test.runner.get_max_test_processes().",
        PY,
        warned=False,
    ),
    Deprecation(
        "secure-coop-default",
        "4.0",
        "4.0",
        "SECURE_CROSS_ORIGIN_OPENER_POLICY defaults to 'same-origin': cross-origin popups lose "
        "window.opener",
        _incompatible("4.0"),
        _codemod("settings_secure_coop"),
        "Set SECURE_CROSS_ORIGIN_OPENER_POLICY = None (no header, as before 4.0), or "
        "'same-origin-allow-popups' when the site opens cross-origin popups that talk back.",
        SETTINGS,
        warned=False,
    ),
    # --- Changed in 4.1 without deprecation --------------------------------------------------
    Deprecation(
        "auth-success-url-allowed-hosts-mixin",
        "4.1",
        "4.1",
        "The undocumented django.contrib.auth.views.SuccessURLAllowedHostsMixin is replaced by "
        "RedirectURLMixin (checked: in 3.2.25, not in 4.2.30)",
        _incompatible("4.1"),
        MANUAL,
        "Build on django.contrib.auth.views.RedirectURLMixin; it also defines get_success_url() "
        "(next_page or the redirect field), so keep your own get_success_url()/success_url "
        "ahead of it in the bases.",
        PY,
        warned=False,
    ),
    Deprecation(
        "test-db-no-migrations-table",
        "4.1",
        "4.1",
        "migrate creates django_migrations only when it has a migration to apply (4.0.10's "
        "executor.py always did, 4.1.13's does not; django/django#15252): a test database built "
        "without migrations has no such table, and a test running migrate inside its "
        "transaction fails on SQLite with MigrationSchemaMissing",
        _incompatible("4.1"),
        MANUAL,
        "Run that test outside a transaction: make its class a TransactionTestCase (or mark it "
        "django_db(transaction=True)), as django-simple-history did (0c749b4); or build the "
        "test database with migrations.",
        PY,
        warned=False,
    ),
    Deprecation(
        "staticfiles-css-source-map",
        "4.1",
        "4.1",
        "ManifestStaticFilesStorage follows CSS source map comments: collectstatic fails on a "
        "/*# sourceMappingURL=... */ whose map is missing",
        _notes("4.1", "django-contrib-staticfiles"),
        MANUAL,
        "Ship the .map file next to the CSS file, or delete the sourceMappingURL comment line "
        "(browsers only lose a map that is missing anyway).",
        STATIC,
        warned=False,
    ),
    # --- Removed in 4.1 (deprecated in 3.2) -----------------------------------------------------
    Deprecation(
        "memcached-cache",
        "3.2",
        "4.1",
        "The MemcachedCache backend (python-memcached) is removed",
        _deprecated_in("3.2"),
        _codemod("settings_memcached_backend"),
        "Use django.core.cache.backends.memcached.PyMemcacheCache and install pymemcache.",
        SETTINGS,
    ),
    Deprecation(
        "assert-queryset-equal-repr",
        "3.2",
        "4.1",
        "assertQuerysetEqual() no longer compares repr() strings unless transform=repr is passed",
        _deprecated_in("3.2"),
        _codemod("assert_queryset_equal_transform"),
        "Compare against model instances, or pass transform=repr explicitly.",
        PY,
    ),
    Deprecation(
        "default-app-config",
        "3.2",
        "4.1",
        "The default_app_config module variable is removed (AppConfig is found automatically)",
        _deprecated_in("3.2"),
        _upgrade("default_app_config"),
        "Delete default_app_config; mark the AppConfig with default = True if there are several.",
        PY,
    ),
    Deprecation(
        "requires-system-checks-bool",
        "3.2",
        "4.1",
        "BaseCommand.requires_system_checks must be a list of tags or '__all__', not a boolean",
        _deprecated_in("3.2"),
        _upgrade("management_commands"),
        "Write requires_system_checks = '__all__' (True) or [] (False).",
        PY,
    ),
    Deprecation(
        "email-validator-whitelist",
        "3.2",
        "4.1",
        "EmailValidator's whitelist argument and domain_whitelist attribute are removed",
        _deprecated_in("3.2"),
        _upgrade("email_validator"),
        "Use allowlist / domain_allowlist.",
        PY,
    ),
    Deprecation(
        "default-auto-field-unset",
        "3.2",
        "6.0",
        "DEFAULT_AUTO_FIELD is unset: 6.0 makes BigAutoField the default primary key type",
        _notes("3.2", "customizing-type-of-auto-created-primary-keys"),
        _codemod("settings_default_auto_field"),
        'Set DEFAULT_AUTO_FIELD = "django.db.models.AutoField" to keep today\'s keys '
        "(or migrate every table to BigAutoField on purpose).",
        SETTINGS,
    ),
    Deprecation(
        "configure-default-auto-field",
        "3.2",
        "6.0",
        "settings.configure() without DEFAULT_AUTO_FIELD: 6.0 makes BigAutoField the default "
        "primary key type (settings_default_auto_field pins settings modules; configure() is none)",
        _notes("3.2", "customizing-type-of-auto-created-primary-keys"),
        _codemod("configure_default_auto_field"),
        'Pass DEFAULT_AUTO_FIELD="django.db.models.AutoField" to settings.configure() to keep '
        "today's keys (or migrate every table to BigAutoField on purpose).",
        PY,
    ),
    # --- Changed in 4.0 without deprecation; removed in 5.0 (deprecated in 4.0 / 4.1) -----------
    Deprecation(
        "csrf-trusted-origins-scheme",
        "4.0",
        "4.0",
        "CSRF_TRUSTED_ORIGINS entries must include the scheme (https://)",
        _notes("4.0", "csrf-trusted-origins-changes"),
        _codemod("settings_csrf_trusted_origins_scheme"),
        'Write "https://example.com" (and "https://*.example.com" for subdomains).',
        SETTINGS,
        warned=False,
    ),
    Deprecation(
        "staticfiles-js-source-map",
        "4.0",
        "4.0",
        "ManifestStaticFilesStorage follows JavaScript source map comments: collectstatic fails "
        "on a //# sourceMappingURL=... whose map is missing",
        _notes("4.0", "django-contrib-staticfiles"),
        MANUAL,
        "Ship the .map file next to the JavaScript file, or delete the sourceMappingURL comment "
        "line (browsers only lose a map that is missing anyway).",
        STATIC,
        warned=False,
    ),
    Deprecation(
        "use-l10n",
        "4.0",
        "5.0",
        "The USE_L10N setting is removed (localized formatting is always on)",
        _deprecated_in("4.0"),
        _upgrade("use_l10n"),
        "Delete `USE_L10N = True`.",
        SETTINGS + PY,
    ),
    Deprecation(
        "use-l10n-false",
        "4.0",
        "5.0",
        "USE_L10N = False is no longer possible; numbers and dates are always localized",
        _deprecated_in("4.0"),
        _codemod("settings_use_l10n"),
        "Delete USE_L10N and set the *_FORMAT settings (or format files) you relied on.",
        SETTINGS,
    ),
    Deprecation(
        "admin-each-context-log-entries",
        "5.0",
        "5.0",
        "AdminSite.each_context() has `log_entries` (a QuerySet of the user's recent LogEntry "
        "rows) from 5.0: a test comparing a render context built with each_context() fails, "
        "two QuerySets never compare equal",
        _notes("5.0", "django-contrib-admin"),
        MANUAL,
        'Compare `log_entries` as `unittest.mock.ANY` (`context["log_entries"] = ANY` after '
        "building the expected context), as django-simple-history did (e8cc2b2).",
        PY,
        warned=False,
    ),
    Deprecation(
        "configure-use-tz-default",
        "4.0",
        "5.0",
        "settings.configure() without USE_TZ: its default changes from False to True in 5.0 "
        "(settings_use_tz_explicit writes it into settings modules; configure() is none)",
        _deprecated_in("4.0"),
        _codemod("configure_use_tz"),
        "Pass USE_TZ=False to settings.configure() (the old default); enabling time zone "
        "support is a separate change.",
        PY,
    ),
    Deprecation(
        "use-tz-default",
        "4.0",
        "5.0",
        "The default of USE_TZ changes from False to True",
        _deprecated_in("4.0"),
        _codemod("settings_use_tz_explicit"),
        "Set USE_TZ explicitly (USE_TZ = False keeps today's behaviour).",
        SETTINGS,
        warning=r"default value of USE_TZ",
    ),
    Deprecation(
        "pytz",
        "4.0",
        "5.0",
        "Django uses zoneinfo; pytz support (and the pytz dependency) is removed",
        _notes("4.0", "zoneinfo-default-timezone-implementation"),
        _codemod("pytz_to_zoneinfo"),
        "Use zoneinfo.ZoneInfo(name) for pytz.timezone(name) and datetime.timezone.utc for pytz.utc.",
        PY,
    ),
    Deprecation(
        "pytz-localize",
        "4.0",
        "5.0",
        "pytz's localize()/normalize() do not work on Django's zoneinfo time zones",
        _notes("4.0", "zoneinfo-default-timezone-implementation"),
        MANUAL,
        "Replace tz.localize(dt) with dt.replace(tzinfo=tz) and drop tz.normalize(dt) "
        "(zoneinfo handles DST transitions; check ambiguous times with fold=).",
        PY,
    ),
    Deprecation(
        "use-deprecated-pytz",
        "4.0",
        "5.0",
        "The USE_DEPRECATED_PYTZ transitional setting is removed",
        _deprecated_in("4.0"),
        _codemod("settings_use_deprecated_pytz"),
        "Move the code to zoneinfo and delete the setting (USE_DEPRECATED_PYTZ = False just goes).",
        SETTINGS + PY,
    ),
    Deprecation(
        "is-dst-argument",
        "4.0",
        "5.0",
        "The is_dst argument of make_aware(), QuerySet.datetimes() and the Trunc functions is removed",
        _deprecated_in("4.0"),
        _codemod("is_dst_argument"),
        "Drop is_dst; pick the side of an ambiguous time with datetime's fold attribute.",
        PY,
    ),
    Deprecation(
        "test-serialize-setting",
        "4.0",
        "5.0",
        "The SERIALIZE test database setting is removed",
        _deprecated_in("4.0"),
        _codemod("settings_test_serialize"),
        "Delete TEST['SERIALIZE']; set serialized_rollback = True on the test cases that need it.",
        SETTINGS,
    ),
    Deprecation(
        "datetime-safe",
        "4.0",
        "5.0",
        "django.utils.datetime_safe is removed",
        _deprecated_in("4.0"),
        _codemod("datetime_safe"),
        "Use the datetime module.",
        PY,
    ),
    Deprecation(
        "baseconv",
        "4.0",
        "5.0",
        "The undocumented django.utils.baseconv module is removed",
        _deprecated_in("4.0"),
        _codemod("baseconv"),
        "Use django.core.signing.b62_encode()/b62_decode() or your own base conversion.",
        PY,
    ),
    Deprecation(
        "lookup-needs-distinct",
        "4.0",
        "5.0",
        "django.contrib.admin.utils.lookup_needs_distinct() is removed",
        _deprecated_in("4.0"),
        _upgrade("admin_lookup_needs_distinct"),
        "Use lookup_spawns_duplicates().",
        PY,
    ),
    Deprecation(
        "logout-get",
        "4.1",
        "5.0",
        "LogoutView no longer accepts GET requests: logout links must POST",
        _notes("4.1", "log-out-via-get"),
        _codemod("template_logout_link"),
        'Replace the link with a <form method="post" action="{% url \'logout\' %}">'
        "{% csrf_token %}<button>Log out</button></form>.",
        TEMPLATE,
    ),
    Deprecation(
        "pickle-serializer",
        "4.1",
        "5.0",
        "django.contrib.sessions.serializers.PickleSerializer is removed",
        _deprecated_in("4.1"),
        MANUAL,
        "Use the default JSONSerializer (store only JSON-serializable data in sessions), "
        "or vendor a pickle serializer knowing its security risk.",
        SETTINGS + PY,
    ),
    Deprecation(
        "crypt-password-hasher",
        "4.1",
        "5.0",
        "CryptPasswordHasher is removed",
        _deprecated_in("4.1"),
        _codemod("settings_password_hashers"),
        "Remove it from PASSWORD_HASHERS (users with crypt hashes must reset their passwords).",
        SETTINGS,
    ),
    Deprecation(
        "csrf-cookie-masked",
        "4.1",
        "5.0",
        "The CSRF_COOKIE_MASKED transitional setting is removed",
        _deprecated_in("4.1"),
        _codemod("settings_csrf_cookie_masked"),
        "Delete the setting; code reading the CSRF cookie must handle the unmasked token.",
        SETTINGS,
    ),
    Deprecation(
        "assert-form-error-response",
        "4.1",
        "5.0",
        "assertFormError()/assertFormsetError() take the form, not the response and a form name",
        _deprecated_in("4.1"),
        _upgrade("assert_form_error"),
        "Call assertFormError(response.context['form'], field, errors).",
        PY,
    ),
    Deprecation(
        "timezone-utc",
        "4.1",
        "5.0",
        "django.utils.timezone.utc is removed",
        _deprecated_in("4.1"),
        _codemod("timezone_utc_attribute"),  # where django-upgrade's utils_timezone leaves it
        "Use datetime.timezone.utc.",
        PY,
    ),
    Deprecation(
        "delete-view-delete",
        "4.0",
        "5.0",
        "DeleteView uses FormMixin: its custom delete() logic must move to form_valid()",
        _incompatible("4.0"),
        MANUAL,
        "Move the code of delete() to form_valid(self, form) (delete() now calls it) and "
        "remove delete().",
        PY,
    ),
    Deprecation(
        "gis-geo-model-admin",
        "4.0",
        "5.0",
        "GeoDjango's GeoModelAdmin, OSMGeoAdmin and OpenLayersWidget are removed",
        _deprecated_in("4.0"),
        MANUAL,
        "Use django.contrib.gis.admin.GISModelAdmin (gis_widget / gis_widget_kwargs).",
        PY,
    ),
    Deprecation(
        "test-runner-extra-tests",
        "4.0",
        "5.0",
        "The extra_tests argument of DiscoverRunner.build_suite() and run_tests() is removed",
        _deprecated_in("4.0"),
        MANUAL,
        "Drop extra_tests; add those tests in an overridden build_suite().",
        PY,
    ),
    Deprecation(
        "cached-property-name",
        "4.1",
        "5.0",
        "The name argument of django.utils.functional.cached_property is removed",
        _deprecated_in("4.1"),
        _codemod("cached_property_name"),
        "Write cached_property(func); assign the result to the attribute name wanted.",
        PY,
    ),
    Deprecation(
        "form-html-output",
        "4.1",
        "5.0",
        "The undocumented BaseForm._html_output() is removed (forms render with templates)",
        _deprecated_in("4.1"),
        MANUAL,
        "Render with templates: set template_name (or form_template_name) and use as_div(), "
        "as_table(), ...",
        PY,
    ),
    Deprecation(
        "iterator-prefetch-chunk-size",
        "4.1",
        "5.0",
        "QuerySet.iterator() after prefetch_related() needs chunk_size",
        _deprecated_in("4.1"),
        _codemod("iterator_chunk_size"),
        "Pass chunk_size= to iterator() (2000 was the default), or the prefetch is ignored.",
        PY,
    ),
    Deprecation(
        "unsaved-related-filter",
        "4.1",
        "5.0",
        "Filtering on a relation with an unsaved model instance raises ValueError",
        _deprecated_in("4.1"),
        MANUAL,
        "Save the instance first, or filter on its field values (fk_id=...).",
        (),
        undetected="whether the instance is saved is runtime state; verify's warning capture "
        "on 4.1/4.2 shows RemovedInDjango50Warning 'Passing unsaved model instances to "
        "related filters is deprecated'.",
        warning=r"unsaved model instances to related filters",
    ),
    Deprecation(
        "sitemap-protocol-https",
        "4.2",
        "5.0",
        "Sitemaps built outside a request use https, not http, when protocol is unset",
        _deprecated_in("4.2"),
        MANUAL,
        "Set protocol = 'http' on the Sitemap to keep http URLs, or accept https.",
        PY,
    ),
    Deprecation(
        "sitemaps-ping-google",
        "5.0",
        "5.0",
        "django.contrib.sitemaps.ping_google() and the ping_google command are removed",
        _incompatible("5.0"),
        MANUAL,
        "Delete the call (Google no longer accepts sitemap pings); submit the sitemap in "
        "Search Console.",
        PY,
        warned=False,
    ),
    Deprecation(
        "admin-sites-already-registered",
        "5.0",
        "5.0",
        "AlreadyRegistered and NotRegistered moved from django.contrib.admin.sites to "
        "django.contrib.admin.exceptions",
        _incompatible("5.0"),
        _codemod("moved_names"),
        "Import them from django.contrib.admin.exceptions.",
        PY,
        warned=False,
    ),
    Deprecation(
        "utils-topological-sort",
        "5.0",
        "5.0",
        "The private django.utils.topological_sort module is removed",
        _incompatible("5.0"),
        MANUAL,
        "Use graphlib.TopologicalSorter from the standard library.",
        PY,
        warned=False,
    ),
    Deprecation(
        "forms-div-default",
        "4.1",
        "5.0",
        "Forms, formsets and ErrorList render div-based templates by default ({{ form }})",
        _removed_in("5.0"),
        MANUAL,
        "Set FORM_RENDERER to a renderer whose form_template_name is 'django/forms/table.html' "
        "to keep table output, or update templates and HTML assertions.",
        (),
        undetected="{{ form }} in a template gives no hint of the layout the page expects; "
        "tests asserting form HTML fail in verify's run.",
    ),
    Deprecation(
        "json-string-literal",
        "4.2",
        "4.2",
        "JSONField no longer decodes encoded JSON string literals passed as values",
        _incompatible("4.2"),
        MANUAL,
        "Pass Python objects (dicts, lists) to JSONField, not json.dumps() strings.",
        (),
        warned=False,
        undetected="the value's type is runtime state; verify's test run shows the stored "
        "string where an object was expected.",
    ),
    Deprecation(
        "subquery-constraint",
        "5.2",
        "5.2",
        "The private django.db.models.sql.where.SubqueryConstraint is removed "
        "(present in 5.1.15, gone in 5.2.9; wagtail 2.9 imports it in its URLconf)",
        _incompatible("5.2"),
        MANUAL,
        "Stop importing it; a third-party package that does (wagtail < 2.16) must be upgraded "
        "to a release that supports Django 5.2.",
        PY,
        warned=False,
    ),
    Deprecation(
        "postgres-aggregate-default",
        "4.0",
        "5.0",
        "ArrayAgg, JSONBAgg and StringAgg return None, not [] / '[]' / '', over no rows",
        _deprecated_in("4.0"),
        _codemod("postgres_aggregate_default"),
        "Pass default=Value([]) to ArrayAgg, default=Value('[]') to JSONBAgg, default=Value('') "
        "to StringAgg where code expects the old empty value.",
        PY,
    ),
    Deprecation(
        "callable-choice-iterator",
        "5.0",
        "5.0",
        "django.forms.fields.CallableChoiceIterator moved to django.utils.choices",
        _notes("5.0", "forms"),
        _codemod("forms_callable_choice_iterator"),
        "Import CallableChoiceIterator from django.utils.choices (choices_func is now func).",
        PY,
        warned=False,
    ),
    # --- Changed in 5.1 without deprecation --------------------------------------------------------
    Deprecation(
        "field-unique-cached",
        "5.1",
        "5.1",
        "Field.unique is a cached_property (a property up to 5.0): `field._unique = False` on an "
        "existing field no longer turns its uniqueness off once unique was read (or copied "
        "with the original's cache), so the UNIQUE constraint stays",
        _incompatible("5.1"),
        _codemod("field_unique_cache_clear"),
        'Drop the cached value after setting `_unique`: `vars(field).pop("unique", None)` '
        "(field_unique_cache_clear adds it; a no-op before 5.1), or set `field.unique` as well "
        "on 5.1+, as django-simple-history did (9b668d7).",
        PY,
        warned=False,
    ),
    # --- Removed in 5.1 (deprecated in 4.2) -----------------------------------------------------
    # Only the model option: historical migrations keep working (``AlterIndexTogether`` stays
    # public API; ``CreateModel`` still creates an ``index_together`` option's indexes: checked
    # by migrating a fresh database on 5.1.15 and 5.2.19; 5.1.0 to 5.1.4 crashed on them, fixed
    # in 5.1.5, and the dependency stage always takes the newest patch of a series). A migration
    # entry would be a manual item nothing has to fix.
    Deprecation(
        "index-together",
        "4.2",
        "5.1",
        "Meta.index_together is removed",
        _notes("4.2", "index-together-option-is-deprecated-in-favor-of-indexes"),
        _upgrade("index_together"),
        "Use Meta.indexes = [models.Index(fields=[...])] and run makemigrations (it renames the index).",
        PY,
    ),
    Deprecation(
        "length-is",
        "4.2",
        "5.1",
        "The length_is template filter is removed",
        _deprecated_in("4.2"),
        _codemod("template_length_is"),
        "Write {% if value|length == 4 %}.",
        TEMPLATE,
    ),
    Deprecation(
        "storages-settings",
        "4.2",
        "5.1",
        "The DEFAULT_FILE_STORAGE and STATICFILES_STORAGE settings are removed",
        _notes("4.2", "custom-file-storages"),
        _upgrade("settings_storages"),
        'Declare STORAGES = {"default": {...}, "staticfiles": {...}}; read storages["default"].',
        SETTINGS + PY,
    ),
    Deprecation(
        "get-storage-class",
        "4.2",
        "5.1",
        "django.core.files.storage.get_storage_class() is removed",
        _deprecated_in("4.2"),
        _codemod("get_storage_class"),
        "Use django.core.files.storage.storages[alias] or import_string(path).",
        PY,
    ),
    Deprecation(
        "make-random-password",
        "4.2",
        "5.1",
        "BaseUserManager.make_random_password() is removed",
        _deprecated_in("4.2"),
        _codemod("make_random_password"),
        "Use django.utils.crypto.get_random_string(length, allowed_chars).",
        PY,
    ),
    Deprecation(
        "postgres-ci-fields",
        "4.2",
        "5.1",
        "CICharField, CIEmailField, CITextField and CIText are removed (historical migrations only)",
        _deprecated_in("4.2"),
        MANUAL,
        "Use CharField/EmailField/TextField with db_collation set to a case-insensitive "
        "non-deterministic collation, and migrate.",
        PY,
    ),
    Deprecation(
        "sha1-md5-password-hashers",
        "4.2",
        "5.1",
        "SHA1PasswordHasher, UnsaltedSHA1PasswordHasher and UnsaltedMD5PasswordHasher are removed",
        _deprecated_in("4.2"),
        _codemod("settings_password_hashers"),
        "Remove them from PASSWORD_HASHERS (wrap old hashes with a stronger hasher first).",
        SETTINGS,
    ),
    Deprecation(
        "assert-queryset-equal-rename",
        "4.2",
        "5.1",
        "assertQuerysetEqual() and assertFormsetError() are renamed with a capital S",
        _deprecated_in("4.2"),
        _upgrade("assert_set_methods"),
        "Call assertQuerySetEqual() / assertFormSetError().",
        PY,
    ),
    Deprecation(
        "signer-positional-args",
        "4.2",
        "5.1",
        "Signer and TimestampSigner no longer accept positional arguments",
        _deprecated_in("4.2"),
        _codemod("signer_keyword_args"),
        "Pass key=, sep=, salt=, algorithm= as keywords.",
        PY,
    ),
    # --- Removed in 6.0 (deprecated in 5.0 / 5.1) -----------------------------------------------
    Deprecation(
        "format-html-no-args",
        "5.0",
        "6.0",
        "format_html() must be given args or kwargs",
        _deprecated_in("5.0"),
        _upgrade("format_html"),
        "Pass the values as arguments (format_html('<b>{}</b>', name)), or use mark_safe().",
        PY,
    ),
    Deprecation(
        "forms-urlfield-assume-https",
        "5.0",
        "6.0",
        "The FORMS_URLFIELD_ASSUME_HTTPS transitional setting is removed",
        _deprecated_in("5.0"),
        _upgrade("settings_forms_urlfield_assume_https"),
        "Delete the setting; pass assume_scheme= to forms.URLField where http is wanted.",
        SETTINGS,
    ),
    Deprecation(
        "div-form-renderer",
        "5.0",
        "6.0",
        "The DjangoDivFormRenderer and Jinja2DivFormRenderer transitional renderers are removed",
        _deprecated_in("5.0"),
        _codemod("div_form_renderer"),
        "Use DjangoTemplates / Jinja2 renderers (div output is the default since 5.0).",
        SETTINGS + PY,
    ),
    Deprecation(
        "lookup-allowed-request",
        "5.0",
        "6.0",
        "ModelAdmin.lookup_allowed() overrides must accept the request argument",
        _deprecated_in("5.0"),
        _codemod("lookup_allowed_request"),
        "Define lookup_allowed(self, lookup, value, request) and pass request to super().",
        PY,
    ),
    Deprecation(
        "choices-meta",
        "5.0",
        "6.0",
        "The ChoicesMeta alias of django.db.models.enums.ChoicesType is removed",
        _deprecated_in("5.0"),
        _codemod("moved_names"),
        "Import ChoicesType from django.db.models.enums.",
        PY,
    ),
    Deprecation(
        "model-save-positional-args",
        "5.1",
        "6.0",
        "Model.save() and asave() no longer accept positional arguments",
        _deprecated_in("5.1"),
        _codemod("model_save_positional_args"),
        "Pass force_insert=, force_update=, using=, update_fields= as keywords.",
        PY,
    ),
    Deprecation(
        "check-constraint-check",
        "5.1",
        "6.0",
        "CheckConstraint's check argument is renamed condition",
        _deprecated_in("5.1"),
        _upgrade("check_constraint_condition"),
        "Write CheckConstraint(condition=Q(...), name=...).",
        PY,
    ),
    Deprecation(
        "itercompat",
        "5.1",
        "6.0",
        "django.utils.itercompat (is_iterable()) is removed",
        _deprecated_in("5.1"),
        _codemod("itercompat_is_iterable"),
        "Use isinstance(value, collections.abc.Iterable) (False for classes iterable through "
        "__getitem__ alone, which is_iterable() accepted), or define is_iterable() locally.",
        PY,
    ),
    Deprecation(
        "admin-log-deletion",
        "5.1",
        "6.0",
        "ModelAdmin.log_deletion() and LogEntryManager.log_action() are removed",
        _deprecated_in("5.1"),
        MANUAL,
        "Override or call ModelAdmin.log_deletions() / LogEntry.objects.log_actions(), "
        "which take a queryset or a list of objects.",
        PY,
    ),
    Deprecation(
        "constraint-positional-args",
        "5.0",
        "6.0",
        "BaseConstraint takes name and violation_error_message as keyword arguments only",
        _deprecated_in("5.0"),
        _codemod("constraint_keyword_args"),
        "Pass name= and violation_error_message= as keywords (also in super().__init__() of "
        "custom constraints).",
        PY,
    ),
    Deprecation(
        "get-joining-columns",
        "5.0",
        "6.0",
        "ForeignObject.get_joining_columns() / get_reverse_joining_columns() and "
        "Join(join_cols=) are removed",
        _deprecated_in("5.0"),
        _codemod("get_joining_fields"),
        "Use get_joining_fields() / get_reverse_joining_fields() (fields, not column names: "
        "tuple((l.column, r.column) for l, r in f.get_joining_fields()) is the old answer), "
        "and pass Join(join_field=...) instead of join_cols=.",
        PY,
    ),
    Deprecation(
        "get-prefetch-queryset",
        "5.0",
        "6.0",
        "get_prefetch_queryset() of related managers and descriptors is removed (6.0 never "
        "calls an override of it)",
        _deprecated_in("5.0"),
        _codemod("get_prefetch_querysets"),
        "Call get_prefetch_querysets(instances, [queryset]) (or without the list when the "
        "queryset is None), and rename an override get_prefetch_querysets(self, instances, "
        "querysets=None), taking querysets[0] when querysets is given.",
        PY,
    ),
    Deprecation(
        "geoip2-coords",
        "5.1",
        "6.0",
        "GeoIP2.coords() and GeoIP2.open() are removed (lon_lat() and lat_lon() stay: checked "
        "in 5.2.19 and 6.0.10's django/contrib/gis/geoip2.py)",
        _deprecated_in("5.1"),
        _codemod("geoip2_coords"),
        "Call lon_lat(query) for coords(query), lat_lon(query) for "
        "coords(query, ('latitude', 'longitude')), and GeoIP2(path, cache) for "
        "GeoIP2.open(path, cache).",
        PY,
    ),
    Deprecation(
        "utils-jslex",
        "5.2",
        "5.2",
        "The private django.utils.jslex module is removed",
        _incompatible("5.2"),
        MANUAL,
        "Stop importing it (makemessages reads JavaScript itself now); vendor the lexer if needed.",
        PY,
        warned=False,
    ),
    Deprecation(
        "field-cache-name",
        "5.1",
        "6.0",
        "FieldCacheMixin.get_cache_name() is removed in favour of the cache_name property (an "
        "override of get_cache_name() is silently ignored on 6.0)",
        _deprecated_in("5.1"),
        _codemod("field_cache_name"),
        "Read field.cache_name instead of calling get_cache_name(), and override cache_name "
        "(a property) instead of get_cache_name().",
        PY,
    ),
    # --- Removed in 6.1 (deprecated in 5.2) -----------------------------------------------------
    Deprecation(
        "postgres-aggregate-ordering",
        "5.2",
        "6.1",
        "The ordering argument of ArrayAgg, JSONBAgg and StringAgg is renamed order_by",
        _deprecated_in("5.2"),
        _upgrade("postgres_aggregate_order_by"),
        "Write ArrayAgg(..., order_by=...).",
        PY,
    ),
    Deprecation(
        "staticfiles-find-all",
        "5.2",
        "6.1",
        "The all argument of django.contrib.staticfiles.finders.find() is renamed find_all",
        _deprecated_in("5.2"),
        _upgrade("staticfiles_find_all"),
        "Call find(path, find_all=True).",
        PY,
    ),
    # --- Deprecated in 6.0 / 6.1, removed in 2028.0 (the release after 6.2, once called 7.0) -----
    Deprecation(
        "admins-managers-tuples",
        "6.0",
        "2028.0",
        "ADMINS and MANAGERS must be lists of email address strings, not (name, address) tuples",
        _deprecated_in("6.0"),
        _upgrade("settings_admins_managers"),
        'Write ADMINS = ["Name <name@example.com>"].',
        SETTINGS,
    ),
    Deprecation(
        "mail-positional-args",
        "6.0",
        "2028.0",
        "django.core.mail APIs no longer accept most parameters positionally",
        _notes("6.0", "positional-arguments-in-django-core-mail-apis"),
        _upgrade("mail_api_kwargs"),
        "Pass fail_silently=, auth_user=, connection=, ... as keywords.",
        PY,
    ),
    Deprecation(
        "postgres-stringagg",
        "6.0",
        "2028.0",
        "django.contrib.postgres.aggregates.StringAgg is removed; use django.db.models.StringAgg",
        _deprecated_in("6.0"),
        _upgrade("stringagg"),
        "Import StringAgg from django.db.models and wrap a literal delimiter in Value().",
        PY,
    ),
    Deprecation(
        "mail-bad-header-error",
        "6.0",
        "2028.0",
        "django.core.mail.BadHeaderError is deprecated: on 6.0 it is ValueError itself",
        _deprecated_in("6.0"),
        _codemod("mail_bad_header_error"),
        "Catch (or raise) ValueError instead of BadHeaderError.",
        PY,
    ),
    Deprecation(
        "mail-legacy-classes",
        "6.0",
        "2028.0",
        "django.core.mail.SafeMIMEText is deprecated (EmailMessage.message() returns an "
        "email.message.EmailMessage)",
        _deprecated_in("6.0"),
        MANUAL,
        "Build messages with EmailMessage, not the SafeMIME classes.",
        PY,
    ),
    Deprecation(
        "urlize-assume-https",
        "6.0",
        "2028.0",
        "The URLIZE_ASSUME_HTTPS transitional setting is removed (urlize then assumes https)",
        _deprecated_in("6.0"),
        MANUAL,
        "Delete the setting once links without a scheme may become https:// links.",
        SETTINGS,
    ),
    Deprecation(
        "mail-header-helpers",
        "6.0",
        "2028.0",
        "django.core.mail's sanitize_address(), forbid_multi_line_headers() and "
        "SafeMIMEMultipart are deprecated (the email package does it)",
        _deprecated_in("6.0"),
        MANUAL,
        "Build the message with email.message.EmailMessage (its header policy folds and "
        "checks addresses); drop these helpers.",
        PY,
    ),
    Deprecation(
        "mail-mixed-subtype",
        "6.0",
        "2028.0",
        "EmailMessage.mixed_subtype and EmailMultiAlternatives.alternative_subtype are deprecated",
        _deprecated_in("6.0"),
        MANUAL,
        "Build the MIME structure with the email package (message() and its policy) instead "
        "of overriding the subtype attributes.",
        PY,
    ),
    Deprecation(
        "mail-mimebase-attachments",
        "6.0",
        "2028.0",
        "Attaching email.mime.base.MIMEBase objects with EmailMessage.attach() is deprecated",
        _deprecated_in("6.0"),
        MANUAL,
        "Attach an email.message.MIMEPart, or attach(filename, content, mimetype).",
        (),
        undetected="the argument's type is only known at run time; verify's warning capture "
        "on 6.0 shows RemovedInDjango2028Warning about MIMEBase attachments.",
        warning=r"MIMEBase",
    ),
    Deprecation(
        "paginator-orphans",
        "6.0",
        "2028.0",
        "Paginator/AsyncPaginator with orphans >= per_page is deprecated (a ValueError in "
        "2028.0); ListView's paginate_orphans >= paginate_by passes such a pair",
        _deprecated_in("6.0"),
        MANUAL,
        "Make orphans smaller than per_page (paginate_orphans < paginate_by): orphans are the "
        "items a last page may add to the previous one, so per_page - 1 is the most that means.",
        PY,
        warning=r"orphans argument being larger than or equal to the per_page",
    ),
    Deprecation(
        "column-alias-percent",
        "6.0",
        "2028.0",
        "A percent sign in a column alias (annotate(**{'a%b': ...})) is deprecated",
        _deprecated_in("6.0"),
        MANUAL,
        "Rename the alias without %.",
        PY,
    ),
    Deprecation(
        "transaction-savepoint",
        "6.1",
        "2028.0",
        "django.db.transaction.savepoint() is renamed savepoint_create()",
        _deprecated_in("6.1"),
        _upgrade("transaction_savepoint"),
        "Call transaction.savepoint_create().",
        PY,
    ),
    Deprecation(
        "mail-get-connection",
        "6.1",
        "2028.0",
        "django.core.mail.get_connection() and connection= arguments give way to mailers",
        _deprecated_in("6.1"),
        _upgrade("mail_get_connection"),
        "Use django.core.mail.mailers.default (or a named mailer) instead of get_connection().",
        PY,
    ),
    Deprecation(
        "mail-fail-silently",
        "6.1",
        "2028.0",
        "The fail_silently argument of the mail functions is deprecated",
        _deprecated_in("6.1"),
        _upgrade("mail_fail_silently"),
        "Drop fail_silently=False (the default); for fail_silently=True catch the exception "
        "around the call.",
        PY,
    ),
    # --- Python -----------------------------------------------------------------------------------
    Deprecation(
        "unittest-aliases",
        "3.2",
        "3.12",
        "unittest's deprecated assertion aliases (assertEquals, failUnless, ...) are removed",
        "https://docs.python.org/3.12/whatsnew/3.12.html#removed",
        _codemod("unittest_aliases"),
        "Use assertEqual, assertNotEqual, assertTrue, assertRegex, assertRaisesRegex, ...",
        PY,
        scope="python",
    ),
    # --- Third-party packages -------------------------------------------------------------------
    Deprecation(
        "drf-list-detail-route",
        "3.8",
        "3.10",
        "DRF's @list_route and @detail_route decorators are removed",
        "https://www.django-rest-framework.org/community/3.8-announcement/"
        "#action-decorator-replaces-list_route-and-detail_route",
        _codemod("drf_list_detail_route"),
        "Use @action(detail=False) / @action(detail=True); url_path defaults to the method name.",
        PY,
        scope="package",
        package="djangorestframework",
    ),
    Deprecation(
        "drf-router-base-name",
        "3.9",
        "3.11",
        "DRF routers' register(base_name=...) argument is renamed basename",
        "https://www.django-rest-framework.org/community/release-notes/#390",
        _codemod("drf_router_basename"),
        "Write router.register(prefix, viewset, basename=...).",
        PY,
        scope="package",
        package="djangorestframework",
    ),
    Deprecation(
        "django-filter-view-attributes",
        "2.0",
        "22.1",
        "django-filter's filter_fields / filter_class view attributes are renamed filterset_*",
        "https://django-filter.readthedocs.io/en/stable/guide/migration.html"
        "#view-attributes-renamed-867",
        _codemod("django_filter_filterset"),
        "Write filterset_fields / filterset_class on the view.",
        PY,
        scope="package",
        package="django-filter",
    ),
    Deprecation(
        "django-filter-name-argument",
        "2.0",
        "2.0",
        "django-filter's Filter(name=...) argument is renamed field_name",
        "https://django-filter.readthedocs.io/en/stable/guide/migration.html#migrating-to-2-0",
        _codemod("django_filter_field_name"),
        "Write field_name= on the filter.",
        (),
        scope="package",
        package="django-filter",
        warned=False,
    ),
    Deprecation(
        "drf-null-boolean-field",
        "3.12",
        "3.14",
        "DRF serializers' NullBooleanField is removed",
        "https://www.django-rest-framework.org/community/release-notes/#3120",
        _codemod("drf_null_boolean_field"),
        "Use BooleanField(allow_null=True).",
        (),
        scope="package",
        package="djangorestframework",
    ),
)

CATALOGUE: Mapping[str, Deprecation] = MappingProxyType({entry.id: entry for entry in _ENTRIES})


def all_deprecations() -> tuple[Deprecation, ...]:
    """Every entry, in catalogue order (by scope, then the version that removes it)."""
    return _ENTRIES


@cache
def get(deprecation_id: str) -> Deprecation:
    """The entry with this id; ``KeyError`` naming the known ids when there is none."""
    try:
        return CATALOGUE[deprecation_id]
    except KeyError:
        raise KeyError(f"no catalogue entry {deprecation_id!r}") from None
