from __future__ import annotations

import pytest

from codemods.settings_csrf_trusted_origins_scheme import with_scheme
from tests.codemods.helpers import check_noop, check_transformed, context, run_rule

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


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "CSRF_TRUSTED_ORIGINS = [urlparse(SITE_URL).hostname]\n",
            'CSRF_TRUSTED_ORIGINS = [f"{urlparse(SITE_URL).scheme}://{urlparse(SITE_URL).netloc}"]\n',
            id="hostname of a name (pretalx)",
        ),
        pytest.param(
            "CSRF_TRUSTED_ORIGINS = [\n    urllib.parse.urlsplit(conf.URL).netloc,  # site\n    'a.org',\n]\n",
            "CSRF_TRUSTED_ORIGINS = [\n"
            '    f"{urllib.parse.urlsplit(conf.URL).scheme}://{urllib.parse.urlsplit(conf.URL).netloc}",'
            "  # site\n    'https://a.org',\n]\n",
            id="netloc of a dotted name, urlsplit, with a literal",
        ),
        pytest.param(
            "CSRF_TRUSTED_ORIGINS = (urlparse(config.get('site', 'url')).hostname,)\n",
            'CSRF_TRUSTED_ORIGINS = ("{0.scheme}://{0.netloc}".format('
            "urlparse(config.get('site', 'url'))),)\n",
            id="a call's URL is evaluated once",
        ),
    ],
)
def test_url_host_becomes_the_urls_origin(before: str, after: str) -> None:
    ctx = context(django_to="4.0", is_settings=True)
    check_transformed(RULE, before, after, ctx)
    assert any("became the URL's origin" in n for n in ctx.notes)


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        pytest.param("http://localhost:8000/", "http://localhost:8000", id="port kept"),
        pytest.param("https://pretalx.example.org/path", "https://pretalx.example.org", id="path"),
    ],
)
def test_url_origin_evaluates_to_the_origin(url: str, origin: str) -> None:
    source = (
        f"from urllib.parse import urlparse\nSITE_URL = {url!r}\n"
        "CSRF_TRUSTED_ORIGINS = [urlparse(SITE_URL).hostname, urlparse(str(SITE_URL)).netloc]\n"
    )
    result = run_rule(RULE, source, context(django_to="4.0", is_settings=True))
    namespace: dict[str, object] = {}
    exec(compile(result, "settings.py", "exec"), namespace)
    assert namespace["CSRF_TRUSTED_ORIGINS"] == [origin, origin]


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("CSRF_TRUSTED_ORIGINS = [urlparse(URL).path]\n", id="other attribute"),
        pytest.param("CSRF_TRUSTED_ORIGINS = [parse(URL).hostname]\n", id="other function"),
        pytest.param("CSRF_TRUSTED_ORIGINS = [urlparse(*URLS).netloc]\n", id="starred argument"),
        pytest.param("ORIGIN = urlparse(URL).hostname\n", id="other setting"),
    ],
)
def test_other_computed_elements_are_left(source: str) -> None:
    check_noop(RULE, source, context(django_to="4.0", is_settings=True))


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
