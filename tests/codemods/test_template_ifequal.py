from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "template_ifequal"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "{% ifequal a b %}yes{% else %}no{% endifequal %}",
            "{% if a == b %}yes{% else %}no{% endif %}",
            id="ifequal with else",
        ),
        pytest.param(
            "{% ifnotequal user.pk 0 %}x{% endifnotequal %}",
            "{% if user.pk != 0 %}x{% endif %}",
            id="ifnotequal",
        ),
        pytest.param(
            '{%  ifequal  name "Jane Doe"  %}hi{% endifequal %}',
            '{%  if  name == "Jane Doe"  %}hi{% endif %}',
            id="quoted argument with spaces, spacing kept",
        ),
        pytest.param(
            "{% ifequal a b %}\n  {% if c %}1{% else %}2{% endif %}\n"
            "  {% ifnotequal d|default:'x y' e %}3{% endifnotequal %}\n{% endifequal %}\n",
            "{% if a == b %}\n  {% if c %}1{% else %}2{% endif %}\n"
            "  {% if d|default:'x y' != e %}3{% endif %}\n{% endif %}\n",
            id="nested blocks and inner else",
        ),
        pytest.param(
            "{% ifequal a b %}\r\nx\r\n{% endifequal %}\r\n",
            "{% if a == b %}\r\nx\r\n{% endif %}\r\n",
            id="CRLF",
        ),
    ],
)
def test_transformed(before: str, after: str) -> None:
    check_transformed(RULE, before, after, context(django_to="4.0"))


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("{% if a == b %}{% endif %}", id="already if"),
        pytest.param("ifequal a b", id="plain text"),
        pytest.param("{# {% ifequal a b %} #}", id="comment"),
        pytest.param(
            "{% comment %}{% ifequal a b %}{% endifequal %}{% endcomment %}", id="comment block"
        ),
        pytest.param("{% myifequal a b %}{% endmyifequal %}", id="similar custom tag"),
    ],
)
def test_noop(source: str) -> None:
    check_noop(RULE, source, context(django_to="4.0"))


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("{% ifequal a b %}x", id="unclosed"),
        pytest.param("{% ifequal a b %}x{% endifnotequal %}", id="mismatched end"),
    ],
)
def test_unbalanced_left_with_note(source: str) -> None:
    ctx = context(django_to="4.0")
    check_noop(RULE, source, ctx)
    assert any("do not balance" in n for n in ctx.notes)


def test_operator_argument_left_with_note() -> None:
    ctx = context(django_to="4.0", filename="t.html")
    source = "{% ifequal a not %}x{% endifequal %}{% ifequal c d %}y{% endifequal %}"
    check_transformed(
        RULE, source, "{% ifequal a not %}x{% endifequal %}{% if c == d %}y{% endif %}", ctx
    )
    assert ctx.notes[0].startswith("t.html:1: ")


def test_old_target_version() -> None:
    check_noop(RULE, "{% ifequal a b %}{% endifequal %}", context(django_to="3.0"))
