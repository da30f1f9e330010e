"""Find removed or changed settings in the project's settings module (never in other files).

- Assignments of removed settings (``PASSWORD_RESET_TIMEOUT_DAYS = 3``, ``USE_L10N = False``,
  ``STATICFILES_STORAGE = ...``), at module level and inside ``if``/``try``/``with`` blocks.
- Dotted paths that name removed classes anywhere in a settings file: the ``MemcachedCache``
  backend in ``CACHES``, the ``postgresql_psycopg2`` engine, ``PickleSerializer``, removed
  password hashers, the transitional div form renderers.
- ``CSRF_TRUSTED_ORIGINS`` entries without a scheme; ``ADMINS``/``MANAGERS`` as tuples;
  a database's ``TEST`` dict with ``SERIALIZE``.
- Settings whose *absence* changes behaviour (``DEFAULT_AUTO_FIELD``, ``USE_TZ``; and
  ``X_FRAME_OPTIONS``, ``SECURE_REFERRER_POLICY``, ``SECURE_CROSS_ORIGIN_OPENER_POLICY``,
  ``FILE_UPLOAD_PERMISSIONS`` when the middleware that reads them, or a ``MEDIA_ROOT``, is there): the
  per-file facts are collected here and judged over all the settings files together by
  :func:`absent_settings`, since a settings package spreads them over several modules.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from upgrader.findings.static_sourcemaps import names_manifest_storage

# ``NAME = ...`` in a settings file -> id.
REMOVED_SETTINGS: dict[str, str] = {
    "MIDDLEWARE_CLASSES": "middleware-classes",
    "DEFAULT_CONTENT_TYPE": "default-content-type",
    "FILE_CHARSET": "file-charset",
    "PASSWORD_RESET_TIMEOUT_DAYS": "password-reset-timeout-days",
    "DEFAULT_HASHING_ALGORITHM": "default-hashing-algorithm",
    "USE_DEPRECATED_PYTZ": "use-deprecated-pytz",
    "CSRF_COOKIE_MASKED": "csrf-cookie-masked",
    "DEFAULT_FILE_STORAGE": "storages-settings",
    "STATICFILES_STORAGE": "storages-settings",
    "FORMS_URLFIELD_ASSUME_HTTPS": "forms-urlfield-assume-https",
    "URLIZE_ASSUME_HTTPS": "urlize-assume-https",
}

# A string constant anywhere in a settings file -> id.
REMOVED_PATHS: dict[str, str] = {
    "django.core.cache.backends.memcached.MemcachedCache": "memcached-cache",
    "django.db.backends.postgresql_psycopg2": "postgresql-psycopg2-backend",
    "django.contrib.sessions.serializers.PickleSerializer": "pickle-serializer",
    "django.contrib.auth.hashers.CryptPasswordHasher": "crypt-password-hasher",
    "django.contrib.auth.hashers.SHA1PasswordHasher": "sha1-md5-password-hashers",
    "django.contrib.auth.hashers.UnsaltedSHA1PasswordHasher": "sha1-md5-password-hashers",
    "django.contrib.auth.hashers.UnsaltedMD5PasswordHasher": "sha1-md5-password-hashers",
    "django.forms.renderers.DjangoDivFormRenderer": "div-form-renderer",
    "django.forms.renderers.Jinja2DivFormRenderer": "div-form-renderer",
    "django.contrib.staticfiles.storage.CachedStaticFilesStorage": "cached-static-files-storage",
}

# Settings a project should set explicitly before the default changes -> id.
REQUIRED_SETTINGS: dict[str, str] = {
    "DEFAULT_AUTO_FIELD": "default-auto-field-unset",
    "USE_TZ": "use-tz-default",
}

# Settings whose changed default matters only when the settings mention what reads them (the
# middleware in MIDDLEWARE, a MEDIA_ROOT for uploads) -> (id, that mention). The codemods that pin
# the old default ask the same (``codemods._base.mentions``).
PINNED_WHEN: dict[str, tuple[str, str]] = {
    "X_FRAME_OPTIONS": ("x-frame-options-deny", "XFrameOptionsMiddleware"),
    "FILE_UPLOAD_PERMISSIONS": ("file-upload-permissions-default", "MEDIA_ROOT"),
    "SECURE_REFERRER_POLICY": ("secure-referrer-policy-default", "SecurityMiddleware"),
    "SECURE_CROSS_ORIGIN_OPENER_POLICY": ("secure-coop-default", "SecurityMiddleware"),
}
_MENTIONS = frozenset(mention for _, mention in PINNED_WHEN.values())

Emit = Callable[[str, ast.AST, str], None]


@dataclass(frozen=True)
class SettingsFacts:
    """What one settings file assigns, and the modules it star-imports its settings from."""

    assigned: frozenset[str]
    star_imports: tuple[tuple[int, str], ...]  # (level, module) of each ``from X import *``
    mentions: frozenset[str] = frozenset()  # the ``PINNED_WHEN`` mentions the file has
    # it names a manifest static files storage (``static_sourcemaps.names_manifest_storage``)
    manifest_storage: bool = False


def _statements(body: Iterable[ast.stmt]) -> Iterator[ast.stmt]:
    """Module-level statements, looking inside if/try/with blocks (not functions or classes)."""
    for statement in body:
        yield statement
        if isinstance(statement, (ast.If, ast.For, ast.While)):
            yield from _statements(statement.body)
            yield from _statements(statement.orelse)
        elif isinstance(statement, ast.Try):
            for block in (statement.body, statement.orelse, statement.finalbody):
                yield from _statements(block)
            for handler in statement.handlers:
                yield from _statements(handler.body)
        elif isinstance(statement, (ast.With, ast.AsyncWith)):
            yield from _statements(statement.body)


def _assignments(statement: ast.stmt) -> Iterator[tuple[str, ast.expr | None]]:
    if isinstance(statement, ast.Assign):
        for target in statement.targets:
            for name in ast.walk(target):
                if isinstance(name, ast.Name):
                    yield name.id, statement.value
    elif isinstance(statement, (ast.AnnAssign, ast.AugAssign)) and isinstance(
        statement.target, ast.Name
    ):
        yield statement.target.id, statement.value


def detect_settings(tree: ast.Module, emit: Emit) -> SettingsFacts:
    """Report removed settings in one settings file; return what it assigns."""
    assigned: set[str] = set()
    star_imports: list[tuple[int, str]] = []
    for statement in _statements(tree.body):
        if isinstance(statement, ast.ImportFrom) and any(a.name == "*" for a in statement.names):
            star_imports.append((statement.level, statement.module or ""))
        for name, value in _assignments(statement):
            assigned.add(name)
            _check_assignment(name, value, statement, emit)
    mentions: set[str] = set()
    manifest = False
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found = REMOVED_PATHS.get(node.value)
            if found is not None:
                emit(found, node, f'"{node.value}"')
            manifest = manifest or names_manifest_storage(node.value)
            mentions.update(mention for mention in _MENTIONS if mention in node.value)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            if node.id in _MENTIONS:
                mentions.add(node.id)
        elif isinstance(node, ast.Dict):
            _check_dict_keys(node, emit)
    return SettingsFacts(
        frozenset(assigned), tuple(star_imports), frozenset(mentions), manifest_storage=manifest
    )


def _check_assignment(name: str, value: ast.expr | None, statement: ast.stmt, emit: Emit) -> None:
    if name in REMOVED_SETTINGS:
        emit(REMOVED_SETTINGS[name], statement, f"sets {name}")
    elif name == "USE_L10N":
        if isinstance(value, ast.Constant) and value.value is False:
            emit("use-l10n-false", statement, "sets USE_L10N = False")
        else:
            emit("use-l10n", statement, "sets USE_L10N")
    elif name == "CSRF_TRUSTED_ORIGINS" and value is not None:
        _check_trusted_origins(value, statement, emit)
    elif (
        name in ("ADMINS", "MANAGERS")
        and isinstance(value, (ast.List, ast.Tuple))
        and any(isinstance(element, (ast.Tuple, ast.List)) for element in value.elts)
    ):
        emit("admins-managers-tuples", statement, f"{name} as (name, address) tuples")


def _starts_with_scheme(node: ast.expr) -> bool | None:
    """Whether an origin expression is written with its scheme: True for ``"https://a.com"``,
    ``f"https://{HOST}"``, ``"https://" + HOST``, ``"{}://{}".format(...)``; False for a string
    without one; None when it is computed and its value cannot be read (``urlparse(URL).hostname``,
    a name, a call)."""
    if isinstance(node, ast.Constant):
        return "://" in node.value if isinstance(node.value, str) else None
    if isinstance(node, ast.JoinedStr):
        literal = "".join(
            part.value
            for part in node.values
            if isinstance(part, ast.Constant) and isinstance(part.value, str)
        )
        return True if "://" in literal else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return True if _starts_with_scheme(node.left) else None
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
        and isinstance(node.func.value, ast.Constant)
    ):
        return True if _starts_with_scheme(node.func.value) else None
    return None


def _check_trusted_origins(value: ast.expr, statement: ast.stmt, emit: Emit) -> None:
    """Each entry of ``CSRF_TRUSTED_ORIGINS`` without a scheme, and each one (or the whole value)
    computed so that its scheme cannot be read: Django 4.0's check 4_0.E001 refuses it, and
    only the codemod's ``urlparse(X).hostname``/``.netloc`` rewrite is automatic (F41)."""
    if not isinstance(value, (ast.List, ast.Tuple, ast.Set)):
        emit(
            "csrf-trusted-origins-scheme",
            statement,
            f"CSRF_TRUSTED_ORIGINS is computed ({_source(value)}): every value it gives needs "
            "a scheme",
        )
        return
    for element in value.elts:
        verdict = _starts_with_scheme(element)
        if verdict is False:
            assert isinstance(element, ast.Constant) and isinstance(element.value, str)
            emit(
                "csrf-trusted-origins-scheme",
                element,
                f'CSRF_TRUSTED_ORIGINS entry "{element.value}" has no scheme',
            )
        elif verdict is None:
            emit(
                "csrf-trusted-origins-scheme",
                element,
                f"CSRF_TRUSTED_ORIGINS entry {_source(element)} is computed: it needs a scheme",
            )


