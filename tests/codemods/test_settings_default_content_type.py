"""settings_default_content_type: DEFAULT_CONTENT_TYPE = 'text/html' removed on hops to 3.0+."""

from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "settings_default_content_type"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "DEBUG = True\n\n# what responses say\nDEFAULT_CONTENT_TYPE = 'text/html'\nX = 1\n",
            "DEBUG = True\n\n# what responses say\nX = 1\n",
            id="default, comment kept",
        ),
        pytest.param('DEFAULT_CONTENT_TYPE = "TEXT/HTML"\nX = 1\n', "X = 1\n", id="any case"),
    ],
)
def test_transformed(before: str, after: str) -> None:
    ctx = context(django_to="3.0", is_settings=True)
    check_transformed(RULE, before, after, ctx)
    assert ctx.notes == []


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("DEFAULT_CONTENT_TYPES = 'text/html'\n", id="other name"),
        pytest.param("def f():\n    DEFAULT_CONTENT_TYPE = 'text/html'\n", id="function local"),
    ],
)
def test_look_alikes(source: str) -> None:
    ctx = context(django_to="3.0", is_settings=True)
    check_noop(RULE, source, ctx)
    assert ctx.notes == []


@pytest.mark.parametrize("value", ["'application/xhtml+xml'", "os.environ['TYPE']"])
def test_other_values_are_a_manual_item(value: str) -> None:
    ctx = context(django_to="3.2", is_settings=True, filename="proj/settings.py")
    check_noop(RULE, f"import os\n\nDEFAULT_CONTENT_TYPE = {value}\n", ctx)
    assert len(ctx.notes) == 1
    assert ctx.notes[0].startswith("proj/settings.py:3: DEFAULT_CONTENT_TYPE is removed")


def test_version_gate() -> None:
    source = "DEFAULT_CONTENT_TYPE = 'text/html'\n"
    check_noop(RULE, source, context(django_from="1.11", django_to="2.2", is_settings=True))
