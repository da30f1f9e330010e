"""settings_use_deprecated_pytz: USE_DEPRECATED_PYTZ = False is removed on hops to 5.0; True stays as a manual item."""

from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, context

RULE = "settings_use_deprecated_pytz"
HOP = context(django_from="4.2", django_to="5.0", is_settings=True)


def test_false_is_removed_keeping_comments() -> None:
    check_transformed(
        RULE,
        "DEBUG = True\n# transitional\nUSE_DEPRECATED_PYTZ = False\nUSE_TZ = True\n",
        "DEBUG = True\n# transitional\nUSE_TZ = True\n",
        HOP,
    )


@pytest.mark.parametrize(
    "source", ["USE_DEPRECATED_PYTZ = True\n", "USE_DEPRECATED_PYTZ = env.bool('X')\n"]
)
def test_other_values_are_manual(source: str) -> None:
    ctx = context(django_from="4.2", django_to="5.0", is_settings=True)
    check_noop(RULE, source, ctx)
    assert len(ctx.notes) == 1
    assert ctx.notes[0].startswith("app/module.py:1: USE_DEPRECATED_PYTZ is removed in Django 5.0")


def test_gates() -> None:
    check_noop(
        RULE,
        "USE_DEPRECATED_PYTZ = False\n",
        context(django_from="4.1", django_to="4.2", is_settings=True),
    )
    check_noop(RULE, "USE_DEPRECATED_PYTZ = False\n", context(django_from="4.2", django_to="5.0"))
