"""The settings detector: only on settings files, assignments, dotted paths, absences."""

from __future__ import annotations

import textwrap

import pytest

from upgrader.findings import scan_source

COMPLETE = 'DEFAULT_AUTO_FIELD = "django.db.models.AutoField"\nUSE_TZ = False\n'


def found(source: str, *, is_settings: bool = True) -> list[tuple[str, int]]:
    text = COMPLETE + textwrap.dedent(source)
    return [(f.id, f.line) for f in scan_source(text, "proj/settings.py", is_settings=is_settings)]


POSITIVE = [
    pytest.param(
        "PASSWORD_RESET_TIMEOUT_DAYS = 3\n", "password-reset-timeout-days", id="reset-days"
    ),
    pytest.param("DEFAULT_HASHING_ALGORITHM = 'sha1'\n", "default-hashing-algorithm", id="hashing"),
    pytest.param("USE_L10N = True\n", "use-l10n", id="use-l10n-true"),
    pytest.param("USE_L10N = False\n", "use-l10n-false", id="use-l10n-false"),
    pytest.param(
        "STATICFILES_STORAGE = 'x.Storage'\n", "storages-settings", id="staticfiles-storage"
    ),
    pytest.param(
        "DEFAULT_FILE_STORAGE = 'x.Storage'\n", "storages-settings", id="default-file-storage"
    ),
    pytest.param("MIDDLEWARE_CLASSES = []\n", "middleware-classes", id="middleware-classes"),
    pytest.param("USE_DEPRECATED_PYTZ = True\n", "use-deprecated-pytz", id="use-deprecated-pytz"),
    pytest.param(
        "CACHES = {\n    'default': {\n"
        "        'BACKEND': 'django.core.cache.backends.memcached.MemcachedCache',\n    },\n}\n",
        "memcached-cache",
        id="memcached-backend",
    ),
    pytest.param(
        "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql_psycopg2'}}\n",
        "postgresql-psycopg2-backend",
        id="psycopg2-engine",
    ),
    pytest.param(
        "SESSION_SERIALIZER = 'django.contrib.sessions.serializers.PickleSerializer'\n",
        "pickle-serializer",
        id="pickle-session-serializer",
    ),
    pytest.param(
        "PASSWORD_HASHERS = ['django.contrib.auth.hashers.UnsaltedMD5PasswordHasher']\n",
        "sha1-md5-password-hashers",
        id="md5-hasher",
    ),
    pytest.param(
        "PASSWORD_HASHERS = ['django.contrib.auth.hashers.CryptPasswordHasher']\n",
        "crypt-password-hasher",
        id="crypt-hasher",
    ),
    pytest.param(
        "CSRF_TRUSTED_ORIGINS = ['https://ok.example', 'shop.example']\n",
        "csrf-trusted-origins-scheme",
        id="csrf-origin-without-scheme",
    ),
    pytest.param("ADMINS = [('Ops', 'ops@example.com')]\n", "admins-managers-tuples", id="admins"),
    pytest.param("URLIZE_ASSUME_HTTPS = True\n", "urlize-assume-https", id="urlize-assume-https"),
    pytest.param(
        "DATABASES = {'default': {'NAME': 'x', 'TEST': {'SERIALIZE': False}}}\n",
        "test-serialize-setting",
        id="test-serialize",
    ),
    pytest.param(
        "import os\nif os.environ.get('X'):\n    USE_L10N = True\n",
        "use-l10n",
        id="inside-if-block",
    ),
    pytest.param(
        "try:\n    from .local import *\nexcept ImportError:\n    FILE_CHARSET = 'latin-1'\n",
        "file-charset",
        id="inside-try-block",
    ),
]


@pytest.mark.parametrize(("source", "expected"), POSITIVE)
def test_detects_in_settings(source: str, expected: str) -> None:
    assert expected in {deprecation_id for deprecation_id, _ in found(source)}


@pytest.mark.parametrize(("source", "expected"), POSITIVE)
def test_settings_rules_do_not_fire_outside_settings(source: str, expected: str) -> None:
    assert expected not in {i for i, _ in found(source, is_settings=False)}


