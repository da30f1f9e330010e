"""The template detector: removed libraries, tags and filters; logout links that use GET."""

from __future__ import annotations

import pytest

from upgrader.findings import scan_source


def found(text: str, filename: str = "shop/templates/shop/base.html") -> list[tuple[str, int, int]]:
    return [(f.id, f.line, f.col) for f in scan_source(text, filename)]


POSITIVE = [
    pytest.param(
        "{% load staticfiles %}", "staticfiles-template-library", 1, 0, id="load-staticfiles"
    ),
    pytest.param(
        "<p>\n  {% load i18n admin_static %}",
        "staticfiles-template-library",
        2,
        2,
        id="load-admin-static",
    ),
    pytest.param(
        "{% load static from staticfiles %}", "staticfiles-template-library", 1, 0, id="load-from"
    ),
    pytest.param("{%load staticfiles%}", "staticfiles-template-library", 1, 0, id="no-spaces"),
    pytest.param("{% ifequal a b %}x{% endifequal %}", "template-ifequal", 1, 0, id="ifequal"),
    pytest.param(
        "x\n{% ifnotequal a b %}{% endifnotequal %}", "template-ifequal", 2, 0, id="ifnotequal"
    ),
    pytest.param('{% if items|length_is:"3" %}', "length-is", 1, 11, id="length-is"),
    pytest.param("{{ items | length_is:3 }}", "length-is", 1, 9, id="length-is-spaced"),
    pytest.param(
        '<a class="nav" href="{% url \'logout\' %}">Log out</a>',
        "logout-get",
        1,
        0,
        id="logout-url",
    ),
    pytest.param(
        "<li><a href='{% url \"admin:logout\" %}'>x</a></li>", "logout-get", 1, 4, id="admin-logout"
    ),
    pytest.param('<a href="/accounts/logout/">Log out</a>', "logout-get", 1, 0, id="literal-path"),
    pytest.param(
        "<A\n   HREF=\"{% url 'account_logout' %}\">x</A>",
        "logout-get",
        1,
        0,
        id="multiline-uppercase",
    ),
]


@pytest.mark.parametrize(("text", "expected", "line", "col"), POSITIVE)
def test_detects(text: str, expected: str, line: int, col: int) -> None:
    assert found(text) == [(expected, line, col)]


NEGATIVE = [
    pytest.param("{% load static %}", id="load-static"),
    pytest.param("{% load i18n static humanize %}", id="load-several"),
    pytest.param("{% if a == b %}{% endif %}", id="if-equal-operator"),
    pytest.param("{{ items|length }}", id="length"),
    pytest.param(
        '<form method="post" action="{% url \'logout\' %}">{% csrf_token %}<button>Out</button></form>',
        id="logout-form",
    ),
    pytest.param("<a href=\"{% url 'login' %}\">Log in</a>", id="login-link"),
    pytest.param("<p>Remember to logout.</p>", id="logout-in-text"),
]


@pytest.mark.parametrize("text", NEGATIVE)
def test_leaves_current_templates_alone(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    "filename",
    [
        pytest.param("shop/templates/email/welcome.txt", id="txt"),
        pytest.param("shop/templates/feed.xml", id="xml"),
        pytest.param("templates/welcome.email", id="email"),
    ],
)
def test_other_template_suffixes(filename: str) -> None:
    assert found("{% ifequal a b %}{% endifequal %}", filename) == [("template-ifequal", 1, 0)]


def test_url_names_routed_elsewhere_are_not_reported() -> None:
    """django-oscar's customer:logout is a GET RedirectView: the URLconf says so, no finding."""
    from upgrader.findings.templates import detect_template

    text = (
        "<a href=\"{% url 'customer:logout' %}\">a</a>\n"
        "<a href=\"{% url 'admin:logout' %}\">b</a>\n"
        "<a href=\"{% url 'unknown_logout' %}\">c</a>\n"
        '<a href="/accounts/logout/">d</a>\n'
    )
    lines: list[int] = []
    names = {"customer:logout": False, "admin:logout": True}
    detect_template(text, lambda _id, line, _col, _msg: lines.append(line), names)
    assert lines == [2, 3, 4]
    lines.clear()
    detect_template(text, lambda _id, line, _col, _msg: lines.append(line))
    assert lines == [1, 2, 3, 4]  # no URLconf read: every logout name counts
