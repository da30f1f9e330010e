from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "template_length_is"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            '{% if items|length_is:"1" %}one{% endif %}',
            "{% if items|length == 1 %}one{% endif %}",
            id="quoted number",
        ),
        pytest.param(
            "{% if a|length_is:2 and not b|length_is:'03' %}{% endif %}",
            "{% if a|length == 2 and not b|length == 3 %}{% endif %}",
            id="two operands, not",
        ),
        pytest.param(
            "{% if x %}{% elif a|default:'x y'|length_is:0 %}\r\n{% endif %}",
            "{% if x %}{% elif a|default:'x y'|length == 0 %}\r\n{% endif %}",
            id="elif after another filter, CRLF",
        ),
    ],
)
def test_transformed(before: str, after: str) -> None:
    check_transformed(RULE, before, after, context(django_to="4.2"))


@pytest.mark.parametrize(
    ("source", "why"),
    [
        pytest.param("{{ items|length_is:3 }}", "printed", id="output context"),
        pytest.param("{% if a|length_is:n %}{% endif %}", "not a number", id="variable argument"),
        pytest.param(
            "{% if a|length_is:2|yesno %}{% endif %}", "filter follows", id="filter after"
        ),
        pytest.param("{% if a|length_is:2 == b %}{% endif %}", "comparison", id="next to =="),
        pytest.param("{% with x=a|length_is:2 %}{% endwith %}", "inside {% with %}", id="with tag"),
    ],
)
def test_manual_items(source: str, why: str) -> None:
    ctx = context(django_to="4.2", filename="t.html")
    check_noop(RULE, source, ctx)
    assert len(ctx.notes) == 1 and why in ctx.notes[0] and ctx.notes[0].startswith("t.html:1: ")


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("{% if a|length == 2 %}{% endif %}", id="already length"),
        pytest.param("<p>length_is:2</p>", id="text"),
        pytest.param("{% verbatim %}{{ a|length_is:2 }}{% endverbatim %}", id="verbatim"),
    ],
)
def test_noop(source: str) -> None:
    ctx = context(django_to="4.2")
    check_noop(RULE, source, ctx)
    assert ctx.notes == []


def test_old_target_version() -> None:
    check_noop(RULE, "{% if a|length_is:2 %}{% endif %}", context(django_to="4.1"))