def test_reports_the_line_of_the_entry() -> None:
    source = "CSRF_TRUSTED_ORIGINS = [\n    'https://ok.example',\n    'shop.example',\n]\n"
    assert found(source) == [("csrf-trusted-origins-scheme", 5)]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        pytest.param(
            "CSRF_TRUSTED_ORIGINS = [urlparse(SITE_URL).hostname]\n",
            "CSRF_TRUSTED_ORIGINS entry urlparse(SITE_URL).hostname is computed: it needs a scheme",
            id="urlparse hostname (pretalx)",
        ),
        pytest.param(
            "CSRF_TRUSTED_ORIGINS = ['https://a.org', HOST]\n",
            "CSRF_TRUSTED_ORIGINS entry HOST is computed: it needs a scheme",
            id="a name",
        ),
        pytest.param(
            "CSRF_TRUSTED_ORIGINS = [f'{HOST}:8000']\n",
            "CSRF_TRUSTED_ORIGINS entry f'{HOST}:8000' is computed: it needs a scheme",
            id="f-string without a scheme",
        ),
        pytest.param(
            "CSRF_TRUSTED_ORIGINS = os.environ['ORIGINS'].split(',')\n",
            "CSRF_TRUSTED_ORIGINS is computed (os.environ['ORIGINS'].split(',')): every value it "
            "gives needs a scheme",
            id="whole value",
        ),
    ],
)
def test_computed_trusted_origins_are_items(source: str, message: str) -> None:
    findings = scan_source(COMPLETE + source, "proj/settings.py", is_settings=True)
    assert [(f.id, f.line, f.message) for f in findings] == [
        ("csrf-trusted-origins-scheme", 3, message)
    ]


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            'CSRF_TRUSTED_ORIGINS = [f"{urlparse(URL).scheme}://{urlparse(URL).netloc}"]\n',
            id="the codemod's f-string",
        ),
        pytest.param(
            "CSRF_TRUSTED_ORIGINS = ['{0.scheme}://{0.netloc}'.format(urlparse(f(URL)))]\n",
            id="the codemod's format call",
        ),
        pytest.param("CSRF_TRUSTED_ORIGINS = [f'https://{HOST}']\n", id="f-string with scheme"),
        pytest.param("CSRF_TRUSTED_ORIGINS = ['https://' + HOST]\n", id="concatenation"),
        pytest.param("CSRF_TRUSTED_ORIGINS = ['https://%s' % HOST]\n", id="percent"),
        pytest.param("CSRF_TRUSTED_ORIGINS = []\n", id="empty"),
    ],
)
def test_trusted_origins_written_with_a_scheme(source: str) -> None:
    assert found(source) == []


NEGATIVE = [
    pytest.param("CSRF_TRUSTED_ORIGINS = ['https://shop.example']\n", id="origins-with-scheme"),
    pytest.param(
        "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache'}}\n",
        id="pymemcache",
    ),
    pytest.param("ADMINS = ['Ops <ops@example.com>']\n", id="admins-strings"),
    pytest.param("STORAGES = {'default': {'BACKEND': 'x'}}\n", id="storages"),
    pytest.param("PASSWORD_RESET_TIMEOUT = 3600\n", id="reset-timeout-seconds"),
    pytest.param("def f():\n    USE_L10N = True\n", id="local-variable-in-function"),
]


@pytest.mark.parametrize("source", NEGATIVE)
def test_leaves_current_settings_alone(source: str) -> None:
    assert found(source) == []


@pytest.mark.parametrize(
    ("source", "missing"),
    [
        pytest.param(
            "DEBUG = True\n", {"default-auto-field-unset", "use-tz-default"}, id="neither"
        ),
        pytest.param("USE_TZ = True\n", {"default-auto-field-unset"}, id="no-auto-field"),
        pytest.param(
            "DEFAULT_AUTO_FIELD = 'django.db.models.BigAutoField'\n", {"use-tz-default"}, id="no-tz"
        ),
        pytest.param(COMPLETE, set(), id="both-set"),
        pytest.param("from .base import *\n", set(), id="star-import-is-not-judged"),
    ],
)
def test_absent_settings(source: str, missing: set[str]) -> None:
    findings = scan_source(source, "proj/settings.py", is_settings=True)
    assert {f.id for f in findings} == missing
    assert all(f.line == 1 for f in findings)


PINNED_BASE = "DEFAULT_AUTO_FIELD = 'x'\nUSE_TZ = True\n"


@pytest.mark.parametrize(
    ("source", "missing"),
    [
        pytest.param(
            "MIDDLEWARE = ['django.middleware.clickjacking.XFrameOptionsMiddleware']\n",
            {"x-frame-options-deny"},
            id="clickjacking middleware",
        ),
        pytest.param(
            "MIDDLEWARE = ['django.middleware.security.SecurityMiddleware']\n",
            {"secure-referrer-policy-default", "secure-coop-default"},
            id="security middleware",
        ),
        pytest.param(
            "MIDDLEWARE = ['django.middleware.security.SecurityMiddleware']\n"
            "SECURE_REFERRER_POLICY = 'same-origin'\nSECURE_CROSS_ORIGIN_OPENER_POLICY = None\n",
            set(),
            id="both set",
        ),
        pytest.param(
            "MEDIA_ROOT = '/srv/media'\n", {"file-upload-permissions-default"}, id="media"
        ),
        pytest.param("MIDDLEWARE = []\n# MEDIA_ROOT = 'm'\n", set(), id="nothing reads them"),
    ],
)
def test_absent_pinned_defaults(source: str, missing: set[str]) -> None:
    findings = scan_source(PINNED_BASE + source, "proj/settings.py", is_settings=True)
    assert {f.id for f in findings} == missing
    assert all(f.line == 1 for f in findings)
