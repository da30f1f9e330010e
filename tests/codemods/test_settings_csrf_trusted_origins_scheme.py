from __future__ import annotations

import pytest

from codemods.settings_csrf_trusted_origins_scheme import with_scheme
from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "settings_csrf_trusted_origins_scheme"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "CSRF_TRUSTED_ORIGINS = ['example.com', \"https://ok.com\"]\n",
            "CSRF_TRUSTED_ORIGINS = ['https://example.com', \"https://ok.com\"]\n",
            id="bare host, quotes kept",
        ),
        pytest.param(
            "CSRF_TRUSTED_ORIGINS = (\n    '.example.com',  # subdomains\n    'api.example.com:8443',\n)\n",
            "CSRF_TRUSTED_ORIGINS = (\n    'https://*.example.com',  # subdomains\n"
            "    'https://api.example.com:8443',\n)\n",
            id="wildcard and port, multi-line tuple with comment",
        ),
        pytest.param(
            "CSRF_TRUSTED_ORIGINS += ['b.org']\n",
            "CSRF_TRUSTED_ORIGINS += ['https://b.org']\n",
            id="augmented assignment",
        ),
    ],
)
def test_transformed(before: str, after: str) -> None:
    ctx = context(django_to="4.0", is_settings=True)
    check_transformed(RULE, before, after, ctx)
    assert any("add http:// entries" in n for n in ctx.notes)


def test_computed_is_a_note() -> None:
    ctx = context(django_to="4.0", is_settings=True)
    check_noop(RULE, "CSRF_TRUSTED_ORIGINS = env.list('ORIGINS')\n", ctx)
    assert any("computed" in n for n in ctx.notes)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("CSRF_TRUSTED_ORIGINS = ['http://a.com', 'https://*.b.com']\n", id="schemes"),
        pytest.param("ALLOWED_HOSTS = ['example.com']\n", id="other setting"),
        pytest.param("CSRF_TRUSTED_ORIGINS = [f'{HOST}']\n", id="f-string"),
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, context(django_to="4.0", is_settings=True))


def test_old_target_version() -> None:
    check_noop(
        RULE, "CSRF_TRUSTED_ORIGINS = ['a.com']\n", context(django_to="3.2", is_settings=True)
    )


def test_not_settings() -> None:
    check_noop(RULE, "CSRF_TRUSTED_ORIGINS = ['a.com']\n", context(django_to="4.0"))


@pytest.mark.parametrize(
    ("origin", "expected"),
    [
        pytest.param("a.com", "https://a.com", id="host"),
        pytest.param(".a.com", "https://*.a.com", id="leading dot wildcard"),
        pytest.param("http://a.com", None, id="has scheme"),
        pytest.param("", None, id="empty"),
    ],
)
def test_with_scheme(origin: str, expected: str | None) -> None:
    assert with_scheme(origin) == expected