def _source(node: ast.expr) -> str:
    text = ast.unparse(node)
    return text if len(text) <= 60 else text[:57] + "..."


def _check_dict_keys(node: ast.Dict, emit: Emit) -> None:
    for key, value in zip(node.keys, node.values, strict=True):
        if (
            isinstance(key, ast.Constant)
            and key.value == "TEST"
            and isinstance(value, ast.Dict)
            and any(isinstance(k, ast.Constant) and k.value == "SERIALIZE" for k in value.keys)
        ):
            emit("test-serialize-setting", value, "DATABASES TEST['SERIALIZE']")


def absent_settings(facts: Iterable[SettingsFacts]) -> list[tuple[str, str]]:
    """``(id, setting)`` for each required setting none of the settings files assigns, and each
    ``PINNED_WHEN`` setting none assigns while one of them has its mention."""
    assigned: set[str] = set()
    mentions: set[str] = set()
    for fact in facts:
        assigned |= fact.assigned
        mentions |= fact.mentions
    return [
        (deprecation_id, setting)
        for setting, deprecation_id in REQUIRED_SETTINGS.items()
        if setting not in assigned
    ] + [
        (deprecation_id, setting)
        for setting, (deprecation_id, mention) in PINNED_WHEN.items()
        if mention in mentions and setting not in assigned
    ]
