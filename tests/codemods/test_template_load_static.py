from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "template_load_static"
CTX = context(django_to="3.0", filename="app/templates/app/page.html")


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param("{% load staticfiles %}\n", "{% load static %}\n", id="staticfiles"),
        pytest.param("{% load admin_static %}", "{% load static %}", id="admin_static"),
        pytest.param(
            "{%  load  i18n   staticfiles  humanize %}",
            "{%  load  i18n   static  humanize %}",
            id="multi-library, spacing kept",
        ),
        pytest.param(
            "{% load static staticfiles %}", "{% load static %}", id="no duplicate static after"
        ),
        pytest.param(
            "{% load admin_static i18n static %}",
            "{% load static i18n %}",
            id="no duplicate static before",
        ),
        pytest.param(
            "{% load static from staticfiles %}", "{% load static %}", id="from form, static only"
        ),
        pytest.param(
            "{% load static get_static_prefix from staticfiles %}",
            "{% load static get_static_prefix from static %}",
            id="from form, several names",
        ),
        pytest.param(
            "<p>\r\n{% load staticfiles %}\r\n{{ x }}</p>\r\n",
            "<p>\r\n{% load static %}\r\n{{ x }}</p>\r\n",
            id="CRLF and the rest untouched",
        ),
    ],
)
def test_transformed(before: str, after: str) -> None:
    check_transformed(RULE, before, after, CTX)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("{% load static %}", id="already static"),
        pytest.param("<link href='/staticfiles/x.css'>", id="word in text"),
        pytest.param("{% include 'staticfiles.html' %}", id="other tag"),
        pytest.param("{# {% load staticfiles %} #}", id="in a comment"),
        pytest.param(
            "{% verbatim %}{% load staticfiles %}{% endverbatim %}", id="in a verbatim block"
        ),
        pytest.param("{% load mystaticfiles %}", id="similar library name"),
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, CTX)


def test_old_target_version() -> None:
    check_noop(RULE, "{% load staticfiles %}", context(django_to="2.2"))
