from __future__ import annotations

import dataclasses

import pytest

from codemods import RuleContext
from tests.codemods.helpers import check_noop, check_transformed, context, run_rule

RULE = "template_logout_link"

FORM = '<form method="post" action="{% url \'logout\' %}">{% csrf_token %}'


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "{% if user.is_authenticated %}\n"
            '  <a href="{% url \'logout\' %}" class="logout">{% trans "Log out" %}</a>\n'
            "{% endif %}\n",
            "{% if user.is_authenticated %}\n"
            f'  {FORM}<button type="submit" class="logout">{{% trans "Log out" %}}</button></form>\n'
            "{% endif %}\n",
            id="shop-nav",
        ),
        pytest.param(
            "<li><a href='{% url \"admin:logout\" %}'>Log out</a></li>\r\n",
            '<li><form method="post" action=\'{% url "admin:logout" %}\'>{% csrf_token %}'
            '<button type="submit">Log out</button></form></li>\r\n',
            id="admin-namespace-single-quotes-crlf",
        ),
        pytest.param(
            '<A id="out" HREF="{% url \'accounts:logout\' %}"\n   title="Bye">\n  Log out\n</A>\n',
            '<form method="post" action="{% url \'accounts:logout\' %}">{% csrf_token %}'
            '<button type="submit" id="out"\n   title="Bye">\n  Log out\n</button></form>\n',
            id="multiline-upper-case-other-attributes-on-the-button",
        ),
    ],
)
def test_rewrites(before: str, after: str) -> None:
    check_transformed(RULE, before, after, context(django_to="5.0"))


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("<a href=\"{% url 'login' %}\">Log in</a>\n", id="other-url"),
        pytest.param(
            '<form method="post" action="{% url \'logout\' %}">{% csrf_token %}'
            "<button>Log out</button></form>\n",
            id="already-a-form",
        ),
        pytest.param(
            "<a href=\"{% url 'blog:logout_help' %}\">How to log out</a>\n",
            id="look-alike-url-name",
        ),
        pytest.param('<abbr title="logout">x</abbr>\n', id="not-a-link"),
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, context(django_to="5.0"))


@pytest.mark.parametrize(
    ("source", "why"),
    [
        pytest.param(
            "<a href=\"{% url 'logout' %}?next=/\">Log out</a>\n",
            "make it a POST form by hand",
            id="query-string",
        ),
        pytest.param('<a href="/accounts/logout/">Log out</a>\n', "by hand", id="literal-path"),
        pytest.param(
            "<a href=\"{% url 'account_logout' %}\">Log out</a>\n",
            "if it points to LogoutView",
            id="other-view-name-allauth",
        ),
        pytest.param(
            '<a {% if x %}class="a"{% endif %} href="{% url \'logout\' %}">Log out</a>\n',
            "the rule cannot read",
            id="template-tag-between-attributes",
        ),
        pytest.param(
            '<form method="get">\n<a href="{% url \'logout\' %}">Log out</a>\n</form>\n',
            "inside a <form>",
            id="inside-a-form",
        ),
    ],
)
def test_manual_items(source: str, why: str) -> None:
    ctx = context(django_to="5.0", filename="templates/nav.html")
    check_noop(RULE, source, ctx)
    assert len(ctx.notes) == 1
    assert ctx.notes[0].startswith("templates/nav.html:")
    assert why in ctx.notes[0]


def test_rewrite_is_noted_with_its_line() -> None:
    ctx = context(django_to="5.0", filename="templates/nav.html")
    source = "<nav>\n<a href=\"{% url 'logout' %}\">Log out</a>\n</nav>\n"
    check_transformed(
        RULE,
        source,
        f'<nav>\n{FORM}<button type="submit">Log out</button></form>\n</nav>\n',
        ctx,
    )
    assert len(ctx.notes) == 1
    assert ctx.notes[0].startswith("templates/nav.html:2: logout link made a POST form")


def test_below_its_version() -> None:
    check_noop(RULE, "<a href=\"{% url 'logout' %}\">Log out</a>\n", context(django_to="4.0"))


# --- with the project's URLconf read (issue 19 item 3) ---------------------------------------

LINK = "<a href=\"{% url 'logout' %}\">Log out</a>\n"
ACCOUNT_LINK = "<a href=\"{% url 'account_logout' %}\">Log out</a>\n"


def _with_routes(routes: dict[str, bool]) -> RuleContext:
    return dataclasses.replace(context(django_to="5.0"), url_names=routes)


def test_a_link_to_the_projects_own_logout_view_stays_without_a_note() -> None:
    ctx = _with_routes({"logout": False})
    check_noop(RULE, LINK, ctx)
    assert ctx.notes == []


def test_a_link_to_logout_view_is_rewritten() -> None:
    ctx = _with_routes({"logout": True})
    check_transformed(
        RULE,
        LINK,
        f'{FORM}<button type="submit">Log out</button></form>\n',
        ctx,
    )


def test_a_name_routed_to_logout_view_is_rewritten_whatever_its_name() -> None:
    ctx = _with_routes({"account_logout": True})
    assert 'method="post"' in run_rule(RULE, ACCOUNT_LINK, ctx)


def test_a_logout_name_the_urlconf_does_not_show_is_a_manual_item() -> None:
    ctx = _with_routes({"home": False})
    check_noop(RULE, LINK, ctx)
    [note] = ctx.notes
    assert "URLconf does not show" in note
