"""csrf_cookie_needs_update: ``request.META["CSRF_COOKIE_USED"]`` -> ``"CSRF_COOKIE_NEEDS_UPDATE"``
on the hop that crosses 4.0 (FINDINGS F88: pretalx's CsrfViewMiddleware.process_response never
set the cookie on 4.2, KeyError: 'pretalx_csrftoken' in two tests)."""

from __future__ import annotations

import pytest

from codemods import RuleContext
from tests.codemods.helpers import check_noop, check_transformed, context
from upgrader.findings import scan_source

RULE = "csrf_cookie_needs_update"
# pretalx's src/pretalx/common/middleware/domains.py (bf82ae5e), cut down.
PRETALX = (
    "from django.middleware.csrf import CsrfViewMiddleware as BaseCsrfMiddleware\n\n\n"
    "class CsrfViewMiddleware(BaseCsrfMiddleware):\n"
    "    def process_response(self, request, response):\n"
    '        if request.META.get("CSRF_COOKIE") is None:\n'
    "            return response\n"
    '        if not request.META.get("CSRF_COOKIE_USED", False):\n'
    "            return response\n"
    "        return response\n"
)
FIXED = PRETALX.replace('"CSRF_COOKIE_USED"', '"CSRF_COOKIE_NEEDS_UPDATE"')


def hop(django_from: str = "3.2", django_to: str = "4.2") -> RuleContext:
    return context(
        django_from=django_from, django_to=django_to, filename="app/middleware/domains.py"
    )


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(PRETALX, FIXED, id="pretalx's csrf middleware"),
        pytest.param(
            "request.META['CSRF_COOKIE_USED'] = True\n",
            "request.META['CSRF_COOKIE_NEEDS_UPDATE'] = True\n",
            id="single quotes, a subscript",
        ),
    ],
)
def test_transforms(before: str, after: str) -> None:
    check_transformed(RULE, before, after, hop())


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(FIXED, id="already the new key"),
        pytest.param("# CSRF_COOKIE_USED in a comment\nx = 1\n", id="a comment"),
        pytest.param('KEY = "CSRF_COOKIE_USED_BY_US"\n', id="another string"),
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, hop())


@pytest.mark.parametrize(("django_from", "django_to"), [("2.2", "3.2"), ("4.0", "4.2")])
def test_only_the_hop_that_crosses_4_0(django_from: str, django_to: str) -> None:
    check_noop(RULE, PRETALX, hop(django_from, django_to))


def test_the_item_is_closed_by_the_rewrite() -> None:
    where = "app/middleware/domains.py"
    assert [f.id for f in scan_source(PRETALX, where)].count("csrf-cookie-used") == 1
    assert "csrf-cookie-used" not in {f.id for f in scan_source(FIXED, where)}
